using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Mirascope.Ops.Tests.Export.Infrastructure;
using Mirascope.Ops.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Mirascope.Ops.Tests.Package
{
    /// <summary>
    /// README's LLM example, run as a user runs it (dotnet run with project samples/LlmQuickStart, offline against its
    /// bundled fake OpenAI server), exports where the environment says: the viewer's variables (<c>MIRASCOPE_BASE_URL</c>,
    /// <c>MIRASCOPE_API_KEY</c>, the Cloud ingest contract) or <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, each to a loopback
    /// receiver, instead of printing the trees.
    /// </summary>
    [Trait("Category", "Package")]
    public sealed class LlmQuickStartSampleTests
    {
#if DEBUG
        private const string Configuration = "Debug";
#else
        private const string Configuration = "Release";
#endif

        private readonly ITestOutputHelper _log;

        public LlmQuickStartSampleTests(ITestOutputHelper log) => _log = log;

        [Theory]
        [InlineData("mirascope")]
        [InlineData("otlp")]
        public async Task LlmQuickStart_sends_its_traced_calls_and_both_layers_of_each_model_call_where_the_environment_says(string destination)
        {
            await using var receiver = await TraceReceiver.StartAsync();
            var environment = new Dictionary<string, string> { ["OPENAI_API_KEY"] = "" };
            if (destination == "mirascope")
            {
                environment["MIRASCOPE_BASE_URL"] = receiver.BaseUrl.ToString();
                environment["MIRASCOPE_API_KEY"] = receiver.ApiKey;
            }
            else
            {
                environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.OtlpEndpoint.ToString();
            }

            var run = DotnetCli.Run(_log, RepositoryPaths.Root, new[] { "run", "--project", "samples/LlmQuickStart", "-c", Configuration }, environment).EnsureSuccess();

            Assert.Contains("recommendation: Try", run.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("● Librarian.", run.Output, StringComparison.Ordinal);   // exported, not printed
            var spans = receiver.Spans;
            Assert.Empty(receiver.ContractErrors);
            var (expected, other) = destination == "mirascope" ? (TraceReceiver.CloudPath, TraceReceiver.OtlpPath) : (TraceReceiver.OtlpPath, TraceReceiver.CloudPath);
            Assert.Contains(receiver.Requests, r => r.Path == expected);
            Assert.DoesNotContain(receiver.Requests, r => r.Path == other);

            var recommend = Assert.Single(spans, s => s.Name == "Librarian.RecommendBookAsync");
            var ours = Assert.Single(spans, s => s.ParentSpanId == recommend.SpanId);
            Assert.Equal(("chat gpt-4o-mini", "Mirascope.Ops"), (ours.Name, ours.ScopeName));
            Assert.Equal((14L, 21L), (ours["gen_ai.usage.input_tokens"], ours["gen_ai.usage.output_tokens"]));   // the fake server's usage
            var sdks = Assert.Single(spans, s => s.ParentSpanId == ours.SpanId);   // the OpenAI SDK's own span, on by OpsLlm.Instrument()
            Assert.StartsWith("OpenAI.", sdks.ScopeName, StringComparison.Ordinal);
            Assert.Equal(ours["gen_ai.response.id"], sdks["gen_ai.response.id"]);   // the same call: the viewer counts it once

            var streamed = Assert.Single(spans, s => s.Name == "Librarian.StreamRecommendationAsync");
            Assert.Contains(spans, s => s.ParentSpanId == streamed.SpanId && s.Name == "chat gpt-4o-mini" && s["gen_ai.request.stream"] is true);
        }
    }
}
