using System.Diagnostics;

namespace Mirascope.Ops.Propagation
{
    /// <summary>
    /// Several formats at once: injects every format's headers; extracts with each in turn and keeps the first valid
    /// context (as OpenTelemetry .NET's composite propagator does).
    /// </summary>
    internal sealed class CompositePropagator : TextMapPropagator
    {
        public static readonly CompositePropagator All = new CompositePropagator(
            TraceContextPropagator.Instance,
            B3Propagator.SingleHeader,
            B3Propagator.MultiHeader,
            JaegerPropagator.Instance);

        private readonly TextMapPropagator[] _propagators;

        public CompositePropagator(params TextMapPropagator[] propagators)
        {
            _propagators = propagators;
        }

        public override void Inject(ActivityContext context, CarrierWriter carrier)
        {
            foreach (var propagator in _propagators)
            {
                propagator.Inject(context, carrier);
            }
        }

        public override ActivityContext Extract(CarrierReader carrier)
        {
            foreach (var propagator in _propagators)
            {
                var context = propagator.Extract(carrier);
                if (context.TraceId != default)
                {
                    return context;
                }
            }

            return default;
        }
    }
}
