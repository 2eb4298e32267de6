using System.Collections.Generic;
using System.Diagnostics.Metrics;
using Mirascope.Ops.Tracing;

namespace Mirascope.Ops.Llm
{
    /// <summary>
    /// The GenAI client metrics of the conventions: <c>gen_ai.client.token.usage</c> and
    /// <c>gen_ai.client.operation.duration</c>, with the conventions' bucket boundaries as advice.
    /// </summary>
    internal static class GenAiMetrics
    {
        /// <summary>The Meter to subscribe to (<c>AddMeter("Mirascope.Ops")</c>).</summary>
        public const string MeterName = "Mirascope.Ops";

        public static readonly Meter Meter = new Meter(MeterName, OpsActivitySource.Version);

        public static readonly Histogram<long> TokenUsage = Meter.CreateHistogram<long>(
            "gen_ai.client.token.usage",
            unit: "{token}",
            description: "Number of input and output tokens used.",
            tags: null,
            advice: new InstrumentAdvice<long>
            {
                HistogramBucketBoundaries = new long[] { 1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864 },
            });

        public static readonly Histogram<double> OperationDuration = Meter.CreateHistogram<double>(
            "gen_ai.client.operation.duration",
            unit: "s",
            description: "GenAI operation duration.",
            tags: null,
            advice: new InstrumentAdvice<double>
            {
                HistogramBucketBoundaries = new[] { 0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92 },
            });
    }
}
