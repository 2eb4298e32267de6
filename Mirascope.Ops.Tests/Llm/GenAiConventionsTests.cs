using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Mirascope.Ops.Llm;
using Mirascope.Ops.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Llm
{
    /// <summary>
    /// Chat spans by default carry the current GenAI conventions' names, checked against a copy of the conventions'
    /// names (<see cref="GenAiConventionNames"/>, commits cited there), not against the package's constants.
    /// </summary>
    public sealed class GenAiConventionsTests
    {
        internal const string Prompt = "Recommend a fantasy book.";

        internal static readonly string[] MirascopeKeys = { "mirascope.response.provider_id", "mirascope.response.model_id", "mirascope.response.usage" };

        internal static readonly string[] MirascopeContentKeys = { "mirascope.response.content", "mirascope.response.messages" };

        /// <summary>What the Anthropic call below records of the conventions (settings, response, usage, content).</summary>
        internal static readonly string[] AnthropicConventionKeys =
        {
            "gen_ai.operation.name", "gen_ai.provider.name", "gen_ai.request.model", "server.address", "server.port",
            "gen_ai.request.temperature", "gen_ai.request.max_tokens", "gen_ai.request.top_k",
            "gen_ai.response.id", "gen_ai.response.model", "gen_ai.response.finish_reasons",
            "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens", "gen_ai.usage.cache_read.input_tokens",
            "gen_ai.usage.cache_write.input_tokens", "gen_ai.input.messages", "gen_ai.output.messages",
        };

        internal static async Task<Activity> AnthropicChatWithContentAsync(string model)
        {
            var server = await FakeLlmServer.Shared;
            using var capture = new SpanCapture();
            await LlmClients.Anthropic(server, model).Traced(capture: true)
                .GetResponseAsync(Prompt, new ChatOptions { Temperature = 0.5f, MaxOutputTokens = 256, TopK = 40 });
            return capture.Single("chat " + model);
        }

        internal static IEnumerable<string> Sorted(IEnumerable<string> keys) => keys.OrderBy(k => k, StringComparer.Ordinal);

        internal static IEnumerable<string> KeysOf(Activity span) => Sorted(span.TagObjects.Select(t => t.Key));

        [Fact]
        public async Task A_chat_span_carries_exactly_the_current_conventions_names_and_Mirascopes_own()
        {
            var span = await AnthropicChatWithContentAsync("claude-conventions");

            Assert.All(AnthropicConventionKeys, key => Assert.Contains(key, GenAiConventionNames.InferenceSpanAttributes));
            Assert.Equal(Sorted(AnthropicConventionKeys.Concat(MirascopeKeys).Concat(MirascopeContentKeys)), KeysOf(span));
            Assert.Equal(2L, span.GetTagItem("gen_ai.usage.cache_write.input_tokens"));
            Assert.All(GenAiConventionNames.IntAttributes.Where(k => span.GetTagItem(k) is not null), key => Assert.IsType<int>(span.GetTagItem(key)));
            Assert.Equal(40, span.GetTagItem("gen_ai.request.top_k"));
        }

        [Fact]
        public async Task Output_messages_leave_out_the_deprecated_finish_reason_which_the_finish_reasons_attribute_carries()
        {
            var span = await AnthropicChatWithContentAsync("claude-no-finish-in-messages");

            using var messages = JsonDocument.Parse((string)span.GetTagItem("gen_ai.output.messages")!);
            var message = Assert.Single(messages.RootElement.EnumerateArray().ToList());
            Assert.Equal("assistant", message.GetProperty("role").GetString());
            Assert.False(message.TryGetProperty(GenAiConventionNames.DeprecatedOutputMessageFinishReason, out _));
            Assert.Equal(new[] { "stop" }, span.GetTagItem("gen_ai.response.finish_reasons"));
        }

        [Fact]
        public async Task No_chat_span_of_any_provider_carries_a_replaced_name_or_a_gen_ai_name_the_conventions_lack()
        {
            var server = await FakeLlmServer.Shared;
            using var capture = new SpanCapture();
            await LlmClients.OpenAI(server, "gpt-conventions").Traced(capture: true).GetResponseAsync(Prompt);
            var streamed = LlmClients.Anthropic(server, "claude-stream-conventions").Traced(capture: true).GetStreamingResponseAsync(Prompt);
            await foreach (var _ in streamed)
            {
            }

            var chats = capture.Chats();
            Assert.Equal(2, chats.Count);
            foreach (var key in chats.SelectMany(c => c.TagObjects.Select(t => t.Key)))
            {
                Assert.DoesNotContain(key, GenAiConventionNames.ReplacedSpanAttributes.Keys);
                if (key.StartsWith("gen_ai.", StringComparison.Ordinal))
                {
                    Assert.Contains(key, GenAiConventionNames.InferenceSpanAttributes);
                }
            }
        }

        [Theory]
        [InlineData(null, null, false)]
        [InlineData(null, "true", true)]
        [InlineData(null, " TRUE ", true)]
        [InlineData(null, "1", false)]
        [InlineData("http", "true", true)]
        [InlineData("gen_ai_latest_experimental", "true", false)]
        [InlineData("http/dup, gen_ai_latest_experimental", "true", false)]
        [InlineData("gen_ai_latest_experimental", null, false)]
        public void The_v1_41_names_follow_our_variable_unless_the_stability_opt_in_asks_for_the_latest_only(string? stabilityOptIn, string? emitV141, bool expected)
        {
            Assert.Equal(expected, GenAiConventions.ParseEnvironment(stabilityOptIn, emitV141));
        }
    }
}
