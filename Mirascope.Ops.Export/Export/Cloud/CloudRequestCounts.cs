using System.Threading;

namespace Mirascope.Ops.Export.Cloud
{
    /// <summary>What the function registrations and annotations sent to one Cloud receiver came to; read by tests and the shutdown report.</summary>
    internal sealed class CloudRequestCounts
    {
        private long _functionsRegistered;
        private long _functionsAlreadyKnown;
        private long _functionRegistrationsFailed;
        private long _annotationsSent;
        private long _annotationsFailed;
        private long _droppedQueueFull;
        private long _droppedAtShutdown;

        /// <summary>Functions this process created on the receiver (<c>POST /functions</c> answered 2xx or 409).</summary>
        public long FunctionsRegistered => Interlocked.Read(ref _functionsRegistered);

        /// <summary>Functions the receiver already had (<c>GET /functions/hash/{hash}</c> answered 2xx).</summary>
        public long FunctionsAlreadyKnown => Interlocked.Read(ref _functionsAlreadyKnown);

        public long FunctionRegistrationsFailed => Interlocked.Read(ref _functionRegistrationsFailed);

        public long AnnotationsSent => Interlocked.Read(ref _annotationsSent);

        /// <summary>Annotations the receiver refused or never answered for, retries included.</summary>
        public long AnnotationsFailed => Interlocked.Read(ref _annotationsFailed);

        /// <summary>Registrations and annotations dropped because the request queue was full.</summary>
        public long DroppedQueueFull => Interlocked.Read(ref _droppedQueueFull);

        /// <summary>Registrations and annotations still queued when shutdown ran out of time.</summary>
        public long DroppedAtShutdown => Interlocked.Read(ref _droppedAtShutdown);

        public void AddDroppedAtShutdown(long count) => Interlocked.Add(ref _droppedAtShutdown, count);

        public void AddFunctionRegistered() => Interlocked.Increment(ref _functionsRegistered);

        public void AddFunctionAlreadyKnown() => Interlocked.Increment(ref _functionsAlreadyKnown);

        public void AddFunctionRegistrationFailed() => Interlocked.Increment(ref _functionRegistrationsFailed);

        public void AddAnnotationSent() => Interlocked.Increment(ref _annotationsSent);

        public void AddAnnotationFailed() => Interlocked.Increment(ref _annotationsFailed);

        public void AddDroppedQueueFull() => Interlocked.Increment(ref _droppedQueueFull);

        public override string ToString() =>
            $"functions registered {FunctionsRegistered}, already known {FunctionsAlreadyKnown}, failed {FunctionRegistrationsFailed}; annotations sent {AnnotationsSent}, failed {AnnotationsFailed}; dropped (queue full) {DroppedQueueFull}, (at shutdown) {DroppedAtShutdown}";
    }
}
