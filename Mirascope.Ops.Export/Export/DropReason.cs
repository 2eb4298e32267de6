namespace Mirascope.Ops.Export
{
    /// <summary>Why a span was dropped instead of exported. Each dropped span is counted under exactly one reason.</summary>
    internal enum DropReason
    {
        /// <summary>The export queue was full when the span ended.</summary>
        QueueFull,

        /// <summary>
        /// The receiver refused it: <c>partialSuccess.rejectedSpans</c>, or its batch was answered with a status that is
        /// not retried (400, 401, 403, 404, 500, ...; a 413 splits the batch instead).
        /// </summary>
        Rejected,

        /// <summary>
        /// Its batch failed with a retryable error (connection failure, timeout, 429/502/503/504) on every attempt, or
        /// the receiver asked (<c>Retry-After</c>) for a longer wait than is allowed.
        /// </summary>
        RetriesExhausted,

        /// <summary>Shutdown ran out of time while it was queued or in flight, or it ended after shutdown finished.</summary>
        AtShutdown,

        /// <summary>The exporter itself failed on it (serialization, the console could not be written, a bug).</summary>
        ExportError,

        /// <summary>
        /// The receiver answered 413 (payload too large) to a batch of this one span: the batches it was in were split in
        /// halves and resent until it was alone, and it was still refused.
        /// </summary>
        TooLarge,
    }
}
