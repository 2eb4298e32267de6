using System;
using System.IO;
using System.Linq;
using Fody;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Mirascope.Ops.Fody;
using Mirascope.Ops.Fody.Emit;
using Mirascope.Ops.Tests.Infrastructure;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Xunit;

namespace Mirascope.Ops.Tests.Weaving
{
    /// <summary>
    /// The weaver failing where nobody expected it still says where and why: an exception while weaving one method is
    /// MOPS012 at that method's line and the other methods are woven; a runtime that does not match the weaver is
    /// MOPS013 naming both, instead of a lookup crash without a place.
    /// </summary>
    public class WeaverFailureTests
    {
        private const string Source = """
            using System.Threading.Tasks;
            using Mirascope.Ops;

            namespace Failing
            {
                public static class Shop
                {
                    // The parameter is unused: an optimized build does not hoist it, so the weaver stores it into the
                    // state machine from the kickoff method, right after the kickoff sets the state.
                    [Trace]
                    public static async Task<int> BrokenAsync(int id)
                    {
                        await Task.Yield();
                        return 1;
                    }

                    [Trace]
                    public static int Price(int item) => item * 2;

                    [Trace]
                    public static async Task<int> AlsoBrokenAsync(int id)
                    {
                        await Task.Yield();
                        return 2;
                    }
                }
            }
            """;

        [Fact]
        public void An_unexpected_failure_on_one_method_is_MOPS012_at_its_line_and_the_other_methods_are_woven()
        {
            var path = SourceCompiler.Compile(Source, "WeaverFailure", optimize: true);
            // A state machine no compiler emits (its kickoff method never sets the state): the weaver's state-machine
            // reader throws on it. Two such methods, so the build must report both, not stop at the first.
            BreakKickoff(path, "BrokenAsync", "AlsoBrokenAsync");

            var result = new ModuleWeaver().ExecuteTestRun(path, runPeVerify: false);

            Assert.Equal(2, result.Errors.Count);
            foreach (var (error, name) in result.Errors.Zip(new[] { "BrokenAsync", "AlsoBrokenAsync" }))
            {
                Assert.StartsWith("MOPS012:", error.Text, StringComparison.Ordinal);
                Assert.Contains($"'Shop.{name}'", error.Text, StringComparison.Ordinal);
                Assert.Contains("InvalidOperationException", error.Text, StringComparison.Ordinal);
                Assert.Contains("does not set '<>1__state'", error.Text, StringComparison.Ordinal);
                Assert.NotNull(error.SequencePoint);
                Assert.Equal(SourceCompiler.LineOf(Source, $"Task<int> {name}("), error.SequencePoint!.StartLine);
            }

            Assert.Contains(result.Messages, m => m.Text.StartsWith("Mirascope.Ops: wove 1 method(s)", StringComparison.Ordinal));
        }

        [Fact]
        public void A_runtime_that_does_not_match_the_weaver_is_MOPS013_naming_the_runtime_and_the_missing_member()
        {
            var path = SourceCompiler.Compile(Source, "RuntimeMismatch");
            var directory = Path.GetDirectoryName(path)!;
            // An older runtime: the same name, TraceAttribute and the weaving types, but not the members today's weaver calls.
            WriteOldRuntime(Path.Combine(directory, "Mirascope.Ops.dll"));
            using var resolver = new DefaultAssemblyResolver();
            // Only the project's directory: the default "." and "bin" would find the real runtime next to the tests.
            resolver.RemoveSearchDirectory(".");
            resolver.RemoveSearchDirectory("bin");
            resolver.AddSearchDirectory(directory);
            using var module = ModuleDefinition.ReadModule(path, new ReaderParameters { AssemblyResolver = resolver });
            using var coreLibrary = ModuleDefinition.ReadModule(typeof(object).Assembly.Location);

            var error = Assert.Throws<WeavingException>(() => RuntimeReferences.TryImport(module, name => coreLibrary.GetType(name), required: false));

            // Fody reports a WeavingException as a build error with its message.
            Assert.StartsWith("MOPS013:", error.Message, StringComparison.Ordinal);
            Assert.Contains("Mirascope.Ops 0.0.1.0", error.Message, StringComparison.Ordinal);
            Assert.Contains(Path.Combine(directory, "Mirascope.Ops.dll"), error.Message, StringComparison.Ordinal);
            Assert.Contains("Mirascope.Ops.Weaving.TracedMethod..ctor with 9 parameter(s) is missing", error.Message, StringComparison.Ordinal);
            Assert.Contains("the same package version", error.Message, StringComparison.Ordinal);
        }

        /// <summary>Removes the kickoff methods' store of the state machine's initial state.</summary>
        private static void BreakKickoff(string path, params string[] methods)
        {
            var temporary = path + ".broken";
            using (var module = ModuleDefinition.ReadModule(path, new ReaderParameters { ReadSymbols = true }))
            {
                foreach (var name in methods)
                {
                    var kickoff = module.GetType("Failing.Shop").Methods.Single(m => m.Name == name);
                    var store = kickoff.Body.Instructions.Single(i => i.OpCode == OpCodes.Stfld && ((FieldReference)i.Operand).Name == "<>1__state");
                    var processor = kickoff.Body.GetILProcessor();
                    // stfld takes (machine, value): pop both instead of storing.
                    processor.InsertBefore(store, processor.Create(OpCodes.Pop));
                    processor.Replace(store, processor.Create(OpCodes.Pop));
                }

                module.Write(temporary, new WriterParameters { WriteSymbols = true });
            }

            File.Copy(temporary, path, overwrite: true);
            File.Copy(Path.ChangeExtension(temporary, ".pdb"), Path.ChangeExtension(path, ".pdb"), overwrite: true);
        }

        private static void WriteOldRuntime(string path)
        {
            const string old = """
                [assembly: System.Reflection.AssemblyVersion("0.0.1.0")]
                namespace Mirascope.Ops
                {
                    public sealed class TraceAttribute : System.Attribute { }
                }
                namespace Mirascope.Ops.Weaving
                {
                    public sealed class TracedMethod { }
                    public struct TraceScope { }
                }
                """;
            var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
                .Where(p => Path.GetFileName(p) is "System.Runtime.dll" or "System.Private.CoreLib.dll")
                .Select(p => MetadataReference.CreateFromFile(p));
            var compilation = CSharpCompilation.Create(
                "Mirascope.Ops", new[] { CSharpSyntaxTree.ParseText(old) }, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            using var file = File.Create(path);
            var emitted = compilation.Emit(file);
            Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        }
    }
}
