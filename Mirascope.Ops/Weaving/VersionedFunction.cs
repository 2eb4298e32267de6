using System.Collections.Generic;

namespace Mirascope.Ops.Weaving
{
    /// <summary>
    /// What a receiver needs to register one <c>[Version]</c> function (Mirascope Cloud's <c>CreateFunction</c>), all
    /// computed at build time: see <see cref="VersionedFunctions"/>.
    /// </summary>
    internal sealed class VersionedFunction
    {
        public VersionedFunction(
            string hash,
            string signatureHash,
            string name,
            string? description,
            IReadOnlyList<string> tags,
            IReadOnlyList<KeyValuePair<string, string>> metadata,
            string code,
            string signature,
            IReadOnlyList<KeyValuePair<string, string>> dependencies)
        {
            Hash = hash;
            SignatureHash = signatureHash;
            Name = name;
            Description = description;
            Tags = tags;
            Metadata = metadata;
            Code = code;
            Signature = signature;
            Dependencies = dependencies;
        }

        public string Hash { get; }

        public string SignatureHash { get; }

        /// <summary>The span name: the version name when given, else the method's name (what the Cloud grouped versions by).</summary>
        public string Name { get; }

        public string? Description { get; }

        public IReadOnlyList<string> Tags { get; }

        public IReadOnlyList<KeyValuePair<string, string>> Metadata { get; }

        public string Code { get; }

        public string Signature { get; }

        /// <summary>Assembly name and version of each non-framework assembly the function's assembly references.</summary>
        public IReadOnlyList<KeyValuePair<string, string>> Dependencies { get; }
    }
}
