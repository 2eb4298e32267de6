using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Mirascope.Ops.Llm;
using Xunit;

namespace Mirascope.Ops.Tests.Llm
{
    /// <summary>
    /// Under the opt-in (<see cref="LlmInstrumentationOptions.EmitV141Names"/>) chat spans and metrics carry the v1.41
    /// names the current conventions replaced, beside the current ones, for backends that still read them.
    /// </summary>
    [Collection(GenAiProcessSettingsCollection.Name)]
    public sealed class GenAiV141NamesTests : IDisposable
    {
        public GenAiV141NamesTests() => OpsLlm.Instrument(new LlmInstrumentationOptions { EmitV141Names = true });

        public void Dispose() => GenAiConventions.Set(null);

        [Fact]
        public async Task Under_the_opt_in_a_chat_span_also_carries_the_v1_41_cache_creation_name_with_the_same_count()
        {
            var span = await GenAiConventionsTests.AnthropicChatWithContentAsync("claude-v141");

            var replaced = GenAiConventionNames.ReplacedSpanAttributes.Single();
            Assert.Equal(
                GenAiConventionsTests.Sorted(GenAiConventionsTests.AnthropicConventionKeys.Append(replaced.Key)
                    .Concat(GenAiConventionsTests.MirascopeKeys).Concat(GenAiConventionsTests.MirascopeContentKeys)),
                GenAiConventionsTests.KeysOf(span));
            Assert.Equal(2L, span.GetTagItem(replaced.Key));
            Assert.Equal(2L, span.GetTagItem(replaced.Value));
            Assert.Equal(40.0, span.GetTagItem("gen_ai.request.top_k"));
        }

        [Fact]
        public async Task Under_the_opt_in_each_output_message_carries_its_finish_reason_as_v1_41_required()
        {
            var span = await GenAiConventionsTests.AnthropicChatWithContentAsync("claude-v141-finish");

            using var messages = JsonDocument.Parse((string)span.GetTagItem("gen_ai.output.messages")!);
            var message = Assert.Single(messages.RootElement.EnumerateArray().ToList());
            Assert.Equal("stop", message.GetProperty(GenAiConventionNames.DeprecatedOutputMessageFinishReason).GetString());
        }

        [Fact]
        public async Task Under_the_opt_in_a_chat_call_also_records_the_v1_41_token_usage_and_operation_duration_histograms()
        {
            var server = await FakeLlmServer.Shared;
            using var measurements = new GenAiMeasurements("claude-v141-metrics");

            await LlmClients.Anthropic(server, "claude-v141-metrics").Traced().GetResponseAsync(GenAiConventionsTests.Prompt);

            Assert.Equal(
                GenAiConventionNames.InferenceMetrics.Keys.Concat(GenAiConventionNames.ReplacedMetrics.Keys).OrderBy(n => n),
                measurements.Instruments.OrderBy(n => n));
            foreach (var m in measurements.All.Where(m => GenAiConventionNames.ReplacedMetrics.ContainsKey(m.Instrument)))
            {
                Assert.Equal(GenAiConventionNames.ReplacedMetrics[m.Instrument], (m.Kind, m.Unit));
            }

            var tokens = measurements.All.Where(m => m.Instrument == "gen_ai.client.token.usage").ToList();
            Assert.Equal(15, Assert.Single(tokens, m => Equals(m.Tags[GenAiConventionNames.V141TokenType], "input")).Value);
            Assert.Equal(7, Assert.Single(tokens, m => Equals(m.Tags[GenAiConventionNames.V141TokenType], "output")).Value);
            Assert.Equal(
                measurements.Single("gen_ai.client.inference.duration").Value,
                measurements.Single("gen_ai.client.operation.duration").Value);
        }

        [Fact]
        public async Task Under_the_opt_in_a_streamed_call_also_records_the_v1_41_chunk_histograms_with_the_same_values()
        {
            var server = await FakeLlmServer.Shared;
            using var measurements = new GenAiMeasurements("gpt-v141-stream");

            await foreach (var update in LlmClients.OpenAI(server, "gpt-v141-stream").Traced().GetStreamingResponseAsync(GenAiConventionsTests.Prompt))
            {
            }

            foreach (var (old, current) in GenAiConventionNames.RenamedStreamingMetrics)
            {
                Assert.Equal(
                    measurements.All.Where(m => m.Instrument == current).Select(m => m.Value),
                    measurements.All.Where(m => m.Instrument == old).Select(m => m.Value));
                Assert.Contains(measurements.All, m => m.Instrument == old);
                Assert.All(measurements.All.Where(m => m.Instrument == old), m => Assert.Equal(("histogram", "s"), (m.Kind, m.Unit)));
            }
        }

        [Fact]
        public async Task Turning_the_opt_in_off_again_returns_to_the_current_names_only()
        {
            OpsLlm.Instrument(new LlmInstrumentationOptions { EmitV141Names = false });

            var span = await GenAiConventionsTests.AnthropicChatWithContentAsync("claude-v141-off");

            Assert.Null(span.GetTagItem(GenAiConventionNames.ReplacedSpanAttributes.Single().Key));
            Assert.Equal(2L, span.GetTagItem("gen_ai.usage.cache_write.input_tokens"));
        }
    }
}
