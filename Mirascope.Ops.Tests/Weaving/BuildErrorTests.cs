using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using Fody;
using Mirascope.Ops.Fody;
using Mirascope.Ops.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Weaving
{
    /// <summary>A [Trace] the weaver cannot honour is a build error with a stable code, the file and the line.</summary>
    public class BuildErrorTests
    {
        private static (TestResult Result, string Source) Weave(string body, string name)
        {
            var source = "using System;\nusing System.Threading.Tasks;\nusing System.Runtime.InteropServices;\nusing Mirascope.Ops;\n\nnamespace Broken\n{\n" + body + "\n}\n";
            var path = SourceCompiler.Compile(source, name);
            return (new ModuleWeaver().ExecuteTestRun(path, runPeVerify: false), source);
        }

        private static void AssertSingleError(TestResult result, string source, string code, string lineMarker, string messagePart)
        {
            var error = Assert.Single(result.Errors);
            Assert.StartsWith(code + ":", error.Text);
            Assert.Contains(messagePart, error.Text);
            Assert.NotNull(error.SequencePoint);
            Assert.EndsWith(".cs", error.SequencePoint!.Document.Url);
            Assert.True(File.Exists(error.SequencePoint.Document.Url));
            Assert.Equal(SourceCompiler.LineOf(source, lineMarker), error.SequencePoint.StartLine);
        }

        [Fact]
        public void Trace_on_an_abstract_method_is_MOPS001_at_its_line()
        {
            var (result, source) = Weave(
                "public abstract class Repository\n{\n    public int Count() => 1;\n\n    [Trace]\n    public abstract int Load(int id);\n}",
                "AbstractTrace");

            AssertSingleError(result, source, "MOPS001", "abstract int Load", "'Repository.Load'");
        }

        [Fact]
        public void Trace_on_an_interface_method_without_body_is_MOPS001()
        {
            var (result, source) = Weave(
                "public interface IRepository\n{\n    [Trace]\n    int Find(int id);\n}\npublic class Repository : IRepository\n{\n    public int Find(int id) => id;\n}",
                "InterfaceTrace");

            AssertSingleError(result, source, "MOPS001", "int Find(int id);", "'IRepository.Find'");
        }

        [Fact]
        public void Trace_on_an_extern_method_is_MOPS002()
        {
            var (result, source) = Weave(
                "public static class Native\n{\n    public static int Twice(int x) => x * 2;\n\n    [Trace]\n    [DllImport(\"libc\")]\n    public static extern int getpid();\n}",
                "ExternTrace");

            AssertSingleError(result, source, "MOPS002", "extern int getpid", "'Native.getpid'");
        }

        [Fact]
        public void Metadata_without_equals_is_MOPS003_at_the_method()
        {
            var (result, source) = Weave(
                "public class Service\n{\n    [Trace(Metadata = [\"owner\"])]\n    public int Run() { return 1; }\n}",
                "MalformedMetadata");

            AssertSingleError(result, source, "MOPS003", "public int Run() { return 1; }", "\"owner\"");
        }

        [Fact]
        public void Duplicate_metadata_key_is_MOPS004()
        {
            var (result, source) = Weave(
                "public class Service\n{\n    [Trace(Metadata = [\"env=a\", \"env=b\"])]\n    public int Run() { return 1; }\n}",
                "DuplicateMetadata");

            AssertSingleError(result, source, "MOPS004", "public int Run() { return 1; }", "\"env\"");
        }

        [Fact]
        public void Empty_tag_is_MOPS005()
        {
            var (result, source) = Weave(
                "public class Service\n{\n    [Trace(Tags = [\"ok\", \" \"])]\n    public int Run() { return 1; }\n}",
                "EmptyTag");

            AssertSingleError(result, source, "MOPS005", "public int Run() { return 1; }", "empty tag");
        }

        [Fact]
        public void Errors_do_not_stop_the_other_methods_from_being_woven()
        {
            var (result, _) = Weave(
                "public abstract class Mixed\n{\n    [Trace]\n    public abstract int Bad();\n\n    [Trace]\n    public int Good() { return 2; }\n}",
                "Mixed");

            Assert.Single(result.Errors);
            Assert.Contains(result.Messages, m => m.Text.Contains("wove 1 method"));
        }

        [Fact]
        public void Trace_on_a_static_constructor_is_MOPS006()
        {
            var (result, source) = Weave(
                "public class Config\n{\n    public static int Value;\n\n    [Trace]\n    static Config() { Value = 1; }\n}",
                "StaticConstructor");

            AssertSingleError(result, source, "MOPS006", "static Config() { Value = 1; }", "static constructor");
        }

        [Fact]
        public void Async_state_machine_of_an_unknown_shape_is_MOPS007_and_left_alone()
        {
            var source = "using System.Threading.Tasks;\nusing Mirascope.Ops;\n\npublic class Worker\n{\n    [Trace]\n    public async Task<int> RunAsync() { await Task.Yield(); return 1; }\n}\n";
            var path = SourceCompiler.Compile(source, "RewrittenStateMachine");

            // Another rewriter renamed the builder field: the weaver must refuse rather than guess.
            var result = new ModuleWeaver().ExecuteTestRun(path, runPeVerify: false, beforeExecuteCallback: module =>
                module.GetType("Worker").NestedTypes.Single().Fields.Single(f => f.Name == "<>t__builder").Name = "builder");

            var error = Assert.Single(result.Errors);
            Assert.StartsWith("MOPS007:", error.Text);
            Assert.Equal(SourceCompiler.LineOf(source, "RunAsync()"), error.SequencePoint!.StartLine);
        }

        [Fact]
        public void Runtime_async_flag_on_a_state_machine_stub_is_MOPS008()
        {
            var source = "using System.Threading.Tasks;\nusing Mirascope.Ops;\n\npublic class Worker\n{\n    [Trace]\n    public async Task<int> RunAsync() { await Task.Yield(); return 1; }\n}\n";
            var path = SourceCompiler.Compile(source, "RuntimeAsync");

            // Runtime-async methods (MethodImplAttributes.Async, 0x2000) have no state machine and are woven (see
            // RuntimeAsyncTests); a stub that starts a state machine and also carries the flag is no compiler's output:
            // its 'ret' returns the task, which the runtime would take for the result.
            var result = new ModuleWeaver().ExecuteTestRun(path, runPeVerify: false, beforeExecuteCallback: module =>
            {
                var method = module.GetType("Worker").Methods.Single(m => m.Name == "RunAsync");
                method.ImplAttributes |= (Mono.Cecil.MethodImplAttributes)0x2000;
            });

            var error = Assert.Single(result.Errors);
            Assert.StartsWith("MOPS008:", error.Text);
            Assert.Contains("runtime-async", error.Text);
        }

        [Fact]
        public void Unknown_FodyWeavers_option_is_MOPS009()
        {
            var path = SourceCompiler.Compile("public class Empty { }", "UnknownOption");
            var weaver = new ModuleWeaver { Config = XElement.Parse("<Mirascope.Ops Verbose=\"true\" />") };

            var error = Assert.Throws<WeavingException>(() => weaver.ExecuteTestRun(path, runPeVerify: false));

            Assert.StartsWith("MOPS009:", error.Message);
            Assert.Contains("'Verbose'", error.Message);
        }
    }
}
