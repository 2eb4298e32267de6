using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using Xunit;

namespace Mirascope.Ops.Tests.Infrastructure
{
    /// <summary>
    /// Compiles C# source with Roslyn into a real DLL + portable PDB on disk (next to a copy of Mirascope.Ops.dll),
    /// so tests can weave variants the fixed AssemblyToProcess cannot hold: broken input, edits between builds.
    /// </summary>
    public static class SourceCompiler
    {
        /// <summary>The System.* assemblies of the test host's runtime and Mirascope.Ops: what compiled test code references.</summary>
        internal static readonly Lazy<MetadataReference[]> References = new Lazy<MetadataReference[]>(() =>
        {
            var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
                .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll");
            return platform.Append(typeof(TraceAttribute).Assembly.Location)
                .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
                .ToArray();
        });

        /// <summary>Compiles <paramref name="source"/>; returns the DLL path. Compilation errors fail the test.</summary>
        /// <param name="source">The C# source.</param>
        /// <param name="assemblyName">The assembly's name.</param>
        /// <param name="optimize">Release instead of Debug.</param>
        /// <param name="sourcePath">Where the source is written (its path is in the PDB).</param>
        /// <param name="runtimeAsync">
        /// Compile async methods as .NET 11 runtime-async methods (no state machine); loading them on .NET 10 needs
        /// DOTNET_RuntimeAsync=1, which the test host has (runtime-async.runsettings).
        /// </param>
        /// <param name="executable">A console program (with its entry point) instead of a library.</param>
        /// <param name="references">More assemblies to compile against (paths), beside System.* and Mirascope.Ops.</param>
        public static string Compile(string source, string assemblyName, bool optimize = false, string? sourcePath = null, bool runtimeAsync = false, bool executable = false, IEnumerable<string>? references = null)
        {
            var directory = Path.Combine(Path.GetTempPath(), "mirascope-ops-tests", assemblyName + "-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(directory);
            sourcePath ??= Path.Combine(directory, assemblyName + ".cs");
            File.WriteAllText(sourcePath, source);
            var parseOptions = new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.Parse);
            if (runtimeAsync)
            {
                parseOptions = parseOptions.WithFeatures(new[] { new KeyValuePair<string, string>("runtime-async", "on") });
            }

            var tree = CSharpSyntaxTree.ParseText(source, parseOptions, sourcePath, Encoding.UTF8);
            var compilation = CSharpCompilation.Create(
                assemblyName,
                new[] { tree },
                references is null ? References.Value : References.Value.Concat(references.Select(p => MetadataReference.CreateFromFile(p))),
                new CSharpCompilationOptions(
                    executable ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
                    optimizationLevel: optimize ? OptimizationLevel.Release : OptimizationLevel.Debug,
                    allowUnsafe: true,
                    nullableContextOptions: NullableContextOptions.Enable,
                    // SYSLIB5007: .NET 10 marks AsyncHelpers, which runtime-async code calls, experimental.
                    specificDiagnosticOptions: runtimeAsync ? new Dictionary<string, ReportDiagnostic> { ["SYSLIB5007"] = ReportDiagnostic.Suppress } : null));
            var dllPath = Path.Combine(directory, assemblyName + ".dll");
            var pdbPath = Path.ChangeExtension(dllPath, ".pdb");
            using (var dll = File.Create(dllPath))
            using (var pdb = File.Create(pdbPath))
            using (var documentation = File.Create(Path.ChangeExtension(dllPath, ".xml")))
            {
                var result = compilation.Emit(dll, pdb, documentation, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb, pdbFilePath: pdbPath));
                Assert.True(result.Success, string.Join(Environment.NewLine, result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
            }

            File.Copy(typeof(TraceAttribute).Assembly.Location, Path.Combine(directory, "Mirascope.Ops.dll"), overwrite: true);
            return dllPath;
        }

        /// <summary>The 1-based line of the first line of <paramref name="source"/> containing <paramref name="marker"/>.</summary>
        public static int LineOf(string source, string marker)
        {
            var lines = source.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].Contains(marker, StringComparison.Ordinal))
                {
                    return i + 1;
                }
            }

            throw new ArgumentException($"'{marker}' is not in the source");
        }
    }
}
