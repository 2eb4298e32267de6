using System.Text.Json;
using Mirascope.Ops.Viewer.Cost;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>The figures of a set of calls (a version's, a function's): counts, errors, latency and what their model calls cost.</summary>
    internal sealed class CallFigures
    {
        public long Calls { get; init; }

        public long Errors { get; init; }

        public long? FirstSeenNs { get; init; }

        public long? LastSeenNs { get; init; }

        public double? P50Ms { get; init; }

        public double? P95Ms { get; init; }

        public required CostEstimate Cost { get; init; }

        public void Write(Utf8JsonWriter json)
        {
            json.WriteNumber("calls", Calls);
            json.WriteNumber("errors", Errors);
            if (Calls > 0)
            {
                json.WriteNumber("errorRate", (double)Errors / Calls);
            }
            else
            {
                json.WriteNull("errorRate");
            }

            WriteTime(json, "firstSeen", FirstSeenNs);
            WriteTime(json, "lastSeen", LastSeenNs);
            WriteNumber(json, "p50DurationMs", P50Ms);
            WriteNumber(json, "p95DurationMs", P95Ms);
            Cost.Write(json);
        }

        private static void WriteTime(Utf8JsonWriter json, string name, long? ns)
        {
            if (ns is { } value)
            {
                json.WriteString(name, FunctionRecord.Iso(value / 1_000_000));
            }
            else
            {
                json.WriteNull(name);
            }
        }

        private static void WriteNumber(Utf8JsonWriter json, string name, double? value)
        {
            if (value is { } number)
            {
                json.WriteNumber(name, System.Math.Round(number, 3));
            }
            else
            {
                json.WriteNull(name);
            }
        }
    }
}
