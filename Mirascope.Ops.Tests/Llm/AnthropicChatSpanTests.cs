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
    /// <summary>The real Anthropic SDK, through its own IChatClient, against the loopback fake.</summary>
    public sealed class AnthropicChatSpanTests
    {
        private const string Prompt = "Recommend a fantasy book.";

        [Fact]
        public async Task Completion_span_records_request_response_and_usage_including_cache_tokens()
        {
            var server = await FakeLlmServer.Shared;
            using var capture = new SpanCapture();
            var client = LlmClients.Anthropic(server, "claude-sonnet-4-5").Traced();

            var response = await client.GetResponseAsync(Prompt, new ChatOptions { Temperature = 0.5f, MaxOutputTokens = 256, TopK = 40 });

            Assert.Equal(FakeLlmServer.Answer, response.Text);
            var span = capture.Single("chat claude-sonnet-4-5");
            Assert.Equal(ActivityKind.Client, span.Kind);
            Assert.Equal("chat", span.GetTagItem("gen_ai.operation.name"));
            Assert.Equal("anthropic", span.GetTagItem("gen_ai.provider.name"));
            Assert.Equal("claude-sonnet-4-5", span.GetTagItem("gen_ai.request.model"));
            Assert.Equal("127.0.0.1", span.GetTagItem("server.address"));
            Assert.Equal(server.BaseAddress.Port, span.GetTagItem("server.port"));
            Assert.Equal(0.5, span.GetTagItem("gen_ai.request.temperature"));
            Assert.Equal(256, span.GetTagItem("gen_ai.request.max_tokens"));
            Assert.Equal(40.0, span.GetTagItem("gen_ai.request.top_k"));
            Assert.Equal("msg_1", span.GetTagItem("gen_ai.response.id"));
            Assert.Equal("claude-sonnet-4-5-0001", span.GetTagItem("gen_ai.response.model"));
            Assert.Equal(new[] { "stop" }, span.GetTagItem("gen_ai.response.finish_reasons"));
            Assert.Equal(7L, span.GetTagItem("gen_ai.usage.output_tokens"));
            Assert.Equal(3L, span.GetTagItem("gen_ai.usage.cache_read.input_tokens"));
            Assert.Equal(2L, span.GetTagItem("gen_ai.usage.cache_creation.input_tokens"));
            var usage = (string)span.GetTagItem("mirascope.response.usage")!;
            Assert.Contains("\"output_tokens\":7", usage, StringComparison.Ordinal);
            Assert.Contains("\"cache_read_tokens\":3", usage, StringComparison.Ordinal);
            Assert.Contains("\"cache_write_tokens\":2", usage, StringComparison.Ordinal);
            Assert.Equal("anthropic", span.GetTagItem("mirascope.response.provider_id"));
            Assert.Equal("claude-sonnet-4-5-0001", span.GetTagItem("mirascope.response.model_id"));
            ChatSpanAssertions.HasNoContent(span, Prompt, "Rothfuss");
        }

        [Fact]
        public async Task Input_tokens_include_the_cache_read_and_written_tokens_as_the_conventions_ask()
        {
            var server = await FakeLlmServer.Shared;
            using var capture = new SpanCapture();
            var client = LlmClients.Anthropic(server, "claude-haiku").Traced();

            await client.GetResponseAsync(Prompt);

            // The fake reports 10 uncached, 3 read from and 2 written to the cache.
            var span = capture.Single("chat claude-haiku");
            Assert.Equal(15L, span.GetTagItem("gen_ai.usage.input_tokens"));
            Assert.Contains("\"input_tokens\":15,", (string)span.GetTagItem("mirascope.response.usage")!, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Streaming_span_covers_the_stream_and_records_the_assembled_response()
        {
            var server = await FakeLlmServer.Shared;
            using var capture = new SpanCapture();
            var client = LlmClients.Anthropic(server, "claude-sonnet-4-5").Traced(capture: true);

            var text = new System.Text.StringBuilder();
            await foreach (var update in client.GetStreamingResponseAsync(Prompt))
            {
                text.Append(update.Text);
                Assert.Empty(capture.Chats());
            }

            Assert.Equal(FakeLlmServer.Answer, text.ToString());
            var span = capture.Single("chat claude-sonnet-4-5");
            Assert.Equal(true, span.GetTagItem("gen_ai.request.stream"));
            Assert.Equal("msg_stream_1", span.GetTagItem("gen_ai.response.id"));
            Assert.Equal("claude-sonnet-4-5-0001", span.GetTagItem("gen_ai.response.model"));
            Assert.Equal(new[] { "stop" }, span.GetTagItem("gen_ai.response.finish_reasons"));
            Assert.Equal(7L, span.GetTagItem("gen_ai.usage.output_tokens"));
            Assert.Equal(
                "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Try \\\"The Name of the Wind\\\" by Patrick Rothfuss.\"}],\"finish_reason\":\"stop\"}]",
                span.GetTagItem("gen_ai.output.messages"));
            Assert.Equal("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Recommend a fantasy book.\"}]}]", span.GetTagItem("gen_ai.input.messages"));
        }

        [Fact]
        public async Task Streaming_span_ends_when_the_consumer_breaks_out_early()
        {
            var server = await FakeLlmServer.Shared;
            using var capture = new SpanCapture();
            var client = LlmClients.Anthropic(server, "claude-slow").Traced();

            await foreach (var update in client.GetStreamingResponseAsync(Prompt))
            {
                if (update.Text.Length > 0)
                {
                    break;
                }
            }

            var span = capture.Single("chat claude-slow");
            Assert.Equal(ActivityStatusCode.Unset, span.Status);
            Assert.Null(span.GetTagItem("error.type"));
        }

        [Fact]
        public async Task Error_response_marks_the_span_failed_with_the_exception_type()
        {
            var server = await FakeLlmServer.Shared;
            using var capture = new SpanCapture();
            var client = LlmClients.Anthropic(server, "claude-error").Traced();

            var thrown = await Assert.ThrowsAnyAsync<Exception>(() => client.GetResponseAsync(Prompt));

            var span = capture.Single("chat claude-error");
            Assert.Equal(ActivityStatusCode.Error, span.Status);
            Assert.Equal(thrown.GetType().FullName, span.GetTagItem("error.type"));
            Assert.StartsWith("Anthropic.", thrown.GetType().FullName, StringComparison.Ordinal);
            Assert.Single(span.Events, e => e.Name == "exception");
        }

        [Fact]
        public async Task Tool_calls_made_by_function_invocation_appear_as_execute_tool_spans()
        {
            var server = await FakeLlmServer.Shared;
            using var capture = new SpanCapture();
            var client = LlmClients.Anthropic(server, "claude-sonnet-4-5").Traced(capture: true, functionInvocation: true);
            var options = new ChatOptions
            {
                Tools = new List<AITool> { AIFunctionFactory.Create((string city) => $"sunny in {city}", "get_weather", "Gets the weather of a city") },
            };

            var response = await client.GetResponseAsync("What is the weather in Paris?", options);

            Assert.Equal(FakeLlmServer.ToolAnswer, response.Text);
            var chats = capture.Chats();
            Assert.Equal(2, chats.Count);
            var tool = capture.Single("execute_tool get_weather");
            Assert.Equal("toolu_weather_1", tool.GetTagItem("gen_ai.tool.call.id"));
            Assert.Equal(chats[0].ParentSpanId, tool.ParentSpanId);
            Assert.Equal(new[] { "tool_calls" }, chats[0].GetTagItem("gen_ai.response.finish_reasons"));
            Assert.Contains(
                "{\"type\":\"tool_call\",\"id\":\"toolu_weather_1\",\"name\":\"get_weather\",\"arguments\":{\"city\":\"Paris\"}}",
                (string)chats[0].GetTagItem("gen_ai.output.messages")!,
                StringComparison.Ordinal);
            Assert.Contains(
                "{\"type\":\"tool_call_response\",\"id\":\"toolu_weather_1\",\"response\":\"sunny in Paris\"}",
                (string)chats[1].GetTagItem("gen_ai.input.messages")!,
                StringComparison.Ordinal);
        }
    }
}
