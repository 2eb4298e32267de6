using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;

namespace Mirascope.Ops.Benchmarks.Weaving
{
    /// <summary>
    /// An assembly of exactly N traced methods in every shape the weaver handles (sync, string, void, async Task&lt;T&gt;,
    /// ValueTask, iterator, async iterator, generic method, ref/out/in, static, try/catch, struct, generic class),
    /// traced with <c>[assembly: Trace]</c>, compiled by Roslyn (Release) to a DLL, portable PDB and XML docs.
    /// </summary>
    internal sealed class GeneratedAssembly
    {
        private const int Shapes = 13;

        private GeneratedAssembly(string dllPath, int methods)
        {
            DllPath = dllPath;
            Methods = methods;
        }

        public string DllPath { get; }

        public string DocumentationPath => Path.ChangeExtension(DllPath, ".xml");

        public string Directory => Path.GetDirectoryName(DllPath)!;

        public int Methods { get; }

        public static GeneratedAssembly Compile(int methods)
        {
            var name = "Traced" + methods;
            var directory = Path.Combine(Path.GetTempPath(), "mirascope-ops-benchmarks", name + "-" + Guid.NewGuid().ToString("N"));
            System.IO.Directory.CreateDirectory(directory);
            var sourcePath = Path.Combine(directory, name + ".cs");
            var source = Source(methods);
            File.WriteAllText(sourcePath, source);
            var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.Parse), sourcePath, Encoding.UTF8);
            var compilation = CSharpCompilation.Create(
                name,
                new[] { tree },
                References(),
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, nullableContextOptions: NullableContextOptions.Enable));
            var dllPath = Path.Combine(directory, name + ".dll");
            var pdbPath = Path.ChangeExtension(dllPath, ".pdb");
            using (var dll = File.Create(dllPath))
            using (var pdb = File.Create(pdbPath))
            using (var documentation = File.Create(Path.ChangeExtension(dllPath, ".xml")))
            {
                var result = compilation.Emit(dll, pdb, documentation, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb, pdbFilePath: pdbPath));
                if (!result.Success)
                {
                    throw new InvalidOperationException(string.Join(Environment.NewLine, result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
                }
            }

            File.Copy(typeof(TraceAttribute).Assembly.Location, Path.Combine(directory, "Mirascope.Ops.dll"), overwrite: true);
            return new GeneratedAssembly(dllPath, methods);
        }

        /// <summary>An assembly compiled earlier (by a parent process).</summary>
        public static GeneratedAssembly Open(string dllPath, int methods) => new GeneratedAssembly(dllPath, methods);

        public void Delete()
        {
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        private static IEnumerable<MetadataReference> References()
        {
            var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
                .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll");
            return platform.Append(typeof(TraceAttribute).Assembly.Location).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray();
        }

        /// <summary>Group g holds up to 13 methods, one per shape, spread over a class, a struct and a generic class.</summary>
        private static string Source(int methods)
        {
            var source = new StringBuilder(@"using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Mirascope.Ops;
[assembly: Trace]
namespace Generated
{
");
            var groups = (methods + Shapes - 1) / Shapes;
            for (var g = 0; g < groups; g++)
            {
                var inGroup = Math.Min(Shapes, methods - g * Shapes);
                var shapes = Enumerable.Range(0, inGroup).ToHashSet();
                string If(int shape, string code) => shapes.Contains(shape) ? code : "";
                source.Append($@"
    /// <summary>Group {g}.</summary>
    public class C{g}
    {{
        {If(0, $"/// <summary>Adds.</summary>\n        public int Sync{g}(int x) => x + {g};")}
        {If(1, $"public string Text{g}(string s) => s + \"{g}\";")}
        {If(2, $"public void Void{g}() {{ }}")}
        {If(3, $"public async Task<int> Async{g}(int x) {{ await Task.Yield(); return x * 2; }}")}
        {If(4, $"public async ValueTask Value{g}() {{ await Task.Yield(); }}")}
        {If(5, $"public IEnumerable<int> Iter{g}(int n) {{ for (var k = 0; k < n; k++) yield return k; }}")}
        {If(6, $"public async IAsyncEnumerable<int> AsyncIter{g}(int n) {{ for (var k = 0; k < n; k++) {{ await Task.Yield(); yield return k; }} }}")}
        {If(7, $"public T Generic{g}<T>(T value) => value;")}
        {If(8, $"public int Refs{g}(ref int a, out int b, in int c) {{ b = a + c; a++; return b; }}")}
        {If(9, $"public static int Static{g}(int x) => -x;")}
        {If(10, $"public int Guarded{g}(int x) {{ try {{ if (x < 0) throw new ArgumentException(); return x; }} catch (ArgumentException) {{ return 0; }} }}")}
    }}
    public struct S{g} {{ public int V; {If(11, $"public int Get{g}() => V + {g};")} }}
    public class G{g}<T> {{ {If(12, $"public T Echo{g}(T value) => value;")} }}
");
            }

            return source.Append("}\n").ToString();
        }
    }
}
