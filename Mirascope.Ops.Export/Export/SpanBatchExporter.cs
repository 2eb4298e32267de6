using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using OpenTelemetry.Resources;

namespace Mirascope.Ops.Export
{
    /// <summary>The outcome of sending one batch; the exporter has already counted each of its spans as exported or dropped.</summary>
    internal enum BatchOutcome
    {
        Delivered,
        Dropped,
    }

    /// <summary>
    /// Sends batches of finished spans somewhere. Called only from the export thread of a
    /// <see cref="BatchingSpanProcessor"/>, one batch at a time, so implementations need no locking; they never throw.
    /// </summary>
    internal abstract class SpanBatchExporter : IDisposable
    {
        protected SpanBatchExporter(ExportDiagnostics diagnostics)
            : this(diagnostics, new ExportStatistics(diagnostics.Destination))
        {
        }

        protected SpanBatchExporter(ExportDiagnostics diagnostics, ExportStatistics statistics)
        {
            Diagnostics = diagnostics;
            Statistics = statistics;
        }

        /// <summary>
        /// An OpenTelemetry SDK exporter inside (OTLP's), which must be given the tracer provider to read its resource;
        /// the processor hands it over. Null for ours, which get the resource with each batch.
        /// </summary>
        public virtual OpenTelemetry.BaseExporter<Activity>? SdkExporter => null;

        public ExportDiagnostics Diagnostics { get; }

        public ExportStatistics Statistics { get; }

        /// <summary>Sends <paramref name="batch"/>. <paramref name="cancellation"/> fires when shutdown runs out of time.</summary>
        public abstract BatchOutcome Export(IReadOnlyList<Activity> batch, Resource resource, CancellationToken cancellation);

        /// <summary>Counts <paramref name="spans"/> spans as dropped for <paramref name="reason"/> and reports why.</summary>
        protected BatchOutcome Drop(int spans, DropReason reason, string text)
        {
            Statistics.AddDropped(reason, spans);
            Diagnostics.ExportFailed(spans, text);
            return BatchOutcome.Dropped;
        }

        /// <summary>
        /// A 413: each half is sent on its own through <paramref name="send"/> (which splits again if it is refused again);
        /// one span still refused is dropped as too large.
        /// </summary>
        protected BatchOutcome SendInHalves(IReadOnlyList<Activity> batch, string reason, Func<Activity[], BatchOutcome> send)
        {
            if (batch.Count == 1)
            {
                return Drop(1, DropReason.TooLarge, reason + " — a single span is larger than the receiver accepts");
            }

            var half = batch.Count / 2;
            var first = new Activity[half];
            var second = new Activity[batch.Count - half];
            for (var i = 0; i < batch.Count; i++)
            {
                if (i < half)
                {
                    first[i] = batch[i];
                }
                else
                {
                    second[i - half] = batch[i];
                }
            }

            var a = send(first);
            var b = send(second);
            return a == BatchOutcome.Delivered && b == BatchOutcome.Delivered ? BatchOutcome.Delivered : BatchOutcome.Dropped;
        }

        /// <summary>Called once after the last batch, e.g. to print what is still pending.</summary>
        public virtual void Finish(Resource resource)
        {
        }

        public virtual void Dispose()
        {
        }
    }
}
