namespace Mirascope.Ops
{
    /// <summary>
    /// The header format of trace context propagation, as in Python's Mirascope: set with
    /// <see cref="MirascopeOps.UsePropagator"/> or the <c>MIRASCOPE_PROPAGATOR</c> environment variable
    /// (<c>tracecontext</c>, <c>b3</c>, <c>b3multi</c>, <c>jaeger</c>, <c>composite</c>).
    /// </summary>
    public enum PropagatorFormat
    {
        /// <summary>W3C Trace Context: <c>traceparent</c> and <c>tracestate</c>. The default.</summary>
        TraceContext = 0,

        /// <summary>Zipkin B3, single header: <c>b3: {trace}-{span}-{sampled}</c>.</summary>
        B3 = 1,

        /// <summary>Zipkin B3, one header per field: <c>x-b3-traceid</c>, <c>x-b3-spanid</c>, <c>x-b3-sampled</c>.</summary>
        B3Multi = 2,

        /// <summary>Jaeger: <c>uber-trace-id: {trace}:{span}:{parent}:{flags}</c>.</summary>
        Jaeger = 3,

        /// <summary>
        /// All of the above: injects every header; extracts the first valid context in the order Trace Context, B3
        /// (single, then multi), Jaeger.
        /// </summary>
        Composite = 4,
    }
}
