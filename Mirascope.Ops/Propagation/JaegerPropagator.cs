using System;
using System.Diagnostics;
using Mirascope.Ops.Diagnostics;

namespace Mirascope.Ops.Propagation
{
    /// <summary>
    /// Jaeger (https://www.jaegertracing.io/docs/1.17/client-libraries/#propagation-format):
    /// <c>uber-trace-id: {trace-id}:{span-id}:{parent-span-id}:{flags}</c>. Ids are hex of variable length
    /// (zero-padded on the left; 0 is invalid); flags are one byte in one or two hex digits, bit 0x01 sampled,
    /// 0x02 debug (read as sampled). The deprecated parent-span-id is sent as <c>0</c> and ignored on receipt.
    /// A URL-encoded value (<c>%3A</c> for <c>:</c>) is accepted.
    /// </summary>
    internal sealed class JaegerPropagator : TextMapPropagator
    {
        public const string Header = "uber-trace-id";

        public static readonly JaegerPropagator Instance = new JaegerPropagator();

        public override void Inject(ActivityContext context, CarrierWriter carrier)
        {
            var flags = (context.TraceFlags & ActivityTraceFlags.Recorded) != 0 ? "01" : "00";
            carrier.Set(Header, context.TraceId.ToHexString() + ":" + context.SpanId.ToHexString() + ":0:" + flags);
        }

        public override ActivityContext Extract(CarrierReader carrier)
        {
            var value = carrier.First(Header);
            if (value is null)
            {
                return default;
            }

            if (value.IndexOf('%') >= 0)
            {
                try
                {
                    value = Uri.UnescapeDataString(value);
                }
                catch (Exception)
                {
                    return Ignored("bad URL encoding");
                }
            }

            var parts = value.Split(':');
            if (parts.Length != 4)
            {
                return Ignored("not {trace-id}:{span-id}:{parent-span-id}:{flags}");
            }

            if (parts[0].Length > 32 || !HexIds.IsHex(parts[0], 0, parts[0].Length) || !HexIds.TryTraceId(parts[0].ToLowerInvariant(), out var traceId))
            {
                return Ignored("trace-id is not 1 to 32 hex digits, or is 0");
            }

            if (parts[1].Length > 16 || !HexIds.IsHex(parts[1], 0, parts[1].Length) || !HexIds.TrySpanId(parts[1].ToLowerInvariant(), out var spanId))
            {
                return Ignored("span-id is not 1 to 16 hex digits, or is 0");
            }

            if (parts[2].Length == 0 || parts[2].Length > 16 || !HexIds.IsHex(parts[2], 0, parts[2].Length))
            {
                return Ignored("parent-span-id is not 1 to 16 hex digits");
            }

            var flags = parts[3];
            if (flags.Length == 0 || flags.Length > 2 || !HexIds.IsHex(flags, 0, flags.Length))
            {
                return Ignored("flags is not one or two hex digits");
            }

            var bits = flags.Length == 1 ? HexIds.HexValue(flags[0]) : (HexIds.HexValue(flags[0]) << 4) | HexIds.HexValue(flags[1]);
            return Remote(traceId, spanId, sampled: (bits & 0x03) != 0);
        }

        private static ActivityContext Ignored(string problem)
        {
            OpsEventSource.Log.PropagationHeaderIgnored(Header, problem);
            return default;
        }
    }
}
