using System.ClientModel;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Xunit;

namespace Mirascope.Ops.Tests.Llm
{
    /// <summary>The metrics of a chat call, by default: the current conventions' instruments (v1.41's are in <see cref="GenAiV141NamesTests"/>).</summary>
    public sealed class GenAiMetricsTests
    {
        [Fact]
        public async Task A_chat_call_records_the_current_conventions_inference_metrics_and_no_replaced_ones()
        {
            var server = await FakeLlmServer.Shared;
            using var measurements = new GenAiMeasurements("claude-metrics");

            await LlmClients.Anthropic(server, "claude-metrics").Traced().GetResponseAsync("Recommend a fantasy book.");

            Assert.Equal(GenAiConventionNames.InferenceMetrics.Keys.OrderBy(n => n), measurements.Instruments.OrderBy(n => n));
            foreach (var m in measurements.All)
            {
                Assert.Equal(GenAiConventionNames.InferenceMetrics[m.Instrument], (m.Kind, m.Unit));
                Assert.Equal(1, measurements.All.Count(x => x.Instrument == m.Instrument));
                Assert.Equal("chat", m.Tags["gen_ai.operation.name"]);
                Assert.Equal("anthropic", m.Tags["gen_ai.provider.name"]);
                Assert.Equal("claude-metrics-0001", m.Tags["gen_ai.response.model"]);
                Assert.Equal("127.0.0.1", m.Tags["server.address"]);
                Assert.Equal(server.BaseAddress.Port, m.Tags["server.port"]);
                Assert.False(m.Tags.ContainsKey("error.type"));
                Assert.False(m.Tags.ContainsKey(GenAiConventionNames.V141TokenType));
                // The usage counters are broken down by modality; the per-operation histograms deliberately are not.
                Assert.Equal(
                    GenAiConventionNames.UsageCounters.Contains(m.Instrument) ? GenAiConventionNames.UnknownModality : null,
                    m.Tags.GetValueOrDefault(GenAiConventionNames.TokenModality));
            }

            // The fake reports 10 uncached input tokens, 3 read from and 2 written to the cache, and 7 output tokens.
            Assert.Equal(15, measurements.Single("gen_ai.client.inference.usage.input_tokens").Value);
            Assert.Equal(7, measurements.Single("gen_ai.client.inference.usage.output_tokens").Value);
            Assert.Equal(3, measurements.Single("gen_ai.client.inference.usage.cache_read.input_tokens").Value);
            Assert.Equal(2, measurements.Single("gen_ai.client.inference.usage.cache_write.input_tokens").Value);
            Assert.Equal(0, measurements.Single("gen_ai.client.inference.usage.reasoning.output_tokens").Value);
            Assert.Equal(15, measurements.Single("gen_ai.client.inference.operation.input_tokens").Value);
            Assert.Equal(7, measurements.Single("gen_ai.client.inference.operation.output_tokens").Value);
            Assert.InRange(measurements.Single("gen_ai.client.inference.duration").Value, double.Epsilon, 60.0);
        }

        [Fact]
        public async Task A_failed_chat_call_counts_zero_tokens_of_unknown_modality_and_records_the_error_type_on_duration_and_histograms()
        {
            var server = await FakeLlmServer.Shared;
            using var measurements = new GenAiMeasurements("gpt-error-metrics");

            await Assert.ThrowsAsync<ClientResultException>(() => LlmClients.OpenAI(server, "gpt-error-metrics").Traced().GetResponseAsync("hi"));

            Assert.Equal(GenAiConventionNames.InferenceMetrics.Keys.OrderBy(n => n), measurements.Instruments.OrderBy(n => n));
            foreach (var m in measurements.All)
            {
                if (GenAiConventionNames.UsageCounters.Contains(m.Instrument))
                {
                    Assert.Equal(0, m.Value);
                    Assert.Equal(GenAiConventionNames.UnknownModality, m.Tags[GenAiConventionNames.TokenModality]);
                    Assert.False(m.Tags.ContainsKey("error.type"));
                }
                else
                {
                    Assert.Equal("System.ClientModel.ClientResultException", m.Tags["error.type"]);
                }
            }

            Assert.Equal(0, measurements.Single("gen_ai.client.inference.operation.input_tokens").Value);
        }

        [Fact]
        public async Task A_streamed_chat_call_records_time_to_first_chunk_once_and_time_per_output_chunk_for_each_later_chunk()
        {
            var server = await FakeLlmServer.Shared;
            using var measurements = new GenAiMeasurements("gpt-stream-metrics");

            var updates = 0;
            await foreach (var update in LlmClients.OpenAI(server, "gpt-stream-metrics").Traced().GetStreamingResponseAsync("Recommend a fantasy book."))
            {
                updates++;
            }

            Assert.True(updates > 2, $"the fake streams several chunks, saw {updates}");
            Assert.Equal(
                GenAiConventionNames.InferenceMetrics.Keys.Concat(GenAiConventionNames.StreamingMetrics.Keys).OrderBy(n => n),
                measurements.Instruments.OrderBy(n => n));
            var streaming = measurements.All.Where(m => GenAiConventionNames.StreamingMetrics.ContainsKey(m.Instrument)).ToList();
            foreach (var m in streaming)
            {
                Assert.Equal(GenAiConventionNames.StreamingMetrics[m.Instrument], (m.Kind, m.Unit));
                Assert.All(m.Tags.Keys, key => Assert.Contains(key, GenAiConventionNames.StreamingMetricAttributes));
                Assert.Equal("chat", m.Tags["gen_ai.operation.name"]);
                Assert.Equal("openai", m.Tags["gen_ai.provider.name"]);
                Assert.Equal("gpt-stream-metrics-0001", m.Tags["gen_ai.response.model"]);
                Assert.Equal(server.BaseAddress.Port, m.Tags["server.port"]);
                Assert.True(m.Value >= 0);
            }

            // One first chunk; then one measurement per chunk after it, each the time since the previous chunk's end,
            // so together they cannot exceed the whole call.
            var first = measurements.Single("gen_ai.client.inference.time_to_first_chunk").Value;
            var perChunk = streaming.Where(m => m.Instrument == "gen_ai.client.inference.time_per_output_chunk").Select(m => m.Value).ToList();
            Assert.Equal(updates - 1, perChunk.Count);
            Assert.True(first > 0);
            Assert.InRange(first + perChunk.Sum(), first, measurements.Single("gen_ai.client.inference.duration").Value);
        }

        [Fact]
        public async Task A_failed_stream_records_no_chunk_metrics_and_a_stream_left_after_one_chunk_only_time_to_first_chunk()
        {
            var server = await FakeLlmServer.Shared;
            using var failed = new GenAiMeasurements("gpt-error-stream-metrics");
            using var left = new GenAiMeasurements("gpt-slow-stream-metrics");

            await Assert.ThrowsAsync<ClientResultException>(async () =>
            {
                await foreach (var update in LlmClients.OpenAI(server, "gpt-error-stream-metrics").Traced().GetStreamingResponseAsync("hi"))
                {
                }
            });
            await foreach (var update in LlmClients.OpenAI(server, "gpt-slow-stream-metrics").Traced().GetStreamingResponseAsync("hi"))
            {
                break;
            }

            Assert.DoesNotContain(failed.All, m => GenAiConventionNames.StreamingMetrics.ContainsKey(m.Instrument));
            Assert.Single(left.All, m => m.Instrument == "gen_ai.client.inference.time_to_first_chunk");
            Assert.DoesNotContain(left.All, m => m.Instrument == "gen_ai.client.inference.time_per_output_chunk");
        }

        [Fact]
        public void Histograms_advise_the_bucket_boundaries_of_the_conventions()
        {
            var tokens = new long[] { 1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864 };
            var seconds = new[] { 0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92 };
            Assert.Equal(tokens, Mirascope.Ops.Llm.GenAiMetrics.OperationInputTokens.Advice!.HistogramBucketBoundaries);
            Assert.Equal(tokens, Mirascope.Ops.Llm.GenAiMetrics.OperationOutputTokens.Advice!.HistogramBucketBoundaries);
            Assert.Equal(tokens, Mirascope.Ops.Llm.GenAiMetrics.V141TokenUsage.Advice!.HistogramBucketBoundaries);
            Assert.Equal(seconds, Mirascope.Ops.Llm.GenAiMetrics.InferenceDuration.Advice!.HistogramBucketBoundaries);
            Assert.Equal(seconds, Mirascope.Ops.Llm.GenAiMetrics.V141OperationDuration.Advice!.HistogramBucketBoundaries);
            Assert.Equal(seconds, Mirascope.Ops.Llm.GenAiMetrics.TimeToFirstChunk.Advice!.HistogramBucketBoundaries);
            Assert.Equal(seconds, Mirascope.Ops.Llm.GenAiMetrics.TimePerOutputChunk.Advice!.HistogramBucketBoundaries);
            Assert.Equal(seconds, Mirascope.Ops.Llm.GenAiMetrics.V141TimeToFirstChunk.Advice!.HistogramBucketBoundaries);
            Assert.Equal(seconds, Mirascope.Ops.Llm.GenAiMetrics.V141TimePerOutputChunk.Advice!.HistogramBucketBoundaries);
        }
    }
}
