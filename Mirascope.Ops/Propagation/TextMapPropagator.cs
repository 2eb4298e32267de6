using System.Diagnostics;

namespace Mirascope.Ops.Propagation
{
    /// <summary>One header format: writes a span context into headers and reads it back.</summary>
    internal abstract class TextMapPropagator
    {
        /// <summary>Writes <paramref name="context"/> (a valid context) into the carrier.</summary>
        public abstract void Inject(ActivityContext context, CarrierWriter carrier);

        /// <summary>Reads a remote context; <c>default</c> when the headers are absent or malformed. Never throws.</summary>
        public abstract ActivityContext Extract(CarrierReader carrier);

        protected static ActivityContext Remote(ActivityTraceId traceId, ActivitySpanId spanId, bool sampled, string? traceState = null) =>
            new ActivityContext(traceId, spanId, sampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None, traceState, isRemote: true);
    }
}
