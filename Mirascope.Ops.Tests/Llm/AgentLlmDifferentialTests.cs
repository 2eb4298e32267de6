using System;
using System.Threading.Tasks;
using Mirascope.Ops.Tests.Weaving;
using Mirascope.Ops.Tracing;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Xunit;

namespace Mirascope.Ops.Tests.Llm
{
    /// <summary>
    /// Tracing a woven agent that calls a model and a tool changes nothing it does: the same answer, the same tool
    /// calls, the same exception, without any listener and with the app's provider set up by <c>AddMirascopeOps()</c>.
    /// </summary>
    [Collection(NoListenerCollection.Name)]
    public sealed class AgentLlmDifferentialTests
    {
        private static async Task<(string Answer, string Failure, string FailureType)> RunAsync(FakeLlmServer server)
        {
            var agent = WovenAgent.Instance.New();
            var chat = LlmClients.OpenAI(server, "gpt-agent-tools").Traced(functionInvocation: true);
            var answer = await WovenAgent.Instance.AskAsync(agent, AgentSpanExportTests.Question, AgentSpanExportTests.Ask(chat, AgentSpanExportTests.WeatherTools(agent)));
            var failing = LlmClients.OpenAI(server, "gpt-agent-error").Traced(functionInvocation: true);
            var failure = await Assert.ThrowsAnyAsync<Exception>(() => WovenAgent.Instance.AskAsync(agent, AgentSpanExportTests.Question, AgentSpanExportTests.Ask(failing, AgentSpanExportTests.WeatherTools(agent))));
            return (answer, failure.Message, failure.GetType().FullName!);
        }

        [Fact]
        public async Task Agent_answers_and_failures_are_the_same_with_and_without_a_listener()
        {
            var server = await FakeLlmServer.Shared;
            _ = WovenAgent.Instance;
            Assert.False(OpsActivitySource.Source.HasListeners(), "a test left a listener on Mirascope.Ops alive");

            var unlistened = await RunAsync(server);
            (string, string, string) listened;
            using (Sdk.CreateTracerProviderBuilder().AddMirascopeOps().AddInMemoryExporter(new System.Collections.Generic.List<System.Diagnostics.Activity>()).Build())
            {
                Assert.True(OpsActivitySource.Source.HasListeners());
                listened = await RunAsync(server);
            }

            Assert.Equal(FakeLlmServer.ToolAnswer, unlistened.Answer);
            Assert.Equal(unlistened, listened);
        }
    }
}
