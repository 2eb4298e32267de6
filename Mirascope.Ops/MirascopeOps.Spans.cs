using System.Diagnostics;
using System.Threading;
using Mirascope.Ops.Diagnostics;
using Mirascope.Ops.Tracing;

namespace Mirascope.Ops
{
    public static partial class MirascopeOps
    {
        private static int _noopSpanReported;

        /// <summary>
        /// Starts an explicit span, a child of the current span, and makes it current until it is disposed.
        /// It carries <c>mirascope.type</c> = <c>"trace"</c>, the session, and <paramref name="attributes"/>.
        /// When nothing listens to the <c>Mirascope.Ops</c> source (or the sampler drops the span) it returns a no-op
        /// span: no exception, no allocation.
        /// </summary>
        /// <example><code>using var span = MirascopeOps.Span("load-data", new { source = "s3" }); span.Info("loaded");</code></example>
        /// <param name="name">The span name.</param>
        /// <param name="attributes">Initial attributes as an anonymous object or a dictionary, or null.</param>
        /// <returns>The span; dispose it to end it.</returns>
        public static Span Span(string name, object? attributes = null)
        {
            if (!OpsActivitySource.Source.HasListeners())
            {
                ReportNoopSpan(name);
                return Mirascope.Ops.Span.Noop;
            }

            return Mirascope.Ops.Span.Start(name, attributes);
        }

        /// <summary>
        /// The span of the traced method (or explicit span) you are in, to add attributes and events to it; a no-op
        /// span when the current activity does not come from Mirascope.Ops. Disposing it does not end the span.
        /// </summary>
        public static Span CurrentSpan
        {
            get
            {
                var activity = Activity.Current;
                return activity is not null && ReferenceEquals(activity.Source, OpsActivitySource.Source)
                    ? Mirascope.Ops.Span.Wrap(activity)
                    : Mirascope.Ops.Span.Noop;
            }
        }

        private static void ReportNoopSpan(string name)
        {
            // Python warns once per process; so do we, through the event source.
            if (Volatile.Read(ref _noopSpanReported) == 0 && Interlocked.Exchange(ref _noopSpanReported, 1) == 0)
            {
                OpsEventSource.Log.SpanIsNoop(name ?? string.Empty);
            }
        }
    }
}
