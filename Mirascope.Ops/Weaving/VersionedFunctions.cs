using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;

namespace Mirascope.Ops.Weaving
{
    /// <summary>
    /// The <c>[Version]</c> functions whose descriptors were built in this process, by hash, for the export package to
    /// register them with a receiver once they ran (it sees <c>mirascope.version.hash</c> on their spans). The weaver
    /// passes the code, signature and dependencies among the descriptor's <c>mirascope.version.*</c> pairs under the
    /// <see cref="VersionKeys"/> it shares with the runtime; <see cref="TracedMethod"/> keeps them here instead of on
    /// every span (they are long). This needs no reflection at run time (trimming and AOT safe) and costs nothing per call.
    /// </summary>
    internal static class VersionedFunctions
    {
        private static readonly ConcurrentDictionary<string, VersionedFunction> ByHash = new ConcurrentDictionary<string, VersionedFunction>(StringComparer.Ordinal);

        /// <summary>Whether a descriptor pair is registration data rather than a span attribute.</summary>
        public static bool IsRegistrationKey(string key) => key == VersionKeys.Code || key == VersionKeys.Signature || key == VersionKeys.Dependencies;

        public static bool TryGet(string hash, out VersionedFunction function) => ByHash.TryGetValue(hash, out function!);

        /// <summary>Records a descriptor's function; one without a hash or code (no source at build time) cannot be registered and is skipped.</summary>
        public static void Add(string spanName, string[] version, string[]? tags)
        {
            string? hash = null, signatureHash = null, description = null, code = null, signature = null, dependencies = null;
            var metadata = new List<KeyValuePair<string, string>>();
            for (var i = 0; i + 1 < version.Length; i += 2)
            {
                var value = version[i + 1];
                switch (version[i])
                {
                    case VersionKeys.Hash: hash = value; break;
                    case VersionKeys.SignatureHash: signatureHash = value; break;
                    case VersionKeys.Description: description = value; break;
                    case VersionKeys.Code: code = value; break;
                    case VersionKeys.Signature: signature = value; break;
                    case VersionKeys.Dependencies: dependencies = value; break;
                    default:
                        if (version[i].StartsWith(VersionKeys.MetaPrefix, StringComparison.Ordinal))
                        {
                            metadata.Add(new KeyValuePair<string, string>(version[i].Substring(VersionKeys.MetaPrefix.Length), value));
                        }

                        break;
                }
            }

            if (hash is null || signatureHash is null || code is null || signature is null)
            {
                return;
            }

            ByHash.TryAdd(hash, new VersionedFunction(hash, signatureHash, spanName, description, tags ?? Array.Empty<string>(), metadata, code, signature, ParseDependencies(dependencies)));
        }

        private static IReadOnlyList<KeyValuePair<string, string>> ParseDependencies(string? lines) =>
            (lines ?? string.Empty)
                .Split(new[] { '\n' }, StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split(new[] { ' ' }, 2))
                .Where(parts => parts.Length == 2)
                .Select(parts => new KeyValuePair<string, string>(parts[0], parts[1]))
                .ToList();
    }
}
