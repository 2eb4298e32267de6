using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Mono.Cecil;

namespace Mirascope.Ops.Fody.Versioning
{
    /// <summary>
    /// For each <c>[Version]</c> method: computes the hashes and the description at build time, writes them into the
    /// attribute (so <c>Ops.VersionOf</c> reads them at run time without calling the method) and into the descriptor's
    /// <c>mirascope.version.*</c> span attributes; the code, signature and dependencies a receiver registers the
    /// function with go into the attribute and the descriptor too, which keeps them off the spans.
    /// </summary>
    internal static class VersionStamp
    {
        public static void Apply(IEnumerable<TraceTarget> targets, ModuleDefinition module, string? documentationFilePath, Action<string> log)
        {
            var versioned = targets.Where(t => t.VersionAttribute is not null).ToList();
            if (versioned.Count == 0)
            {
                return;
            }

            var hasher = new VersionHasher();
            string? dependencies = null;
            var documentation = DocumentationSummaries.Load(documentationFilePath ?? Path.ChangeExtension(module.FileName, ".xml"));
            foreach (var target in versioned)
            {
                var attribute = target.VersionAttribute!;
                var hashes = hasher.Compute(target.Method);
                var description = documentation.For(target.Method);
                var name = attribute.Properties.FirstOrDefault(p => p.Name == "Name").Argument.Value as string;
                var tags = new List<string>();
                if (hashes is null)
                {
                    log($"Mirascope.Ops: the source of {TraceSettingsReader.Describe(target.Method)} was not found through its PDB; its version hash is not recorded.");
                }
                else
                {
                    Set(attribute, module, "Hash", hashes.Value.Hash);
                    Set(attribute, module, "SignatureHash", hashes.Value.SignatureHash);
                    // Not span attributes (too long for every span): read once per process by the export that registers the function.
                    Set(attribute, module, "Code", hashes.Value.Code);
                    Set(attribute, module, "Signature", hashes.Value.Signature);
                    tags.AddRange(new[] { "mirascope.version.hash", hashes.Value.Hash, "mirascope.version.signature_hash", hashes.Value.SignatureHash });
                    // Registration data, kept by the runtime (VersionedFunctions) rather than put on spans.
                    tags.AddRange(new[] { "mirascope.version.code", hashes.Value.Code, "mirascope.version.signature", hashes.Value.Signature, "mirascope.version.dependencies", dependencies ??= AssemblyDependencies.Describe(module) });
                }

                tags.AddRange(new[] { "mirascope.version.version", "1.0" });
                if (!string.IsNullOrEmpty(name))
                {
                    tags.AddRange(new[] { "mirascope.version.name", name! });
                }

                if (description is not null)
                {
                    Set(attribute, module, "Description", description);
                    tags.AddRange(new[] { "mirascope.version.description", description });
                }

                foreach (var entry in target.Settings.Metadata)
                {
                    tags.AddRange(new[] { "mirascope.version.meta." + entry.Key, entry.Value });
                }

                target.VersionTags = tags;
            }
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
