using System;
using System.Threading;
using Microsoft.Extensions.Logging;
using Mirascope.Ops.Diagnostics;

namespace Mirascope.Ops.Export
{
    /// <summary>
    /// Reports export trouble to the <c>Mirascope-Ops</c> EventSource and the optional logger, at most once per
    /// <see cref="Interval"/> per kind. What is held back in between is counted and comes out with the next report of
    /// its kind, or on its own once the interval has passed (<see cref="ReportHeld"/>, called by the export thread) and
    /// at shutdown, so the reports of a kind add up to every span dropped for it. The first drop also writes the one
    /// stderr line (<see cref="StderrDropWarning"/>) unless that is off. Every text passes through the API key
    /// redaction first.
    /// </summary>
    internal sealed class ExportDiagnostics
    {
        public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);

        private readonly ILogger? _logger;
        private readonly string? _secret;
        private readonly StderrDropWarning? _stderr;
        private readonly RateGate _failures;
        private readonly RateGate _queueFull;
        private readonly RateGate _rejections;
        private int _queueCapacity;
        private int _answered;
        private string? _lastFailure;
        private long _lostAtLastAccount;

        /// <param name="destination">The destination's display name with its endpoint (no secrets).</param>
        /// <param name="logger">The app's logger, if it set one.</param>
        /// <param name="secret">The API key, redacted from every text.</param>
        /// <param name="stderr">The first-drop line on stderr, or null when it is off.</param>
        /// <param name="interval">The shortest time between two reports of a kind.</param>
        public ExportDiagnostics(string destination, ILogger? logger, string? secret, StderrDropWarning? stderr = null, TimeSpan? interval = null)
        {
            Destination = destination;
            _logger = logger;
            _secret = string.IsNullOrEmpty(secret) ? null : secret;
            _stderr = stderr;
            Interval = interval ?? DefaultInterval;
            _failures = new RateGate(Interval);
            _queueFull = new RateGate(Interval);
            _rejections = new RateGate(Interval);
        }

        public string Destination { get; }

        public TimeSpan Interval { get; }

        /// <summary>The receiver answered a request (any status): from now on a full queue means it is slow, not silent.</summary>
        public void Answered() => Volatile.Write(ref _answered, 1);

        /// <summary>
        /// A configuration error (a rejected key, no receiver at the endpoint, the wrong protocol): its own stderr line,
        /// once per destination and kind, whatever was written before. The same text goes to the EventSource and logger
        /// with the failed batch (<see cref="ExportFailed"/>).
        /// </summary>
        /// <param name="kind">Which error (<c>credentials</c>, <c>endpoint</c>, <c>protocol</c>): each is told once per destination.</param>
        /// <param name="line">What is wrong and what to change.</param>
        public void ConfigurationError(string kind, string line)
        {
            _stderr?.WarnConfiguration(kind, Redact(line));
        }

        /// <summary>A batch of <paramref name="droppedSpans"/> spans could not be delivered (event 100).</summary>
        public void ExportFailed(long droppedSpans, string reason)
        {
            var text = Redact(reason);
            Volatile.Write(ref _lastFailure, text);
            _stderr?.Warn(text);
            if (_failures.TryPass(droppedSpans, text, out var held, out var heldSpans))
            {
                WriteExportFailed(droppedSpans + heldSpans, text, held);
            }
        }

        /// <summary>One span found the queue full (event 101). Called per dropped span: lock-free and allocation-free when held.</summary>
        public void QueueFull(int capacity)
        {
            _queueCapacity = capacity;
            if (_stderr is { Shown: false } stderr)
            {
                // Only until the line is shown: the text is built once, not per dropped span. A receiver that answered
                // is slow; one that never did may be down or a black hole, and the exit summary says which it was.
                stderr.Warn(Volatile.Read(ref _answered) != 0
                    ? "the export queue (MaxQueueSize " + capacity + ") is full: the receiver answers, but more slowly than the app makes spans"
                    : "the export queue (MaxQueueSize " + capacity + ") is full and the receiver has not answered any request yet (a wrong key, a dead receiver or a slow one: the line at exit tells what happened)");
            }

            if (_queueFull.TryPass(1, null, out _, out var heldSpans))
            {
                WriteQueueFull(capacity, heldSpans + 1);
            }
        }

        /// <summary>The receiver accepted a batch but rejected <paramref name="rejectedSpans"/> of its spans (event 102).</summary>
        public void Rejected(long rejectedSpans, string? message)
        {
            var text = Redact(message ?? string.Empty);
            if (rejectedSpans > 0)
            {
                _stderr?.Warn("the receiver rejected " + rejectedSpans + " spans of a batch (partialSuccess)" + (text.Length == 0 ? string.Empty : ": " + text));
            }

            if (_rejections.TryPass(rejectedSpans, text, out _, out var heldSpans))
            {
                WriteRejected(rejectedSpans + heldSpans, text);
            }
        }

        public void Retrying(int attempt, TimeSpan delay, string reason)
        {
            OpsEventSource.Log.ExportRetrying(Destination, attempt, (long)delay.TotalMilliseconds, Redact(reason));
        }

        /// <summary>
        /// Shutdown ran out of time (event 105); <paramref name="droppedSpans"/> are those dropped without being sent
        /// (the batch in flight, if any, is reported by event 100).
        /// </summary>
        public void FlushIncomplete(TimeSpan timeout, long droppedSpans)
        {
            if (droppedSpans > 0)
            {
                _stderr?.Warn("shutdown did not finish within " + (long)timeout.TotalMilliseconds + " ms (ShutdownTimeout); " + droppedSpans + " spans were not sent");
            }

            OpsEventSource.Log.FlushIncomplete(Destination, (long)timeout.TotalMilliseconds, droppedSpans);
            _logger?.LogWarning("Mirascope.Ops: flushing {Destination} did not finish within {Timeout} ms; {Dropped} spans were dropped", Destination, (long)timeout.TotalMilliseconds, droppedSpans);
        }

        /// <summary>
        /// Sends out what each kind held back: once its interval has passed, or whatever the time when
        /// <paramref name="force"/> (at shutdown, so nothing counted stays unreported).
        /// </summary>
        public void ReportHeld(bool force)
        {
            if (_failures.TryTakeHeld(force, out var failures, out var failedSpans, out var reason))
            {
                // The report stands for `failures` failures: the latest one's reason and "failures - 1" similar ones.
                WriteExportFailed(failedSpans, reason ?? "export failed", Math.Max(0, failures - 1));
            }

            if (_queueFull.TryTakeHeld(force, out _, out var queueFullSpans, out _))
            {
                WriteQueueFull(_queueCapacity, queueFullSpans);
            }

            if (_rejections.TryTakeHeld(force, out _, out var rejectedSpans, out var message))
            {
                WriteRejected(rejectedSpans, message ?? string.Empty);
            }
        }

        /// <summary>The final account of an exporter that dropped spans, at its shutdown (event 106).</summary>
        public void Summary(ExportStatistics statistics)
        {
            var (exported, dropped) = (statistics.Exported, statistics.Dropped);
            OpsEventSource.Log.ExportSummary(
                Destination, exported, dropped, statistics.DroppedQueueFull, statistics.DroppedRejected,
                statistics.DroppedRetriesExhausted, statistics.DroppedAtShutdown, statistics.DroppedExportError,
                statistics.DroppedTooLarge, statistics.Pending);
            WriteExitLine(statistics);
            _logger?.LogWarning(
                "Mirascope.Ops: export to {Destination} stopped with {Dropped} spans dropped and {Exported} exported (queue full {QueueFull}, rejected {Rejected}, retries exhausted {RetriesExhausted}, at shutdown {AtShutdown}, export error {ExportError}, too large {TooLarge}), {Pending} pending",
                Destination, dropped, exported, statistics.DroppedQueueFull, statistics.DroppedRejected,
                statistics.DroppedRetriesExhausted, statistics.DroppedAtShutdown, statistics.DroppedExportError,
                statistics.DroppedTooLarge, statistics.Pending);
        }

        /// <summary>
        /// A stop signal's flush is done and the process may end now, without process exit ever running: the stderr
        /// account, if spans were lost since start (the one at shutdown follows only if more are lost after it).
        /// </summary>
        public void SummaryAtSignal(ExportStatistics statistics)
        {
            if (statistics.Dropped + statistics.Pending > 0)
            {
                WriteExitLine(statistics);
            }
        }

        private void WriteExitLine(ExportStatistics statistics)
        {
            var lost = statistics.Dropped + statistics.Pending;
            if (Interlocked.Exchange(ref _lostAtLastAccount, lost) != lost)
            {
                _stderr?.WarnAtExit(ExitSummary.Line(statistics, Volatile.Read(ref _lastFailure), Volatile.Read(ref _answered) != 0));
            }
        }

        public void Unexpected(string operation, Exception exception)
        {
            OpsEventSource.Log.TracingFailed(operation, exception.GetType().FullName ?? "Exception", Redact(exception.Message));
        }

        public string Redact(string text) =>
            _secret is null || text.IndexOf(_secret, StringComparison.Ordinal) < 0 ? text : text.Replace(_secret, "[redacted]");

        private void WriteExportFailed(long droppedSpans, string text, long similar)
        {
            OpsEventSource.Log.ExportFailed(Destination, droppedSpans, text, similar);
            _logger?.LogWarning("Mirascope.Ops: export to {Destination} failed; {Dropped} spans were dropped: {Reason} ({Held} similar failures since the last report)", Destination, droppedSpans, text, similar);
        }

        private void WriteQueueFull(int capacity, long droppedSpans)
        {
            OpsEventSource.Log.QueueFull(Destination, capacity, droppedSpans);
            _logger?.LogWarning("Mirascope.Ops: the export queue of {Destination} (capacity {Capacity}) is full; {Dropped} spans were dropped since the last report", Destination, capacity, droppedSpans);
        }

        private void WriteRejected(long rejectedSpans, string text)
        {
            OpsEventSource.Log.SpansRejected(Destination, rejectedSpans, text);
            _logger?.LogWarning("Mirascope.Ops: {Destination} rejected {Rejected} spans: {Message}", Destination, rejectedSpans, text);
        }
    }
}
