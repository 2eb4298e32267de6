using System;
using System.Diagnostics;
using Mirascope.Ops.Diagnostics;

namespace Mirascope.Ops.Propagation
{
    /// <summary>
    /// Zipkin B3 (https://github.com/openzipkin/b3-propagation). Injects the single <c>b3</c> header or the
    /// <c>x-b3-*</c> headers; extracts either, the single header taking precedence as the specification says.
    /// Trace ids of 16 hex digits (64 bits) are left-padded to 32. A debug flag means sampled; a deferred decision
    /// (no sampling state) is extracted as not sampled, as OpenTelemetry does.
    /// </summary>
    internal sealed class B3Propagator : TextMapPropagator
    {
        public const string Single = "b3";
        public const string TraceIdHeader = "x-b3-traceid";
        public const string SpanIdHeader = "x-b3-spanid";
        public const string SampledHeader = "x-b3-sampled";
        public const string FlagsHeader = "x-b3-flags";

        public static readonly B3Propagator SingleHeader = new B3Propagator(singleHeader: true);
        public static readonly B3Propagator MultiHeader = new B3Propagator(singleHeader: false);

        private readonly bool _singleHeader;

        private B3Propagator(bool singleHeader)
        {
            _singleHeader = singleHeader;
        }

        public override void Inject(ActivityContext context, CarrierWriter carrier)
        {
            var sampled = (context.TraceFlags & ActivityTraceFlags.Recorded) != 0 ? "1" : "0";
            if (_singleHeader)
            {
                carrier.Set(Single, context.TraceId.ToHexString() + "-" + context.SpanId.ToHexString() + "-" + sampled);
                return;
            }

            carrier.Set(TraceIdHeader, context.TraceId.ToHexString());
            carrier.Set(SpanIdHeader, context.SpanId.ToHexString());
            carrier.Set(SampledHeader, sampled);
        }

        public override ActivityContext Extract(CarrierReader carrier)
        {
            var single = carrier.First(Single);
            return single is not null ? ExtractSingle(single) : ExtractMulti(carrier);
        }

        private static ActivityContext ExtractSingle(string value)
        {
            // {TraceId}-{SpanId}-{SamplingState}-{ParentSpanId}, the last two optional; or the sampling state alone.
            var parts = value.Split('-');
            if (parts.Length == 1)
            {
                // Only a sampling decision ("0", "1", "d"): there is no parent to continue.
                return default;
            }

            if (parts.Length > 4)
            {
                return Ignored(Single, "more than four fields");
            }

            if (!TryIds(parts[0], parts[1], out var traceId, out var spanId, out var problem))
            {
                return Ignored(Single, problem);
            }

            var sampled = false;
            if (parts.Length >= 3)
            {
                switch (parts[2])
                {
                    case "1":
                    case "d":
                        sampled = true;
                        break;
                    case "0":
                        break;
                    default:
                        return Ignored(Single, "sampling state is not 0, 1 or d");
                }
            }

            if (parts.Length == 4 && (parts[3].Length != 16 || !HexIds.IsLowerHex(parts[3], 0, 16)))
            {
                return Ignored(Single, "parent span id is not 16 lowercase hex digits");
            }

            return Remote(traceId, spanId, sampled);
        }

        private static ActivityContext ExtractMulti(CarrierReader carrier)
        {
            var trace = carrier.First(TraceIdHeader);
            var span = carrier.First(SpanIdHeader);
            if (trace is null && span is null)
            {
                return default;
            }

            if (trace is null || span is null)
            {
                return Ignored(trace is null ? TraceIdHeader : SpanIdHeader, "missing");
            }

            if (!TryIds(trace, span, out var traceId, out var spanId, out var problem))
            {
                return Ignored(TraceIdHeader, problem);
            }

            // Debug (x-b3-flags: 1) implies accept. "true" is the lenient reading of an old encoding the spec allows.
            var sampledValue = carrier.First(SampledHeader);
            var sampled = carrier.First(FlagsHeader) == "1"
                || sampledValue == "1"
                || string.Equals(sampledValue, "true", StringComparison.OrdinalIgnoreCase);
            return Remote(traceId, spanId, sampled);
        }

        private static bool TryIds(string trace, string span, out ActivityTraceId traceId, out ActivitySpanId spanId, out string problem)
        {
            spanId = default;
            if ((trace.Length != 16 && trace.Length != 32) || !HexIds.TryTraceId(trace, out traceId))
            {
                traceId = default;
                problem = "trace id is not 16 or 32 lowercase hex digits, or is all zeros";
                return false;
            }

            if (span.Length != 16 || !HexIds.TrySpanId(span, out spanId))
            {
                problem = "span id is not 16 lowercase hex digits, or is all zeros";
                return false;
            }

            problem = string.Empty;
            return true;
        }

        private static ActivityContext Ignored(string header, string problem)
        {
            OpsEventSource.Log.PropagationHeaderIgnored(header, problem);
            return default;
        }
    }
}
