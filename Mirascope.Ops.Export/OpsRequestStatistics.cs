using System.Collections.Generic;
using System.Globalization;

namespace Mirascope.Ops
{
    /// <summary>
    /// What became of one kind of request sent to a Mirascope Cloud receiver besides spans (annotations, function
    /// registrations): every one the export was given is delivered, failed for exactly one reason, or still pending.
    /// Part of <see cref="OpsExportStatistics"/>; see docs/configuration.md.
    /// </summary>
    public sealed class OpsRequestStatistics
    {
        private OpsRequestStatistics(long delivered, long failedRejected, long failedRetriesExhausted, long failedQueueFull, long failedAtShutdown, long pending)
        {
            Delivered = delivered;
            FailedRejected = failedRejected;
            FailedRetriesExhausted = failedRetriesExhausted;
            FailedQueueFull = failedQueueFull;
            FailedAtShutdown = failedAtShutdown;
            Pending = pending;
        }

        /// <summary>Accepted by the receiver (for a registration: created, or already known).</summary>
        public long Delivered { get; }

        /// <summary>Refused with a status that is not retried: 401/403 (the key), 404 (for an annotation, after its retries: the receiver never had the span), 500, ...</summary>
        public long FailedRejected { get; }

        /// <summary>No answer, or 429/502/503/504, on every attempt.</summary>
        public long FailedRetriesExhausted { get; }

        /// <summary>Never queued: the request queue (1,024) was full. <c>Annotate</c> returned false for these.</summary>
        public long FailedQueueFull { get; }

        /// <summary>Still queued or in flight when shutdown ran out of time.</summary>
        public long FailedAtShutdown { get; }

        /// <summary>Not delivered, for any reason: the sum of the four <c>Failed…</c> counts.</summary>
        public long Failed => FailedRejected + FailedRetriesExhausted + FailedQueueFull + FailedAtShutdown;

        /// <summary>Queued or in flight (an annotation waits for its span and retries a 404 for about 15 s).</summary>
        public long Pending { get; }

        /// <summary>The figures on one line.</summary>
        /// <returns>A description of the counts.</returns>
        public override string ToString() =>
            string.Format(
                CultureInfo.InvariantCulture,
                "{0} delivered, {1} failed (rejected {2}, retries exhausted {3}, queue full {4}, at shutdown {5}), {6} pending",
                Delivered, Failed, FailedRejected, FailedRetriesExhausted, FailedQueueFull, FailedAtShutdown, Pending);

        internal static OpsRequestStatistics Of(Export.Cloud.CloudRequestKindCounts counts) =>
            new OpsRequestStatistics(counts.Delivered, counts.Rejected, counts.RetriesExhausted, counts.QueueFull, counts.AtShutdown, counts.Pending);

        internal static OpsRequestStatistics Sum(IEnumerable<OpsRequestStatistics> parts)
        {
            long delivered = 0, rejected = 0, retries = 0, queueFull = 0, atShutdown = 0, pending = 0;
            foreach (var part in parts)
            {
                delivered += part.Delivered;
                rejected += part.FailedRejected;
                retries += part.FailedRetriesExhausted;
                queueFull += part.FailedQueueFull;
                atShutdown += part.FailedAtShutdown;
                pending += part.Pending;
            }

            return new OpsRequestStatistics(delivered, rejected, retries, queueFull, atShutdown, pending);
        }
    }
}
