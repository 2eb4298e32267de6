using System;
using System.Globalization;

namespace Mirascope.Ops.Benchmarks.Infrastructure
{
    /// <summary>
    /// Sets the runtime's recording limits from <c>MIRASCOPE_BENCH_RECORDING</c> (for example
    /// <c>calls=8,values=64,nested=256,depth=3,budget=1000,percent=5</c>; budget in µs), so the trade-off between what is recorded and what it costs can
    /// be measured without rebuilding. The names are OpsOptions' limits; unset ones keep their defaults.
    /// </summary>
    internal static class RecordingLimitsOverride
    {
        public const string Variable = "MIRASCOPE_BENCH_RECORDING";

        public static string Describe() => Environment.GetEnvironmentVariable(Variable) ?? "defaults";

        public static void ApplyFromEnvironment()
        {
            var setting = Environment.GetEnvironmentVariable(Variable);
            if (string.IsNullOrWhiteSpace(setting))
            {
                return;
            }

            var limits = typeof(TraceAttribute).Assembly.GetType("Mirascope.Ops.Tracing.RecordingLimits", throwOnError: true)!;
            foreach (var part in setting.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var pair = part.Split('=', 2);
                if (pair[0] == "budget")
                {
                    // The trace's initial recording budget, in microseconds.
                    limits.GetProperty("TraceBudget")!.SetValue(null, TimeSpan.FromMicroseconds(double.Parse(pair[1], CultureInfo.InvariantCulture)));
                    continue;
                }

                var property = pair[0] switch
                {
                    "calls" => "MaxRecordedCallsPerTrace",
                    "values" => "MaxRecordedValues",
                    "nested" => "MaxNestedStringLength",
                    "depth" => "MaxRecordedDepth",
                    "bytes" => "MaxAttributeLength",
                    "percent" => "TraceBudgetPercent",
                    _ => throw new ArgumentException($"{Variable}: unknown limit '{pair[0]}' (calls, values, nested, depth, bytes, budget, percent)"),
                };
                limits.GetProperty(property)!.SetValue(null, int.Parse(pair[1], CultureInfo.InvariantCulture));
            }
        }
    }
}
