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
    /// The real Anthropic SDK, through its own IChatClient, against the loopback fake: what only this provider's spans
    /// show (what every provider does alike is in <see cref="ChatProviderSpanTests"/>).
    /// </summary>
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
            Assert.Equal(40, span.GetTagItem("gen_ai.request.top_k"));
            Assert.Equal("msg_1", span.GetTagItem("gen_ai.response.id"));
            Assert.Equal("claude-sonnet-4-5-0001", span.GetTagItem("gen_ai.response.model"));
            Assert.Equal(new[] { "stop" }, span.GetTagItem("gen_ai.response.finish_reasons"));
            Assert.Equal(7L, span.GetTagItem("gen_ai.usage.output_tokens"));
            Assert.Equal(3L, span.GetTagItem("gen_ai.usage.cache_read.input_tokens"));
            Assert.Equal(2L, span.GetTagItem("gen_ai.usage.cache_write.input_tokens"));
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
                "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Try \\\"The Name of the Wind\\\" by Patrick Rothfuss.\"}]}]",
                span.GetTagItem("gen_ai.output.messages"));
            Assert.Equal("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Recommend a fantasy book.\"}]}]", span.GetTagItem("gen_ai.input.messages"));
        }
    }
}
