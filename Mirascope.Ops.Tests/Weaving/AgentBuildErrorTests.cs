using System.IO;
using System.Linq;
using Fody;
using Mirascope.Ops.Fody;
using Mirascope.Ops.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Weaving
{
    /// <summary>An <c>[Agent]</c> the weaver cannot honour is build error MOPS014 with the file and line; the method is left as written.</summary>
    public class AgentBuildErrorTests
    {
        private static (TestResult Result, string Source) Weave(string body, string name)
        {
            var source = "using System;\nusing System.Threading.Tasks;\nusing Mirascope.Ops;\n\nnamespace Broken\n{\n" + body + "\n}\n";
            var path = SourceCompiler.Compile(source, name);
            return (new ModuleWeaver().ExecuteTestRun(path, runPeVerify: false), source);
        }

        private static void AssertSingleError(TestResult result, string source, string lineMarker, string messagePart)
        {
            var error = Assert.Single(result.Errors);
            Assert.StartsWith("MOPS014:", error.Text);
            Assert.Contains(messagePart, error.Text);
            Assert.NotNull(error.SequencePoint);
            Assert.True(File.Exists(error.SequencePoint!.Document.Url));
            Assert.Equal(SourceCompiler.LineOf(source, lineMarker), error.SequencePoint.StartLine);
            Assert.Contains(result.Messages, m => m.Text.Contains("wove 1 method"));
        }

        private const string Good = "\n    [Agent(Name = \"fine\")]\n    public int Good() { return 2; }\n";

        [Fact]
        public void Agent_beside_Version_is_MOPS014_at_the_method()
        {
            var (result, source) = Weave(
                "public class Planner\n{\n    [Agent(Name = \"planner\")]\n    [Version]\n    public int Plan(int steps) { return steps; }\n" + Good + "}",
                "AgentAndVersion");

            AssertSingleError(result, source, "public int Plan(int steps) { return steps; }", "[Version]");
        }

        [Fact]
        public void Agent_beside_a_Trace_that_names_the_span_is_MOPS014()
        {
            var (result, source) = Weave(
                "public class Planner\n{\n    [Agent(Name = \"planner\")]\n    [Trace(Name = \"plan\")]\n    public int Plan(int steps) { return steps; }\n" + Good + "}",
                "AgentAndTraceName");

            AssertSingleError(result, source, "public int Plan(int steps) { return steps; }", "[Agent(Name = ...)]");
        }

        [Fact]
        public void Agent_with_an_empty_value_is_MOPS014_naming_the_property()
        {
            var (result, source) = Weave(
                "public class Planner\n{\n    [Agent(Name = \"planner\", Description = \" \")]\n    public int Plan(int steps) { return steps; }\n" + Good + "}",
                "AgentEmptyDescription");

            AssertSingleError(result, source, "public int Plan(int steps) { return steps; }", "Description");
        }

        [Fact]
        public void Agent_beside_a_class_level_Trace_is_woven_once_as_the_agent()
        {
            var (result, _) = Weave(
                "[Trace(Tags = [\"planning\"])]\npublic class Planner\n{\n    [Agent(Name = \"planner\")]\n    public int Plan(int steps) { return steps; }\n}",
                "AgentInTracedClass");

            Assert.Empty(result.Errors);
            var type = result.Assembly.GetType("Broken.Planner", throwOnError: true)!;
            using var capture = new SpanCapture();
            Assert.Equal(3, type.GetMethod("Plan")!.Invoke(System.Activator.CreateInstance(type), new object[] { 3 }));
            var span = capture.Single("invoke_agent planner");
            Assert.Equal(new[] { "planning" }, (string[])span.GetTagItem("mirascope.trace.tags")!);
            Assert.Single(capture.Spans, s => s.GetTagItem("code.function.name") as string == "Broken.Planner.Plan");
        }
    }
}
