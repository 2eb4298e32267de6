using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Security.Cryptography;
using System.Xml.Linq;
using Mirascope.Ops.Benchmarks.Weaving;

namespace Mirascope.Ops.Benchmarks.CallHeavy
{
    /// <summary>
    /// A compiled third-party library woven whole by the in-solution weaver, as if its project had
    /// <c>&lt;Mirascope.Ops TraceAssembly="true" Visibility="All" /&gt;</c> in FodyWeavers.xml (every method of every type,
    /// all visibilities), written to a temporary folder and loaded into an <see cref="AssemblyLoadContext"/> of its own
    /// that binds everything else, Mirascope.Ops included, to the assemblies this process already uses.
    /// </summary>
    internal sealed class WovenLibrary
    {
        /// <summary>The FodyWeavers.xml element the library is woven with.</summary>
        public static readonly XElement Config = new XElement(
            "Mirascope.Ops",
            new XAttribute("TraceAssembly", "true"),
            new XAttribute("Visibility", "All"));

        private WovenLibrary(Assembly original, Assembly woven, string wovenPath, string report, bool reused)
        {
            Reused = reused;
            Original = original;
            Woven = woven;
            WovenPath = wovenPath;
            WeavingReport = report;
        }

        /// <summary>The library as the package ships it, loaded in the default context.</summary>
        public Assembly Original { get; }

        /// <summary>The woven copy, loaded in its own context.</summary>
        public Assembly Woven { get; }

        public string WovenPath { get; }

        /// <summary>Whether an earlier process had already woven the same inputs (the folder is keyed by their hash).</summary>
        public bool Reused { get; }

        /// <summary>The weaver's own report (how many methods it wove, and why it left the others alone).</summary>
        public string WeavingReport { get; }

        /// <summary>
        /// Weaves <paramref name="original"/>'s file into <c>{temp}/mirascope-ops-benchmarks/woven-{name}-{hash}/</c>,
        /// the hash covering the library, the runtime, the weaver and the configuration (so a process that finds the
        /// folder reuses it, and any change weaves again), and loads it.
        /// </summary>
        public static WovenLibrary Weave(Assembly original)
        {
            var name = original.GetName().Name!;
            var sourcePath = original.Location;
            var runtimePath = typeof(TraceAttribute).Assembly.Location;
            var weaverPath = typeof(Mirascope.Ops.Fody.ModuleWeaver).Assembly.Location;
            var hash = Hash(sourcePath, runtimePath, weaverPath, Config.ToString(SaveOptions.DisableFormatting));
            var directory = Path.Combine(Path.GetTempPath(), "mirascope-ops-benchmarks", $"woven-{name}-{hash}");
            var wovenPath = Path.Combine(directory, name + ".dll");
            var reportPath = Path.Combine(directory, "weaving-report.txt");
            var reused = File.Exists(wovenPath) && File.Exists(reportPath);
            if (!reused)
            {
                Directory.CreateDirectory(directory);
                string report;
                var temporary = Path.Combine(directory, $"{name}.{Guid.NewGuid():N}.tmp");
                using (var host = new WeaverHost(sourcePath, Config))
                {
                    host.Execute();
                    if (host.Warnings.Count > 0)
                    {
                        throw new InvalidOperationException($"weaving {name}: the weaver warned: {string.Join("; ", host.Warnings)}");
                    }

                    report = string.Join(Environment.NewLine, host.Messages);
                    host.Write(temporary);
                }

                File.WriteAllText(reportPath, report);
                File.Move(temporary, wovenPath, overwrite: true);
            }

            var context = new SingleAssemblyLoadContext(name, wovenPath);
            var woven = context.LoadFromAssemblyPath(wovenPath);
            if (!woven.GetReferencedAssemblies().Any(r => r.Name == typeof(TraceAttribute).Assembly.GetName().Name))
            {
                throw new InvalidOperationException($"the woven {name} does not reference Mirascope.Ops: it was not woven");
            }

            // The woven code must record through the very runtime this process listens to, not a second copy of it.
            var runtimeSeen = context.LoadFromAssemblyName(typeof(TraceAttribute).Assembly.GetName());
            if (!ReferenceEquals(runtimeSeen, typeof(TraceAttribute).Assembly))
            {
                throw new InvalidOperationException($"the woven {name} binds to another Mirascope.Ops ({runtimeSeen.Location}) than the benchmark ({runtimePath})");
            }

            if (ReferenceEquals(woven, original))
            {
                throw new InvalidOperationException($"the woven {name} resolved to the original assembly");
            }

            return new WovenLibrary(original, woven, wovenPath, File.ReadAllText(reportPath), reused);
        }

        private static string Hash(string a, string b, string c, string config)
        {
            using var sha = SHA256.Create();
            var bytes = File.ReadAllBytes(a).Concat(File.ReadAllBytes(b)).Concat(File.ReadAllBytes(c)).Concat(System.Text.Encoding.UTF8.GetBytes(config)).ToArray();
            return Convert.ToHexString(sha.ComputeHash(bytes), 0, 8).ToLowerInvariant();
        }

        /// <summary>Loads one assembly from a path of its own; every other name falls back to the default context.</summary>
        private sealed class SingleAssemblyLoadContext : AssemblyLoadContext
        {
            private readonly string _name;
            private readonly string _path;

            public SingleAssemblyLoadContext(string name, string path)
                : base("woven " + name)
            {
                _name = name;
                _path = path;
            }

            protected override Assembly? Load(AssemblyName assemblyName) =>
                assemblyName.Name == _name ? LoadFromAssemblyPath(_path) : null;
        }
    }
}
