using System.Threading;

namespace Mirascope.Ops.Export
{
    /// <summary>What happened to the spans one exporter was given. Every span ends in exactly one of the outcome counters.</summary>
    internal sealed class ExportStatistics
    {
        private long _queued;
        private long _droppedQueueFull;
        private long _exported;
        private long _failed;
        private long _rejected;
        private long _requests;
        private long _retries;
        private int _highWaterMark;

        /// <summary>Spans accepted into the queue.</summary>
        public long Queued => Interlocked.Read(ref _queued);

        /// <summary>Spans dropped because the queue was full.</summary>
        public long DroppedQueueFull => Interlocked.Read(ref _droppedQueueFull);

        /// <summary>Spans the destination accepted (a partial success counts its rejected spans under <see cref="Rejected"/>).</summary>
        public long Exported => Interlocked.Read(ref _exported);

        /// <summary>Spans dropped because their batch could not be delivered (after retries, or at shutdown).</summary>
        public long Failed => Interlocked.Read(ref _failed);

        /// <summary>Spans the destination received but rejected (OTLP partial success).</summary>
        public long Rejected => Interlocked.Read(ref _rejected);

        /// <summary>HTTP requests sent, retries included.</summary>
        public long Requests => Interlocked.Read(ref _requests);

        /// <summary>Retried attempts.</summary>
        public long Retries => Interlocked.Read(ref _retries);

        /// <summary>The most spans ever waiting in the queue at once.</summary>
        public int HighWaterMark => Volatile.Read(ref _highWaterMark);

        internal void AddQueued() => Interlocked.Increment(ref _queued);

        internal void AddDroppedQueueFull() => Interlocked.Increment(ref _droppedQueueFull);

        internal void AddExported(long count) => Interlocked.Add(ref _exported, count);

        internal void AddFailed(long count) => Interlocked.Add(ref _failed, count);

        internal void AddRejected(long count) => Interlocked.Add(ref _rejected, count);

        internal void AddRequest() => Interlocked.Increment(ref _requests);

        internal void AddRetry() => Interlocked.Increment(ref _retries);

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
            $"queued {Queued}, exported {Exported}, rejected {Rejected}, failed {Failed}, dropped (queue full) {DroppedQueueFull}, requests {Requests}, retries {Retries}, high-water {HighWaterMark}";
    }
}
