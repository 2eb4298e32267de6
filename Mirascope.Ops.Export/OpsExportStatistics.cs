using System;
using System.Collections.Generic;
using System.Globalization;

namespace Mirascope.Ops
{
    /// <summary>
    /// An immutable snapshot of what every exporter Mirascope.Ops built (Mirascope Cloud ingest, OTLP, the console
    /// tree) did with the spans it was given since the process started, across every
    /// <see cref="OpsExport.Configure()"/> and <c>AddMirascopeOps(o => ...)</c>. Every span handed to one of them is
    /// exported, dropped for exactly one reason, or still pending: <c>Exported + Dropped + Pending</c> is the number of
    /// spans offered. Read it with <see cref="OpsExport.Statistics"/>; see docs/configuration.md.
    /// </summary>
    public sealed class OpsExportStatistics
    {
        internal OpsExportStatistics(
            string? destination,
            long exported,
            long droppedQueueFull,
            long droppedRejected,
            long droppedRetriesExhausted,
            long droppedAtShutdown,
            long droppedExportError,
            long droppedTooLarge,
            long pending,
            OpsRequestStatistics annotations,
            OpsRequestStatistics functionRegistrations,
            IReadOnlyList<OpsExportStatistics> destinations)
        {
            Annotations = annotations;
            FunctionRegistrations = functionRegistrations;
            Destination = destination;
            Exported = exported;
            DroppedQueueFull = droppedQueueFull;
            DroppedRejected = droppedRejected;
            DroppedRetriesExhausted = droppedRetriesExhausted;
            DroppedAtShutdown = droppedAtShutdown;
            DroppedExportError = droppedExportError;
            DroppedTooLarge = droppedTooLarge;
            Pending = pending;
            Destinations = destinations;
        }

        /// <summary>
        /// The destination these figures are for, e.g. <c>Mirascope Cloud (https://example.com/api/v2/traces)</c> or
        /// <c>console</c>, or <c>OTLP (http://localhost:4318/v1/traces, http/protobuf)</c>; null for the total over every destination.
        /// </summary>
        public string? Destination { get; }

        /// <summary>Spans the destination accepted.</summary>
        public long Exported { get; }

        /// <summary>Spans dropped because the export queue (<see cref="OpsOptions.MaxQueueSize"/>) was full when they ended.</summary>
        public long DroppedQueueFull { get; }

        /// <summary>
        /// Spans the receiver refused: counted in a <c>partialSuccess</c> answer, or in a batch answered with a status
        /// that is not retried (400, 401, 403, 404, 500, ...).
        /// </summary>
        public long DroppedRejected { get; }

        /// <summary>
        /// Spans whose batch failed with a retryable error (connection failure, no answer within
        /// <see cref="OpsOptions.ExportTimeout"/>, 429/502/503/504) on every attempt, or whose receiver asked for a
        /// longer <c>Retry-After</c> than is allowed.
        /// </summary>
        public long DroppedRetriesExhausted { get; }

        /// <summary>Spans still queued or in flight when shutdown ran out of <see cref="OpsOptions.ShutdownTimeout"/> (or that ended after it).</summary>
        public long DroppedAtShutdown { get; }

        /// <summary>Spans the exporter itself failed on (they could not be serialized, the console could not be written).</summary>
        public long DroppedExportError { get; }

        /// <summary>
        /// Spans the receiver refused as too large (HTTP 413) even alone: a refused batch is split in halves and resent
        /// down to single spans, and only a span refused on its own is dropped.
        /// </summary>
        public long DroppedTooLarge { get; }

        /// <summary>Spans dropped for any reason: the sum of the six <c>Dropped…</c> counts.</summary>
        public long Dropped => DroppedQueueFull + DroppedRejected + DroppedRetriesExhausted + DroppedAtShutdown + DroppedExportError + DroppedTooLarge;

        /// <summary>Spans accepted and not yet exported or dropped (queued, in flight, or waiting for their trace's top span on the console).</summary>
        public long Pending { get; }

        /// <summary>
        /// The annotations made from code (<c>Annotate</c>) and sent to this Mirascope Cloud receiver: delivered, failed by
        /// reason, pending. <c>Annotate</c> returns whether an annotation was accepted for sending; whether it then
        /// arrived shows here. Zero for destinations that take no annotations (OTLP, console).
        /// </summary>
        public OpsRequestStatistics Annotations { get; }

        /// <summary>The registrations of <c>[Version]</c> functions with this Mirascope Cloud receiver, counted like <see cref="Annotations"/>.</summary>
        public OpsRequestStatistics FunctionRegistrations { get; }

        /// <summary>The figures per destination (this snapshot's are their sums); empty in a destination's own entry.</summary>
        public IReadOnlyList<OpsExportStatistics> Destinations { get; }

        /// <summary>The figures on one line, e.g. for a log.</summary>
        /// <returns>A description of the counts.</returns>
        public override string ToString() =>
            string.Format(
                CultureInfo.InvariantCulture,
                "{0}: {1} exported, {2} dropped (queue full {3}, rejected {4}, retries exhausted {5}, at shutdown {6}, export error {7}, too large {8}), {9} pending",
                Destination ?? "all destinations",
                Exported,
                Dropped,
                DroppedQueueFull,
                DroppedRejected,
                DroppedRetriesExhausted,
                DroppedAtShutdown,
                DroppedExportError,
                DroppedTooLarge,
                Pending);

        internal static OpsExportStatistics Of(Export.ExportStatistics counts, OpsRequestStatistics annotations, OpsRequestStatistics functionRegistrations) =>
            new OpsExportStatistics(
                counts.Destination,
                counts.Exported,
                counts.DroppedQueueFull,
                counts.DroppedRejected,
                counts.DroppedRetriesExhausted,
                counts.DroppedAtShutdown,
                counts.DroppedExportError,
                counts.DroppedTooLarge,
                counts.Pending,
                annotations,
                functionRegistrations,
                Array.Empty<OpsExportStatistics>());

        internal static OpsExportStatistics Total(IReadOnlyList<OpsExportStatistics> destinations)
        {
            long exported = 0, queueFull = 0, rejected = 0, retries = 0, atShutdown = 0, exportError = 0, tooLarge = 0, pending = 0;
            foreach (var destination in destinations)
            {
                exported += destination.Exported;
                queueFull += destination.DroppedQueueFull;
                rejected += destination.DroppedRejected;
                retries += destination.DroppedRetriesExhausted;
                atShutdown += destination.DroppedAtShutdown;
                exportError += destination.DroppedExportError;
                tooLarge += destination.DroppedTooLarge;
                pending += destination.Pending;
            }

            var annotations = OpsRequestStatistics.Sum(System.Linq.Enumerable.Select(destinations, d => d.Annotations));
            var registrations = OpsRequestStatistics.Sum(System.Linq.Enumerable.Select(destinations, d => d.FunctionRegistrations));
            return new OpsExportStatistics(null, exported, queueFull, rejected, retries, atShutdown, exportError, tooLarge, pending, annotations, registrations, destinations);
        }
    }
}
