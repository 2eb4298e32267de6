using System.Threading;

namespace Mirascope.Ops.Export
{
    /// <summary>
    /// What happened to the spans one exporter was given (live counters, updated lock-free). Every span accepted into
    /// the queue ends up exported or dropped for one <see cref="DropReason"/>; one that found the queue full is
    /// dropped as <see cref="DropReason.QueueFull"/> without being queued.
    /// </summary>
    internal sealed class ExportStatistics
    {
        private long _queued;
        private long _exported;
        private long _droppedQueueFull;
        private long _droppedRejected;
        private long _droppedRetriesExhausted;
        private long _droppedAtShutdown;
        private long _droppedExportError;
        private long _droppedTooLarge;
        private long _requests;
        private long _retries;
        private long _droppedAtLastCheck;
        private int _highWaterMark;

        public ExportStatistics(string destination)
        {
            Destination = destination;
        }

        /// <summary>The destination's display name, e.g. <c>Mirascope Cloud (https://…/traces)</c>; never a secret.</summary>
        public string Destination { get; }

        /// <summary>Spans accepted into the queue.</summary>
        public long Queued => Interlocked.Read(ref _queued);

        /// <summary>Spans the destination accepted (a partial success's rejected spans are <see cref="DroppedRejected"/>).</summary>
        public long Exported => Interlocked.Read(ref _exported);

        public long DroppedQueueFull => Interlocked.Read(ref _droppedQueueFull);

        public long DroppedRejected => Interlocked.Read(ref _droppedRejected);

        public long DroppedRetriesExhausted => Interlocked.Read(ref _droppedRetriesExhausted);

        public long DroppedAtShutdown => Interlocked.Read(ref _droppedAtShutdown);

        public long DroppedExportError => Interlocked.Read(ref _droppedExportError);

        public long DroppedTooLarge => Interlocked.Read(ref _droppedTooLarge);

        /// <summary>Spans dropped for any reason.</summary>
        public long Dropped => DroppedQueueFull + DroppedRejected + DroppedRetriesExhausted + DroppedAtShutdown + DroppedExportError + DroppedTooLarge;

        /// <summary>Spans queued and not yet exported or dropped (waiting, in flight, or held by the console for their tree).</summary>
        public long Pending => Queued - Exported - (Dropped - DroppedQueueFull);

        /// <summary>HTTP requests sent, retries included.</summary>
        public long Requests => Interlocked.Read(ref _requests);

        /// <summary>Retried attempts.</summary>
        public long Retries => Interlocked.Read(ref _retries);

        /// <summary>The most spans ever waiting in the queue at once.</summary>
        public int HighWaterMark => Volatile.Read(ref _highWaterMark);

        internal void AddQueued() => Interlocked.Increment(ref _queued);

        internal void AddExported(long count) => Interlocked.Add(ref _exported, count);

        internal void AddDropped(DropReason reason, long count)
        {
            switch (reason)
            {
                case DropReason.QueueFull:
                    Interlocked.Add(ref _droppedQueueFull, count);
                    break;
                case DropReason.Rejected:
                    Interlocked.Add(ref _droppedRejected, count);
                    break;
                case DropReason.RetriesExhausted:
                    Interlocked.Add(ref _droppedRetriesExhausted, count);
                    break;
                case DropReason.AtShutdown:
                    Interlocked.Add(ref _droppedAtShutdown, count);
                    break;
                case DropReason.TooLarge:
                    Interlocked.Add(ref _droppedTooLarge, count);
                    break;
                default:
                    Interlocked.Add(ref _droppedExportError, count);
                    break;
            }
        }

        internal void AddRequest() => Interlocked.Increment(ref _requests);

        internal void AddRetry() => Interlocked.Increment(ref _retries);

        /// <summary>
        /// Whether any span was dropped since the previous call (the first call: since this exporter started). This is
        /// what makes ForceFlush and Shutdown return false: each reports on the drops since the one before.
        /// </summary>
        internal bool TakeDroppedSinceLastCheck()
        {
            var dropped = Dropped;
            return Interlocked.Exchange(ref _droppedAtLastCheck, dropped) != dropped;
        }

        /// <summary>Adds <paramref name="other"/>'s counts to these (a retired exporter's totals kept for the process-wide figures).</summary>
        internal void AddFrom(ExportStatistics other)
        {
            Interlocked.Add(ref _queued, other.Queued);
            Interlocked.Add(ref _exported, other.Exported);
            Interlocked.Add(ref _droppedQueueFull, other.DroppedQueueFull);
            Interlocked.Add(ref _droppedRejected, other.DroppedRejected);
            Interlocked.Add(ref _droppedRetriesExhausted, other.DroppedRetriesExhausted);
            Interlocked.Add(ref _droppedAtShutdown, other.DroppedAtShutdown);
            Interlocked.Add(ref _droppedExportError, other.DroppedExportError);
            Interlocked.Add(ref _droppedTooLarge, other.DroppedTooLarge);
            Interlocked.Add(ref _requests, other.Requests);
            Interlocked.Add(ref _retries, other.Retries);
            ObserveQueueLength(other.HighWaterMark);
        }

        internal void ObserveQueueLength(int length)
        {
            var seen = Volatile.Read(ref _highWaterMark);
            while (length > seen)
            {
                var previous = Interlocked.CompareExchange(ref _highWaterMark, length, seen);
                if (previous == seen)
                {
                    return;
                }

                seen = previous;
            }
        }

        public override string ToString() =>
            $"{Destination}: queued {Queued}, exported {Exported}, dropped {Dropped} (queue full {DroppedQueueFull}, rejected {DroppedRejected}, "
            + $"retries exhausted {DroppedRetriesExhausted}, at shutdown {DroppedAtShutdown}, export error {DroppedExportError}, too large {DroppedTooLarge}), pending {Pending}, "
            + $"requests {Requests}, retries {Retries}, high-water {HighWaterMark}";
    }
}
