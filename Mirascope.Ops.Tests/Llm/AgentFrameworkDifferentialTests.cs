extern alias AgentFramework;

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using AgentFramework::Microsoft.Agents.AI;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Mirascope.Ops.Tests.Weaving;
using Mirascope.Ops.Tracing;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Xunit;

namespace Mirascope.Ops.Tests.Llm
{
    /// <summary>
    /// Tracing a Microsoft Agent Framework agent through <c>AddMirascopeOps()</c> changes nothing it does: the same
    /// agent (built with <c>UseOpenTelemetry()</c>, its chat client behind <c>UseMirascopeOps()</c>) gives the same answer,
    /// messages and tool calls, and the same failure, with nobody listening and with the app's providers listening.
    /// </summary>
    [Collection(NoListenerCollection.Name)]
    public sealed class AgentFrameworkDifferentialTests
    {
        private static AIAgent Agent(FakeLlmServer server, string model, List<string> toolCalls) =>
            new ChatClientAgent(
                LlmClients.OpenAI(server, model).Traced(capture: true),
                instructions: "You answer questions about the weather.",
                name: "weather",
                description: "Answers questions about the weather",
                tools: new List<AITool>
                {
                    AIFunctionFactory.Create((string city) => { toolCalls.Add(city); return "sunny in " + city; }, "get_weather", "Gets the weather of a city"),
                }).AsBuilder().UseOpenTelemetry().Build();

        private static async Task<List<string>> RunAsync(FakeLlmServer server)
        {
            var seen = new List<string>();
            var toolCalls = new List<string>();
            var response = await Agent(server, "gpt-maf-diff", toolCalls).RunAsync(AgentSpanExportTests.Question);
            seen.Add("answer " + response.Text);
            seen.Add("messages " + string.Join(" | ", response.Messages.Select(m => m.Role + ":" + m.Text + ":" + string.Join(",", m.Contents.Select(c => c.GetType().Name)))));
            seen.Add("tool calls " + string.Join(",", toolCalls));
            var failure = await Assert.ThrowsAnyAsync<Exception>(() => Agent(server, "gpt-maf-diff-error", new List<string>()).RunAsync(AgentSpanExportTests.Question));
            seen.Add("failure " + failure.GetType().FullName + ": " + failure.Message);
            return seen;
        }

        [Fact]
        public async Task Agent_Framework_answers_tool_calls_and_failures_are_the_same_with_and_without_a_listener()
        {
            var server = await FakeLlmServer.Shared;
            Assert.False(OpsActivitySource.Source.HasListeners(), "a test left a listener on Mirascope.Ops alive");

            var unlistened = await RunAsync(server);
            var spans = new List<Activity>();
            List<string> listened;
            using (var tracing = Sdk.CreateTracerProviderBuilder().AddMirascopeOps().AddInMemoryExporter(spans).Build()!)
            using (Sdk.CreateMeterProviderBuilder().AddMirascopeOps().AddInMemoryExporter(new List<Metric>()).Build())
            {
                listened = await RunAsync(server);
                tracing.ForceFlush(10_000);
            }

            Assert.Equal(unlistened, listened);
            Assert.Contains("answer " + FakeLlmServer.ToolAnswer, unlistened);
            Assert.Contains(spans, s => s.DisplayName.StartsWith("invoke_agent weather", StringComparison.Ordinal));   // traced when listened to
        }
    }
}
