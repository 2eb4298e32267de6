using System;
using System.ClientModel;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Xunit;

namespace Mirascope.Ops.Tests.Llm
{
    public sealed class GenAiMetricsTests
    {
        private sealed record Measurement(string Instrument, double Value, Dictionary<string, object?> Tags);

        /// <summary>Listens to the Mirascope.Ops meter and keeps the measurements of one model (tests run in parallel).</summary>
        private static MeterListener Listen(string model, ConcurrentQueue<Measurement> into)
        {
            var listener = new MeterListener
            {
                InstrumentPublished = (instrument, l) =>
                {
                    if (instrument.Meter.Name == "Mirascope.Ops" && instrument.Name.StartsWith("gen_ai.client.", StringComparison.Ordinal))
                    {
                        l.EnableMeasurementEvents(instrument);
                    }
                },
            };
            void Keep(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
            {
                var dictionary = new Dictionary<string, object?>();
                foreach (var tag in tags) dictionary[tag.Key] = tag.Value;
                if (Equals(dictionary.GetValueOrDefault("gen_ai.request.model"), model))
                {
                    into.Enqueue(new Measurement(instrument.Name, value, dictionary));
                }
            }

            listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Keep(instrument, value, tags));
            listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Keep(instrument, value, tags));
            listener.Start();
            return listener;
        }

        [Fact]
        public async Task A_chat_call_records_input_and_output_token_usage_and_its_duration()
        {
            var server = await FakeLlmServer.Shared;
            var measurements = new ConcurrentQueue<Measurement>();
            using var listener = Listen("gpt-metrics", measurements);

            await LlmClients.OpenAI(server, "gpt-metrics").Traced().GetResponseAsync("Recommend a fantasy book.");

            var tokens = measurements.Where(m => m.Instrument == "gen_ai.client.token.usage").ToList();
            Assert.Equal(2, tokens.Count);
            var input = Assert.Single(tokens, m => Equals(m.Tags["gen_ai.token.type"], "input"));
            var output = Assert.Single(tokens, m => Equals(m.Tags["gen_ai.token.type"], "output"));
            Assert.Equal(12, input.Value);
            Assert.Equal(9, output.Value);
            var duration = Assert.Single(measurements, m => m.Instrument == "gen_ai.client.operation.duration");
            Assert.InRange(duration.Value, 0.0, 60.0);
            Assert.True(duration.Value > 0);
            foreach (var m in measurements)
            {
                Assert.Equal("chat", m.Tags["gen_ai.operation.name"]);
                Assert.Equal("openai", m.Tags["gen_ai.provider.name"]);
                Assert.Equal("gpt-metrics-0001", m.Tags["gen_ai.response.model"]);
                Assert.Equal("127.0.0.1", m.Tags["server.address"]);
                Assert.Equal(server.BaseAddress.Port, m.Tags["server.port"]);
                Assert.False(m.Tags.ContainsKey("error.type"));
            }
        }

        [Fact]
        public async Task A_failed_chat_call_records_its_duration_with_the_error_type_and_no_tokens()
        {
            var server = await FakeLlmServer.Shared;
            var measurements = new ConcurrentQueue<Measurement>();
            using var listener = Listen("gpt-error-metrics", measurements);

            await Assert.ThrowsAsync<ClientResultException>(() => LlmClients.OpenAI(server, "gpt-error-metrics").Traced().GetResponseAsync("hi"));

            var duration = Assert.Single(measurements);
            Assert.Equal("gen_ai.client.operation.duration", duration.Instrument);
            Assert.Equal("System.ClientModel.ClientResultException", duration.Tags["error.type"]);
        }

        [Fact]
        public void Histograms_advise_the_bucket_boundaries_of_the_conventions()
        {
            Assert.Equal(
                new long[] { 1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864 },
                Mirascope.Ops.Llm.GenAiMetrics.TokenUsage.Advice!.HistogramBucketBoundaries);
            Assert.Equal(
                new[] { 0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92 },
                Mirascope.Ops.Llm.GenAiMetrics.OperationDuration.Advice!.HistogramBucketBoundaries);
            Assert.Equal("{token}", Mirascope.Ops.Llm.GenAiMetrics.TokenUsage.Unit);
            Assert.Equal("s", Mirascope.Ops.Llm.GenAiMetrics.OperationDuration.Unit);
        }
    }
}
