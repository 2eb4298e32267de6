using System;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.VisualBasic;
using Xunit;

namespace Mirascope.Ops.Tests.Infrastructure
{
    /// <summary>
    /// Compiles Visual Basic source with Roslyn into a real DLL + portable PDB on disk (next to a copy of
    /// Mirascope.Ops.dll), for the rules where what a compiler emits differs by language (an anonymous type's names).
    /// </summary>
    public static class VisualBasicCompiler
    {
        /// <summary>Compiles <paramref name="source"/>; returns the DLL path. Compilation errors fail the test.</summary>
        public static string Compile(string source, string assemblyName)
        {
            var directory = Path.Combine(Path.GetTempPath(), "mirascope-ops-tests", assemblyName + "-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(directory);
            var sourcePath = Path.Combine(directory, assemblyName + ".vb");
            File.WriteAllText(sourcePath, source);
            var tree = VisualBasicSyntaxTree.ParseText(source, VisualBasicParseOptions.Default, sourcePath, Encoding.UTF8);

            // The Visual Basic runtime library of the test host's runtime, beside the references C# test code gets.
            var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
            var references = SourceCompiler.References.Value
                .Append(MetadataReference.CreateFromFile(Path.Combine(runtimeDirectory, "Microsoft.VisualBasic.Core.dll")));
            var compilation = VisualBasicCompilation.Create(
                assemblyName,
                new[] { tree },
                references,
                new VisualBasicCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Debug));
            var dllPath = Path.Combine(directory, assemblyName + ".dll");
            var pdbPath = Path.ChangeExtension(dllPath, ".pdb");
            using (var dll = File.Create(dllPath))
            using (var pdb = File.Create(pdbPath))
            {
                var result = compilation.Emit(dll, pdb, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb, pdbFilePath: pdbPath));
                Assert.True(result.Success, string.Join(Environment.NewLine, result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
            }

            File.Copy(typeof(TraceAttribute).Assembly.Location, Path.Combine(directory, "Mirascope.Ops.dll"), overwrite: true);
            return dllPath;
        }
    }
}
