using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Mirascope.Ops.Fody.Targets;
using Mono.Cecil;

namespace Mirascope.Ops.Fody.Versioning
{
    /// <summary>
    /// For each <c>[Version]</c> method: computes the hashes and the description at build time, writes them into the
    /// attribute (so <c>MirascopeOps.VersionOf</c> reads them at run time without calling the method) and into the descriptor's
    /// <c>mirascope.version.*</c> span attributes; the code, signature and dependencies a receiver registers the
    /// function with go into the attribute and the descriptor too, which keeps them off the spans.
    /// </summary>
    internal static class VersionStamp
    {
        /// <summary>The targets, each versioned one replaced by a copy that carries its span attributes.</summary>
        public static List<TraceTarget> Apply(List<TraceTarget> targets, ModuleDefinition module, string? documentationFilePath, IReadOnlyList<string> referencePaths, Action<string> log)
        {
            if (!targets.Any(t => t.VersionAttribute is not null))
            {
                return targets;
            }

            var hasher = new VersionHasher();
            var documentation = DocumentationSummaries.Load(documentationFilePath ?? Path.ChangeExtension(module.FileName, ".xml"));
            // The module's references, described once for all its versioned methods.
            var dependencies = new Lazy<string>(() => AssemblyDependencies.Describe(module, referencePaths));
            return targets.Select(t => t.VersionAttribute is null ? t : t.WithVersionTags(Stamp(t, t.VersionAttribute, module, hasher, documentation, dependencies, log))).ToList();
        }

        private static List<string> Stamp(TraceTarget target, CustomAttribute attribute, ModuleDefinition module, VersionHasher hasher, DocumentationSummaries documentation, Lazy<string> dependencies, Action<string> log)
        {
            var hashes = hasher.Compute(target.Method);
            var description = documentation.For(target.Method);
            var name = attribute.Properties.FirstOrDefault(p => p.Name == VersionProperties.Name).Argument.Value as string;
            var tags = new List<string>();
            if (hashes is null)
            {
                log($"Mirascope.Ops: the source of {TraceSettingsReader.Describe(target.Method)} was not found through its PDB; its version hash is not recorded.");
            }
            else
            {
                Set(attribute, module, VersionProperties.Hash, hashes.Value.Hash);
                Set(attribute, module, VersionProperties.SignatureHash, hashes.Value.SignatureHash);
                // Not span attributes (too long for every span): read once per process by the export that registers the function.
                Set(attribute, module, VersionProperties.Code, hashes.Value.Code);
                Set(attribute, module, VersionProperties.Signature, hashes.Value.Signature);
                tags.AddRange(new[] { VersionKeys.Hash, hashes.Value.Hash, VersionKeys.SignatureHash, hashes.Value.SignatureHash });
                // Registration data, kept by the runtime (VersionedFunctions) rather than put on spans.
                tags.AddRange(new[] { VersionKeys.Code, hashes.Value.Code, VersionKeys.Signature, hashes.Value.Signature, VersionKeys.Dependencies, dependencies.Value });
            }

            tags.AddRange(new[] { VersionKeys.Version, "1.0" });
            if (!string.IsNullOrEmpty(name))
            {
                tags.AddRange(new[] { VersionKeys.Name, name! });
            }

            if (description is not null)
            {
                Set(attribute, module, VersionProperties.Description, description);
                tags.AddRange(new[] { VersionKeys.Description, description });
            }

            foreach (var entry in target.Settings.Metadata)
            {
                tags.AddRange(new[] { VersionKeys.MetaPrefix + entry.Key, entry.Value });
            }

            return tags;
        }

        private static void Set(CustomAttribute attribute, ModuleDefinition module, string property, string value)
        {
            var existing = attribute.Properties.Where(p => p.Name == property).ToList();
            foreach (var old in existing)
            {
                attribute.Properties.Remove(old);
            }

            attribute.Properties.Add(new CustomAttributeNamedArgument(property, new CustomAttributeArgument(module.TypeSystem.String, value)));
        }
    }
}
