using System.Diagnostics.Metrics;
using Mirascope.Ops.Tracing;

namespace Mirascope.Ops.Llm
{
    /// <summary>
    /// The GenAI client metrics of the conventions (client-inference.md, gen-ai-token-metrics.md): the inference
    /// duration, the streaming time-to-first-chunk and time-per-output-chunk histograms, the token usage counters (by
    /// <c>gen_ai.token.modality</c>) and the per-operation token histograms,
    /// with the conventions' bucket boundaries as advice; and the v1.41 instruments they replaced
    /// (<c>gen_ai.client.token.usage</c>, <c>gen_ai.client.operation.duration</c>, <c>gen_ai.client.operation.time_*_chunk</c>), recorded only when
    /// <see cref="GenAiConventions.EmitV141Names"/>.
    /// </summary>
    internal static class GenAiMetrics
    {
        /// <summary>The Meter to subscribe to (<c>AddMeter("Mirascope.Ops")</c>).</summary>
        public const string MeterName = LlmTelemetryNames.GenAiMeter;

        private const string TokenUnit = "{token}";

        private static readonly long[] TokenBuckets = { 1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864 };
        private static readonly double[] DurationBuckets = { 0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92 };

        public static readonly Meter Meter = new Meter(MeterName, OpsActivitySource.Version);

        public static readonly Histogram<double> InferenceDuration = Meter.CreateHistogram<double>(
            "gen_ai.client.inference.duration", "s", "GenAI client inference operation duration.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

        public static readonly Counter<long> UsageInputTokens = Meter.CreateCounter<long>(
            "gen_ai.client.inference.usage.input_tokens", TokenUnit, "The number of input (prompt) tokens used, including cached tokens.");

        public static readonly Counter<long> UsageOutputTokens = Meter.CreateCounter<long>(
            "gen_ai.client.inference.usage.output_tokens", TokenUnit, "The number of output (completion) tokens used, including reasoning tokens.");

        public static readonly Counter<long> UsageCacheReadInputTokens = Meter.CreateCounter<long>(
            "gen_ai.client.inference.usage.cache_read.input_tokens", TokenUnit, "The number of input tokens served from a provider-managed cache.");

        public static readonly Counter<long> UsageCacheWriteInputTokens = Meter.CreateCounter<long>(
            "gen_ai.client.inference.usage.cache_write.input_tokens", TokenUnit, "The number of input tokens written to a provider-managed cache.");

        public static readonly Counter<long> UsageReasoningOutputTokens = Meter.CreateCounter<long>(
            "gen_ai.client.inference.usage.reasoning.output_tokens", TokenUnit, "The number of output tokens used for reasoning (e.g. chain-of-thought, extended thinking).");

        public static readonly Histogram<long> OperationInputTokens = Meter.CreateHistogram<long>(
            "gen_ai.client.inference.operation.input_tokens", TokenUnit, "The number of input (prompt) tokens used per inference operation.",
            tags: null, advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = TokenBuckets });

        public static readonly Histogram<long> OperationOutputTokens = Meter.CreateHistogram<long>(
            "gen_ai.client.inference.operation.output_tokens", TokenUnit, "The number of output (completion) tokens used per inference operation.",
            tags: null, advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = TokenBuckets });

        public static readonly Histogram<double> TimeToFirstChunk = Meter.CreateHistogram<double>(
            "gen_ai.client.inference.time_to_first_chunk", "s",
            "Time to receive the first chunk, measured from when the client issues the generation request to when the first chunk is received in the response stream.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

        public static readonly Histogram<double> TimePerOutputChunk = Meter.CreateHistogram<double>(
            "gen_ai.client.inference.time_per_output_chunk", "s",
            "Time per output chunk, recorded for each chunk received after the first one, measured as the time elapsed from the end of the previous chunk to the end of the current chunk.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

        /// <summary>Whether anyone listens to the per-chunk histogram (the v1.41 one too when it is on).</summary>
        public static bool TimePerOutputChunkEnabled(bool v141) => TimePerOutputChunk.Enabled || (v141 && V141TimePerOutputChunk.Enabled);

        /// <summary>Whether anyone listens to an instrument a chat call records (with the v1.41 ones when they are on).</summary>
        public static bool AnyEnabled(bool v141) =>
            InferenceDuration.Enabled || UsageInputTokens.Enabled || UsageOutputTokens.Enabled || UsageCacheReadInputTokens.Enabled
            || UsageCacheWriteInputTokens.Enabled || UsageReasoningOutputTokens.Enabled || OperationInputTokens.Enabled
            || OperationOutputTokens.Enabled || TimeToFirstChunk.Enabled || TimePerOutputChunk.Enabled
            || (v141 && (V141TokenUsage.Enabled || V141OperationDuration.Enabled || V141TimeToFirstChunk.Enabled || V141TimePerOutputChunk.Enabled));

        /// <summary>v1.41: replaced by the usage counters and the per-operation token histograms.</summary>
        public static readonly Histogram<long> V141TokenUsage = Meter.CreateHistogram<long>(
            "gen_ai.client.token.usage", TokenUnit, "Number of input and output tokens used.",
            tags: null, advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = TokenBuckets });

        /// <summary>v1.41: for inference, replaced by <see cref="InferenceDuration"/>.</summary>
        public static readonly Histogram<double> V141OperationDuration = Meter.CreateHistogram<double>(
            "gen_ai.client.operation.duration", "s", "GenAI operation duration.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

        /// <summary>v1.41: renamed <see cref="TimeToFirstChunk"/> (#521).</summary>
        public static readonly Histogram<double> V141TimeToFirstChunk = Meter.CreateHistogram<double>(
            "gen_ai.client.operation.time_to_first_chunk", "s",
            "Time to receive the first chunk, measured from when the client issues the generation request to when the first chunk is received in the response stream.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

        /// <summary>v1.41: renamed <see cref="TimePerOutputChunk"/> (#521).</summary>
        public static readonly Histogram<double> V141TimePerOutputChunk = Meter.CreateHistogram<double>(
            "gen_ai.client.operation.time_per_output_chunk", "s",
            "Time per output chunk, recorded for each chunk received after the first one, measured as the time elapsed from the end of the previous chunk to the end of the current chunk.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
    }
}
