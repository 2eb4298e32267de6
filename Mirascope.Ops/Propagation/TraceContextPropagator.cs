using System;
using System.Diagnostics;
using Mirascope.Ops.Diagnostics;

namespace Mirascope.Ops.Propagation
{
    /// <summary>
    /// W3C Trace Context (https://www.w3.org/TR/trace-context/):
    /// <c>traceparent: {version}-{trace-id}-{parent-id}-{trace-flags}</c> and <c>tracestate</c>.
    /// </summary>
    internal sealed class TraceContextPropagator : TextMapPropagator
    {
        public const string TraceParent = "traceparent";
        public const string TraceState = "tracestate";

        private const int Version00Length = 55;
        private const int MaxTraceStateLength = 512;

        public static readonly TraceContextPropagator Instance = new TraceContextPropagator();

        public override void Inject(ActivityContext context, CarrierWriter carrier)
        {
            var flags = (context.TraceFlags & ActivityTraceFlags.Recorded) != 0 ? "01" : "00";
            carrier.Set(TraceParent, "00-" + context.TraceId.ToHexString() + "-" + context.SpanId.ToHexString() + "-" + flags);
            if (!string.IsNullOrEmpty(context.TraceState))
            {
                carrier.Set(TraceState, context.TraceState!);
            }
        }

        public override ActivityContext Extract(CarrierReader carrier)
        {
            var traceParent = carrier.First(TraceParent);
            if (traceParent is null)
            {
                return default;
            }

            if (!TryParse(traceParent, out var traceId, out var spanId, out var sampled, out var problem))
            {
                OpsEventSource.Log.PropagationHeaderIgnored(TraceParent, problem);
                return default;
            }

            return Remote(traceId, spanId, sampled, ValidTraceState(carrier.Joined(TraceState)));
        }

        internal static bool TryParse(string value, out ActivityTraceId traceId, out ActivitySpanId spanId, out bool sampled, out string problem)
        {
            traceId = default;
            spanId = default;
            sampled = false;
            if (value.Length < Version00Length)
            {
                problem = "too short";
                return false;
            }

            if (!HexIds.IsLowerHex(value, 0, 2) || value[2] != '-' || value[35] != '-' || value[52] != '-')
            {
                problem = "not {version}-{trace-id}-{parent-id}-{trace-flags}";
                return false;
            }

            var version = value.Substring(0, 2);
            if (version == "ff")
            {
                problem = "version ff is invalid";
                return false;
            }

            // Version 00 is exactly 55 characters; a later version may append fields after a dash, which we ignore.
            if (version == "00" ? value.Length != Version00Length : value.Length > Version00Length && value[Version00Length] != '-')
            {
                problem = "unexpected characters after trace-flags";
                return false;
            }

            if (!HexIds.IsLowerHex(value, 3, 32) || HexIds.IsAllZeros(value, 3, 32))
            {
                problem = "trace-id is not 32 lowercase hex digits, or is all zeros";
                return false;
            }

            if (!HexIds.IsLowerHex(value, 36, 16) || HexIds.IsAllZeros(value, 36, 16))
            {
                problem = "parent-id is not 16 lowercase hex digits, or is all zeros";
                return false;
            }

            if (!HexIds.IsLowerHex(value, 53, 2))
            {
                problem = "trace-flags is not 2 lowercase hex digits";
                return false;
            }

            traceId = ActivityTraceId.CreateFromString(value.AsSpan(3, 32));
            spanId = ActivitySpanId.CreateFromString(value.AsSpan(36, 16));
            sampled = (HexIds.HexValue(value[54]) & 0x01) != 0;
            problem = string.Empty;
            return true;
        }

        private static string? ValidTraceState(string? traceState)
        {
            if (string.IsNullOrEmpty(traceState))
            {
                return null;
            }

            // Pass the vendors' list on as received, unless it is oversized or holds characters no member may contain.
            if (traceState!.Length > MaxTraceStateLength)
            {
                OpsEventSource.Log.PropagationHeaderIgnored(TraceState, "longer than 512 characters");
                return null;
            }

            foreach (var c in traceState)
            {
                if (c < 0x20 || c > 0x7e)
                {
                    OpsEventSource.Log.PropagationHeaderIgnored(TraceState, "non-printable character");
                    return null;
                }
            }

            return traceState;
        }
    }
}
