using System.Threading.Tasks;
using Mirascope.Ops.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Weaving
{
    /// <summary>
    /// <c>[return: NoTrace]</c> records the output as <c>"[redacted]"</c>; <c>[Trace(RecordValues = false)]</c> on a method
    /// or its class records no values (the innermost level wins). Spans, results and errors are unchanged.
    /// </summary>
    public class CaptureControlTests
    {
        [Theory]
        [MemberData(nameof(WovenAssembly.Configurations), MemberType = typeof(WovenAssembly))]
        public async Task A_return_value_marked_NoTrace_is_recorded_as_redacted_and_the_arguments_are_kept(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var credentials = woven.New("Credentials");

            using var capture = new SpanCapture();
            Assert.Equal("tok-ann", woven.Call(credentials, "IssueToken", "ann"));
            Assert.Equal("tok-bob", await (Task<string>)woven.Call(credentials, "IssueTokenAsync", "bob")!);

            var sync = capture.Single("Credentials.IssueToken");
            Assert.Equal("{\"user\":\"ann\"}", sync.GetTagItem("mirascope.trace.arg_values"));
            Assert.Equal("[redacted]", sync.GetTagItem("mirascope.trace.output"));
            Assert.Null(sync.GetTagItem("mirascope.trace.values_skipped"));

            var async = capture.Single("Credentials.IssueTokenAsync");
            Assert.Equal("{\"user\":\"bob\"}", async.GetTagItem("mirascope.trace.arg_values"));
            Assert.Equal("[redacted]", async.GetTagItem("mirascope.trace.output"));
        }

        [Theory]
        [MemberData(nameof(WovenAssembly.Configurations), MemberType = typeof(WovenAssembly))]
        public void RecordValues_false_on_a_method_or_its_class_records_no_values_and_says_so(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);

            using var capture = new SpanCapture();
            Assert.Equal(6, woven.Call(woven.New("Credentials"), "Check", "hunter"));
            var vault = woven.New("QuietVault");
            Assert.Equal("opened with 1234", woven.Call(vault, "Open", "1234"));
            Assert.Equal(3, woven.Call(vault, "Count", 3));

            foreach (var name in new[] { "Credentials.Check", "QuietVault.Open" })
            {
                var span = capture.Single(name);
                Assert.Null(span.GetTagItem("mirascope.trace.arg_values"));
                Assert.Null(span.GetTagItem("mirascope.trace.output"));
                Assert.Equal("disabled", span.GetTagItem("mirascope.trace.values_skipped"));
                Assert.Equal("{\"" + (name == "Credentials.Check" ? "password" : "combination") + "\":\"string\"}", span.GetTagItem("mirascope.trace.arg_types"));
            }

            // The method's own [Trace(RecordValues = true)] overrides its class.
            var count = capture.Single("QuietVault.Count");
            Assert.Equal("{\"items\":3}", count.GetTagItem("mirascope.trace.arg_values"));
            Assert.Equal(3, count.GetTagItem("mirascope.trace.output"));
        }
    }
}
