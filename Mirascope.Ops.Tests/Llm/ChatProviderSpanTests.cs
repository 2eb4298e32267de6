using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Mirascope.Ops.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Llm
{
    /// <summary>
    /// What every provider's chat span does alike, tested once per provider (the real SDKs against the loopback fake);
    /// what only one provider records is in <see cref="OpenAIChatSpanTests"/> and <see cref="AnthropicChatSpanTests"/>.
    /// </summary>
    public sealed class ChatProviderSpanTests
    {
        private const string Prompt = "Recommend a fantasy book.";

        [Theory]
        [InlineData("openai")]
        [InlineData("anthropic")]
        public async Task Streaming_span_ends_when_the_consumer_breaks_out_early_with_finish_reason_error(string providerName)
        {
            var provider = ChatProvider.Named(providerName);
            var model = provider.ModelPrefix + "-slow";
            var server = await FakeLlmServer.Shared;
            using var capture = new SpanCapture();
            var client = provider.Client(server, model).Traced();

            await foreach (var update in client.GetStreamingResponseAsync(Prompt))
            {
                if (update.Text.Length > 0)
                {
                    break;
                }
            }

            var span = capture.Single("chat " + model);
            Assert.Equal(ActivityStatusCode.Unset, span.Status);
            Assert.Null(span.GetTagItem("error.type"));
            Assert.Equal(model + "-0001", span.GetTagItem("gen_ai.response.model"));
            // The stream was left before its final event: the conventions' "error" (client-inference.md, note [18]).
            Assert.Equal(new[] { "error" }, span.GetTagItem("gen_ai.response.finish_reasons"));
        }

        [Theory]
        [InlineData("openai")]
        [InlineData("anthropic")]
        public async Task Error_response_marks_the_span_failed_with_the_exception_type_and_finish_reason_error(string providerName)
        {
            var provider = ChatProvider.Named(providerName);
            var model = provider.ModelPrefix + "-error";
            var server = await FakeLlmServer.Shared;
            using var capture = new SpanCapture();
            var client = provider.Client(server, model).Traced();

            var thrown = await Assert.ThrowsAnyAsync<Exception>(() => client.GetResponseAsync(Prompt));

            var span = capture.Single("chat " + model);
            provider.CheckErrorResponse(thrown, span);
            Assert.Equal(ActivityStatusCode.Error, span.Status);
            Assert.Equal(thrown.GetType().FullName, span.GetTagItem("error.type"));
            var exception = Assert.Single(span.Events, e => e.Name == "exception");
            Assert.Equal(thrown.GetType().FullName, exception.Tags.Single(t => t.Key == "exception.type").Value);
            Assert.Null(span.GetTagItem("gen_ai.response.id"));
            Assert.Equal(new[] { "error" }, span.GetTagItem("gen_ai.response.finish_reasons"));
        }

        [Theory]
        [InlineData("openai")]
        [InlineData("anthropic")]
        public async Task Tool_calls_made_by_function_invocation_appear_as_execute_tool_spans_between_the_chat_spans(string providerName)
        {
            var provider = ChatProvider.Named(providerName);
            var server = await FakeLlmServer.Shared;
            using var capture = new SpanCapture();
            var client = provider.Client(server, provider.ModelPrefix + "-tools").Traced(capture: true, functionInvocation: true);
            var options = new ChatOptions
            {
                Tools = new List<AITool> { AIFunctionFactory.Create((string city) => $"sunny in {city}", "get_weather", "Gets the weather of a city") },
            };

            var response = await client.GetResponseAsync("What is the weather in Paris?", options);

            Assert.Equal(FakeLlmServer.ToolAnswer, response.Text);
            var chats = capture.Chats();
            Assert.Equal(2, chats.Count);
            var tool = capture.Single("execute_tool get_weather");
            Assert.Equal("execute_tool", tool.GetTagItem("gen_ai.operation.name"));
            Assert.Equal("get_weather", tool.GetTagItem("gen_ai.tool.name"));
            Assert.Equal(provider.ToolCallId, tool.GetTagItem("gen_ai.tool.call.id"));
            Assert.Equal("function", tool.GetTagItem("gen_ai.tool.type"));
            Assert.Equal(ActivityKind.Internal, tool.Kind);
            // The tool ran after the first model call ended and before the second began, under the same parent.
            Assert.True(tool.StartTimeUtc >= chats[0].StartTimeUtc + chats[0].Duration);
            Assert.True(chats[1].StartTimeUtc >= tool.StartTimeUtc + tool.Duration);
            Assert.Equal(chats[0].ParentSpanId, tool.ParentSpanId);
            Assert.Equal(chats[1].ParentSpanId, tool.ParentSpanId);

            Assert.Equal(new[] { "tool_calls" }, chats[0].GetTagItem("gen_ai.response.finish_reasons"));
            Assert.Contains(
                "{\"type\":\"tool_call\",\"id\":\"" + provider.ToolCallId + "\",\"name\":\"get_weather\",\"arguments\":{\"city\":\"Paris\"}}",
                (string)chats[0].GetTagItem("gen_ai.output.messages")!,
                StringComparison.Ordinal);
            provider.CheckToolCallChat(chats[0]);
            Assert.Contains(
                "{\"type\":\"tool_call_response\",\"id\":\"" + provider.ToolCallId + "\",\"response\":\"sunny in Paris\"}",
                (string)chats[1].GetTagItem("gen_ai.input.messages")!,
                StringComparison.Ordinal);
            Assert.Equal(new[] { "stop" }, chats[1].GetTagItem("gen_ai.response.finish_reasons"));
        }
    }
}
