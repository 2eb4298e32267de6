extern alias AgentFramework;

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using AgentFramework::Microsoft.Agents.AI;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Xunit;

namespace Mirascope.Ops.Tests.Llm
{
    /// <summary>
    /// Microsoft Agent Framework (Microsoft.Agents.AI 1.28.0): a <c>ChatClientAgent</c> over the real OpenAI SDK on the
    /// loopback fake, with a tool, traced by the app's own OpenTelemetry SDK providers set up with <c>AddMirascopeOps()</c>
    /// alone. The agent itself must be built with <c>UseOpenTelemetry()</c>, the framework's own switch.
    /// </summary>
    public sealed class AgentFrameworkTests
    {
        /// <summary>Asks <paramref name="agent"/> the weather question under a recorded root activity of its own, stopped when it answers.</summary>
        private static async Task<(AgentResponse Response, Activity Root)> RunUnderRootAsync(AIAgent agent, string rootName)
        {
            var root = new Activity(rootName).SetIdFormat(ActivityIdFormat.W3C).Start();
            root.ActivityTraceFlags = ActivityTraceFlags.Recorded;
            try
            {
                return (await agent.RunAsync(AgentSpanExportTests.Question), root);
            }
            finally
            {
                root.Stop();
            }
        }

        private static AIAgent WeatherAgent(FakeLlmServer server, string model, List<string> toolCalls) =>
            new ChatClientAgent(
                LlmClients.OpenAI(server, model),
                instructions: "You answer questions about the weather.",
                name: "weather",
                description: "Answers questions about the weather",
                tools: new List<AITool>
                {
                    AIFunctionFactory.Create((string city) => { toolCalls.Add(city); return "sunny in " + city; }, "get_weather", "Gets the weather of a city"),
                });

        [Fact]
        public async Task An_agent_with_UseOpenTelemetry_exports_invoke_agent_chat_and_execute_tool_spans_and_metrics_through_AddMirascopeOps()
        {
            var server = await FakeLlmServer.Shared;
            var spans = new List<Activity>();
            var metrics = new List<Metric>();
            using var tracing = Sdk.CreateTracerProviderBuilder().AddMirascopeOps().AddInMemoryExporter(spans).Build();
            using var metering = Sdk.CreateMeterProviderBuilder().AddMirascopeOps().AddInMemoryExporter(metrics).Build();
            var toolCalls = new List<string>();
            var agent = WeatherAgent(server, "gpt-maf-tools", toolCalls).AsBuilder().UseOpenTelemetry().Build();
            var (response, root) = await RunUnderRootAsync(agent, "agent-framework-root");

            tracing.ForceFlush();
            metering.ForceFlush();
            Assert.Equal(FakeLlmServer.ToolAnswer, response.Text);
            Assert.Equal(new[] { "Paris" }, toolCalls);
            var mine = spans.Where(a => a.TraceId == root.TraceId).ToList();

            // The framework's spans; the OpenAI SDK's own (when its switch is on) nest under its chat spans.
            var framework = mine.Where(a => a.Source.Name == "Experimental.Microsoft.Agents.AI").ToList();

            var invoke = Assert.Single(framework, a => (string?)a.GetTagItem("gen_ai.operation.name") == "invoke_agent");
            Assert.StartsWith("invoke_agent weather", invoke.DisplayName, StringComparison.Ordinal);
            Assert.Equal(root.SpanId, invoke.ParentSpanId);
            Assert.Equal("weather", invoke.GetTagItem("gen_ai.agent.name"));
            Assert.Equal("Answers questions about the weather", invoke.GetTagItem("gen_ai.agent.description"));
            Assert.Equal(agent.Id, invoke.GetTagItem("gen_ai.agent.id"));

            var chats = framework.Where(a => a.DisplayName == "chat gpt-maf-tools").OrderBy(a => a.StartTimeUtc).ToList();
            Assert.Equal(2, chats.Count);
            var tool = Assert.Single(framework, a => a.DisplayName == "execute_tool get_weather");
            Assert.Equal("execute_tool", tool.GetTagItem("gen_ai.operation.name"));
            Assert.Equal("get_weather", tool.GetTagItem("gen_ai.tool.name"));
            Assert.Equal("call_weather_1", tool.GetTagItem("gen_ai.tool.call.id"));
            var byId = mine.ToDictionary(a => a.SpanId);
            bool Under(Activity span)
            {
                for (var parent = span.ParentSpanId; byId.TryGetValue(parent, out var next); parent = next.ParentSpanId)
                {
                    if (next == invoke)
                    {
                        return true;
                    }
                }

                return false;
            }

            Assert.All(chats.Append(tool), a => Assert.True(Under(a), a.DisplayName + " is not under the agent's span"));

            // The framework's meter (Microsoft.Extensions.AI's client under the agent's source name) is subscribed too.
            var duration = Assert.Single(metrics, m => m.MeterName == "Experimental.Microsoft.Agents.AI" && m.Name == "gen_ai.client.operation.duration");
            Assert.Equal(MetricType.Histogram, duration.MetricType);
            Assert.Single(metrics, m => m.MeterName == "Experimental.Microsoft.Agents.AI" && m.Name == "gen_ai.client.token.usage");
        }

        [Fact]
        public async Task An_agent_without_UseOpenTelemetry_emits_no_agent_spans_even_with_AddMirascopeOps()
        {
            var server = await FakeLlmServer.Shared;
            var spans = new List<Activity>();
            using var tracing = Sdk.CreateTracerProviderBuilder().AddMirascopeOps().AddInMemoryExporter(spans).Build();
            var toolCalls = new List<string>();
            var agent = WeatherAgent(server, "gpt-maf-plain", toolCalls);
            var (response, root) = await RunUnderRootAsync(agent, "agent-framework-plain-root");

            tracing.ForceFlush();
            Assert.Equal(FakeLlmServer.ToolAnswer, response.Text);
            Assert.Equal(new[] { "Paris" }, toolCalls);
            Assert.DoesNotContain(spans, a => a.TraceId == root.TraceId && a.Source.Name == "Experimental.Microsoft.Agents.AI");
        }
    }
}
