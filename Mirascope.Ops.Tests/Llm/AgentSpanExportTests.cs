using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Xunit;

namespace Mirascope.Ops.Tests.Llm
{
    /// <summary>
    /// A woven <c>[Agent]</c> method that asks the real OpenAI SDK (through Microsoft.Extensions.AI with
    /// <c>UseFunctionInvocation().UseMirascopeOps()</c>) on the loopback fake, which calls a tool: what the app's own
    /// OpenTelemetry SDK provider, set up with <c>AddMirascopeOps()</c> alone, exports.
    /// </summary>
    public sealed class AgentSpanExportTests
    {
        internal const string Question = "What is the weather in Paris?";

        internal static ChatOptions WeatherTools(object agent) => new ChatOptions
        {
            Tools = new List<AITool> { AIFunctionFactory.Create((string city) => WovenAgent.Instance.Forecast(agent, city), "get_weather", "Gets the weather of a city") },
        };

        internal static Func<string, Task<string>> Ask(IChatClient chat, ChatOptions options) =>
            async question => (await chat.GetResponseAsync(question, options)).Text;

        [Fact]
        public async Task Woven_agent_exports_invoke_agent_over_its_chat_and_execute_tool_spans_with_the_conventions_keys()
        {
            var server = await FakeLlmServer.Shared;
            var exported = new List<Activity>();
            using var provider = Sdk.CreateTracerProviderBuilder().AddMirascopeOps().AddInMemoryExporter(exported).Build();
            var agent = WovenAgent.Instance.New();
            var chat = LlmClients.OpenAI(server, "gpt-agent-tools").Traced(functionInvocation: true);
            var root = new Activity("agent-export-root").SetIdFormat(ActivityIdFormat.W3C).Start();
            root.ActivityTraceFlags = ActivityTraceFlags.Recorded;

            string answer;
            try
            {
                answer = await WovenAgent.Instance.AskAsync(agent, Question, Ask(chat, WeatherTools(agent)));
            }
            finally
            {
                root.Stop();
            }

            provider.ForceFlush();
            Assert.Equal(FakeLlmServer.ToolAnswer, answer);
            var mine = exported.Where(a => a.TraceId == root.TraceId).ToList();
            // The agent: the conventions' in-process agent span, with the traced call's own keys.
            var invoke = Assert.Single(mine, a => a.DisplayName == "invoke_agent weather assistant");
            Assert.Equal("Mirascope.Ops", invoke.Source.Name);
            Assert.Equal(ActivityKind.Internal, invoke.Kind);
            Assert.Equal(root.SpanId, invoke.ParentSpanId);
            Assert.Equal("invoke_agent", invoke.GetTagItem("gen_ai.operation.name"));
            Assert.Equal("openai", invoke.GetTagItem("gen_ai.provider.name"));
            Assert.Equal("weather assistant", invoke.GetTagItem("gen_ai.agent.name"));
            Assert.Equal("asst_weather_1", invoke.GetTagItem("gen_ai.agent.id"));
            Assert.Equal("Answers questions about the weather", invoke.GetTagItem("gen_ai.agent.description"));
            Assert.Equal("{\"question\":\"What is the weather in Paris?\",\"ask\":\"[redacted]\"}", invoke.GetTagItem("mirascope.trace.arg_values"));
            Assert.Equal(FakeLlmServer.ToolAnswer, invoke.GetTagItem("mirascope.trace.output"));

            // Two model round trips and the tool call between them, all under the agent.
            var chats = mine.Where(a => a.Source.Name == "Mirascope.Ops" && a.DisplayName == "chat gpt-agent-tools").OrderBy(a => a.StartTimeUtc).ToList();
            Assert.Equal(2, chats.Count);
            Assert.All(chats, c => Assert.Equal(invoke.SpanId, c.ParentSpanId));
            Assert.All(chats, c => Assert.Equal(ActivityKind.Client, c.Kind));
            Assert.All(chats, c => Assert.Equal("chat", c.GetTagItem("gen_ai.operation.name")));
            Assert.Equal(new[] { "tool_calls" }, chats[0].GetTagItem("gen_ai.response.finish_reasons"));
            Assert.Equal(new[] { "stop" }, chats[1].GetTagItem("gen_ai.response.finish_reasons"));

            var tool = Assert.Single(mine, a => a.DisplayName == "execute_tool get_weather");
            Assert.Equal(invoke.SpanId, tool.ParentSpanId);
            Assert.Equal(ActivityKind.Internal, tool.Kind);
            Assert.Equal("execute_tool", tool.GetTagItem("gen_ai.operation.name"));
            Assert.Equal("get_weather", tool.GetTagItem("gen_ai.tool.name"));
            Assert.Equal("call_weather_1", tool.GetTagItem("gen_ai.tool.call.id"));
            Assert.Equal("function", tool.GetTagItem("gen_ai.tool.type"));
            Assert.Equal("Gets the weather of a city", tool.GetTagItem("gen_ai.tool.description"));
            Assert.True(tool.StartTimeUtc >= chats[0].StartTimeUtc + chats[0].Duration);
            Assert.True(chats[1].StartTimeUtc >= tool.StartTimeUtc + tool.Duration);

            // The tool's own traced work nests under the tool call.
            var forecast = Assert.Single(mine, a => a.DisplayName == "WeatherAgent.Forecast");
            Assert.Equal(tool.SpanId, forecast.ParentSpanId);
            Assert.Equal("{\"city\":\"Paris\"}", forecast.GetTagItem("mirascope.trace.arg_values"));
        }
    }
}
