using System.Threading;

namespace Mirascope.Ops.Export.Cloud
{
    /// <summary>
    /// What the function registrations and annotations sent to one Cloud receiver came to, per kind: delivered, failed
    /// by reason, pending. Every request the export accepted (or refused because its queue was full) is counted under
    /// exactly one of them. Read by <c>OpsExport.Statistics</c>, the tests and the shutdown report.
    /// </summary>
    internal sealed class CloudRequestCounts
    {
        private long _functionsRegistered;
        private long _functionsAlreadyKnown;

        /// <summary>The annotations: <c>POST /annotations</c>.</summary>
        public CloudRequestKindCounts Annotations { get; } = new CloudRequestKindCounts();

        /// <summary>The function registrations: <c>GET /functions/hash/{hash}</c>, then <c>POST /functions</c>.</summary>
        public CloudRequestKindCounts Registrations { get; } = new CloudRequestKindCounts();

        /// <summary>Functions this process created on the receiver (<c>POST /functions</c> answered 2xx or 409).</summary>
        public long FunctionsRegistered => Interlocked.Read(ref _functionsRegistered);

        /// <summary>Functions the receiver already had (<c>GET /functions/hash/{hash}</c> answered 2xx).</summary>
        public long FunctionsAlreadyKnown => Interlocked.Read(ref _functionsAlreadyKnown);

        public long FunctionRegistrationsFailed => Registrations.Failed;

        public long AnnotationsSent => Annotations.Delivered;

        /// <summary>Annotations not delivered, for any reason.</summary>
        public long AnnotationsFailed => Annotations.Failed;

        public void AddFunctionRegistered()
        {
            Interlocked.Increment(ref _functionsRegistered);
            Registrations.AddDelivered();
        }

        public void AddFunctionAlreadyKnown()
        {
            Interlocked.Increment(ref _functionsAlreadyKnown);
            Registrations.AddDelivered();
        }

        public override string ToString() =>
            $"functions registered {FunctionsRegistered}, already known {FunctionsAlreadyKnown}; registrations {Registrations}; annotations {Annotations}";
    }

    /// <summary>The counts of one kind of Cloud request (annotations, or function registrations).</summary>
    internal sealed class CloudRequestKindCounts
    {
        private long _accepted;
        private long _delivered;
        private long _rejected;
        private long _retriesExhausted;
        private long _queueFull;
        private long _atShutdown;

        public long Delivered => Interlocked.Read(ref _delivered);

        /// <summary>Refused by the receiver with a status that is not retried (401, 403, 404 after the retries of an annotation, 500, ...).</summary>
        public long Rejected => Interlocked.Read(ref _rejected);

        /// <summary>No answer, or 429/502–504, on every attempt.</summary>
        public long RetriesExhausted => Interlocked.Read(ref _retriesExhausted);

        /// <summary>Not queued: the request queue was full.</summary>
        public long QueueFull => Interlocked.Read(ref _queueFull);

        /// <summary>Still queued or in flight when shutdown ran out of time.</summary>
        public long AtShutdown => Interlocked.Read(ref _atShutdown);

        public long Failed => Rejected + RetriesExhausted + QueueFull + AtShutdown;

        /// <summary>Queued and not yet delivered or failed.</summary>
        public long Pending => Interlocked.Read(ref _accepted) - Delivered - Rejected - RetriesExhausted - AtShutdown;

        public void AddAccepted() => Interlocked.Increment(ref _accepted);

        public void AddDelivered() => Interlocked.Increment(ref _delivered);

        public void AddRejected() => Interlocked.Increment(ref _rejected);

        public void AddRetriesExhausted() => Interlocked.Increment(ref _retriesExhausted);

        public void AddQueueFull() => Interlocked.Increment(ref _queueFull);

        public void AddAtShutdown() => Interlocked.Increment(ref _atShutdown);

        /// <summary>Adds <paramref name="other"/>'s counts (a retired export's totals kept for the process-wide figures).</summary>
        public void AddFrom(CloudRequestKindCounts other)
        {
            Interlocked.Add(ref _accepted, Interlocked.Read(ref other._accepted));
            Interlocked.Add(ref _delivered, other.Delivered);
            Interlocked.Add(ref _rejected, other.Rejected);
            Interlocked.Add(ref _retriesExhausted, other.RetriesExhausted);
            Interlocked.Add(ref _queueFull, other.QueueFull);
            Interlocked.Add(ref _atShutdown, other.AtShutdown);
        }

        public override string ToString() =>
            $"delivered {Delivered}, failed {Failed} (rejected {Rejected}, retries exhausted {RetriesExhausted}, queue full {QueueFull}, at shutdown {AtShutdown}), pending {Pending}";
    }
}
