using System;
using System.Collections.Generic;
using System.Linq;

namespace Mirascope.Ops
{
    /// <summary>The build-time version of a <see cref="VersionAttribute"/> function.</summary>
    public sealed class VersionInfo
    {
        internal VersionInfo(string? hash, string? signatureHash, string? name, string? description, IReadOnlyList<string> tags, IReadOnlyDictionary<string, string> metadata, string? code = null, string? signature = null)
        {
            Code = code;
            Signature = signature;
            Hash = hash;
            SignatureHash = signatureHash;
            Name = name;
            Description = description;
            Tags = tags;
            Metadata = metadata;
        }

        /// <summary>SHA-256 (64 lowercase hex digits) of the function's normalized code and its same-assembly callees; null when the source was not available at build time.</summary>
        public string? Hash { get; }

        /// <summary>SHA-256 of the function's normalized signature; null when the source was not available at build time.</summary>
        public string? SignatureHash { get; }

        /// <summary>
        /// The source text the hash covers, as written (original lines): the function, then each same-assembly method
        /// it calls, then the const and static readonly values they read; null when the source was not available at build time.
        /// </summary>
        public string? Code { get; }

        /// <summary>The function's declaration up to its body (<c>public string Recommend(string genre)</c>); null when the source was not available at build time.</summary>
        public string? Signature { get; }

        /// <summary>The version name, when given.</summary>
        public string? Name { get; }

        /// <summary>The XML documentation summary, when the documentation file was built.</summary>
        public string? Description { get; }

        /// <summary>The version number, <c>"1.0"</c> (as Mirascope's Python SDK reports).</summary>
        public string Version => "1.0";

        /// <summary>Sorted, distinct tags.</summary>
        public IReadOnlyList<string> Tags { get; }

        /// <summary>The metadata entries.</summary>
        public IReadOnlyDictionary<string, string> Metadata { get; }

        internal static VersionInfo From(VersionAttribute attribute)
        {
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in attribute.Metadata ?? Array.Empty<string>())
            {
                var equals = entry.IndexOf('=');
                if (equals > 0)
                {
                    metadata[entry.Substring(0, equals).Trim()] = entry.Substring(equals + 1).Trim();
                }
            }

            var tags = (attribute.Tags ?? Array.Empty<string>()).Distinct(StringComparer.Ordinal).OrderBy(t => t, StringComparer.Ordinal).ToArray();
            return new VersionInfo(attribute.Hash, attribute.SignatureHash, attribute.Name, attribute.Description, tags, metadata, attribute.Code, attribute.Signature);
        }
    }
}
