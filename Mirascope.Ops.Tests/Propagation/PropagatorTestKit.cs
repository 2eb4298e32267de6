using System.Collections.Generic;
using System.Diagnostics;
using Mirascope.Ops.Propagation;

namespace Mirascope.Ops.Tests.Propagation
{
    internal static class PropagatorTestKit
    {
        public static ActivityContext Extract(TextMapPropagator propagator, params (string Name, string Value)[] headers)
        {
            var carrier = new Dictionary<string, string>();
            foreach (var (name, value) in headers)
            {
                carrier[name] = value;
            }

            return propagator.Extract(CarrierReader.ForPairs(carrier));
        }

        public static Dictionary<string, string> Inject(TextMapPropagator propagator, ActivityContext context)
        {
            var carrier = new Dictionary<string, string>();
            propagator.Inject(context, CarrierWriter.ForDictionary(carrier));
            return carrier;
        }

        public static ActivityContext Context(string traceId, string spanId, bool sampled, string? traceState = null) =>
            new ActivityContext(
                ActivityTraceId.CreateFromString(traceId),
                ActivitySpanId.CreateFromString(spanId),
                sampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None,
                traceState);
    }
}
