using System;
using System.Diagnostics;
using System.Threading;
using Microsoft.Extensions.Logging;
using Mirascope.Ops.Diagnostics;

namespace Mirascope.Ops.Export
{
    /// <summary>
    /// Reports export trouble to the <c>Mirascope-Ops</c> EventSource and the optional logger, at most once per
    /// <see cref="Interval"/> per kind (the next report carries the count of what was held back), so a dead
    /// backend does not flood the app's logs. Every text passes through the API key redaction first.
    /// </summary>
    internal sealed class ExportDiagnostics
    {
        public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);

        private readonly ILogger? _logger;
        private readonly string? _secret;
        private readonly RateGate _failures;
        private readonly RateGate _queueFull;
        private readonly RateGate _rejections;

        public ExportDiagnostics(string destination, ILogger? logger, string? secret, TimeSpan? interval = null)
        {
            Destination = destination;
            _logger = logger;
            _secret = string.IsNullOrEmpty(secret) ? null : secret;
            Interval = interval ?? DefaultInterval;
            _failures = new RateGate(Interval);
            _queueFull = new RateGate(Interval);
            _rejections = new RateGate(Interval);
        }

        public string Destination { get; }

        public TimeSpan Interval { get; }

        public void ExportFailed(long droppedSpans, string reason)
        {
            if (_failures.TryPass(droppedSpans, out var held, out var heldSpans))
            {
                var text = Redact(reason);
                OpsEventSource.Log.ExportFailed(Destination, droppedSpans + heldSpans, text, held);
                _logger?.LogWarning("Mirascope.Ops: export to {Destination} failed; {Dropped} spans were dropped: {Reason} ({Held} similar failures since the last report)", Destination, droppedSpans + heldSpans, text, held);
            }
        }

        public void QueueFull(int capacity)
        {
            if (_queueFull.TryPass(1, out _, out var heldSpans))
            {
                OpsEventSource.Log.QueueFull(Destination, capacity, heldSpans + 1);
                _logger?.LogWarning("Mirascope.Ops: the export queue of {Destination} (capacity {Capacity}) is full; {Dropped} spans were dropped since the last report", Destination, capacity, heldSpans + 1);
            }
        }

        public void Rejected(long rejectedSpans, string? message)
        {
            if (_rejections.TryPass(rejectedSpans, out _, out var heldSpans))
            {
                var text = Redact(message ?? string.Empty);
                OpsEventSource.Log.SpansRejected(Destination, rejectedSpans + heldSpans, text);
                _logger?.LogWarning("Mirascope.Ops: {Destination} rejected {Rejected} spans: {Message}", Destination, rejectedSpans + heldSpans, text);
            }
        }

        public void Retrying(int attempt, TimeSpan delay, string reason)
        {
            OpsEventSource.Log.ExportRetrying(Destination, attempt, (long)delay.TotalMilliseconds, Redact(reason));
        }

        public void FlushIncomplete(TimeSpan timeout, long droppedSpans)
        {
            OpsEventSource.Log.FlushIncomplete(Destination, (long)timeout.TotalMilliseconds, droppedSpans);
            _logger?.LogWarning("Mirascope.Ops: flushing {Destination} did not finish within {Timeout} ms; {Dropped} spans were dropped", Destination, (long)timeout.TotalMilliseconds, droppedSpans);
        }

        public void Unexpected(string operation, Exception exception)
        {
            OpsEventSource.Log.TracingFailed(operation, exception.GetType().FullName ?? "Exception", Redact(exception.Message));
        }

        public string Redact(string text) =>
            _secret is null || text.IndexOf(_secret, StringComparison.Ordinal) < 0 ? text : text.Replace(_secret, "[redacted]");

        /// <summary>Lets one report through per interval and counts what it held back in between.</summary>
        private sealed class RateGate
        {
            private readonly long _intervalTicks;
            private readonly object _lock = new object();
            private long _nextAllowed;
            private long _held;
            private long _heldSpans;

            public RateGate(TimeSpan interval)
            {
                _intervalTicks = (long)(interval.TotalSeconds * Stopwatch.Frequency);
            }

            public bool TryPass(long spans, out long held, out long heldSpans)
            {
                var now = Stopwatch.GetTimestamp();
                held = 0;
                heldSpans = 0;
                // The common case under overload is "too soon": count it without taking the lock.
                if (now < Volatile.Read(ref _nextAllowed))
                {
                    Interlocked.Increment(ref _held);
                    Interlocked.Add(ref _heldSpans, spans);
                    return false;
                }

                lock (_lock)
                {
                    if (now < _nextAllowed)
                    {
                        Interlocked.Increment(ref _held);
                        Interlocked.Add(ref _heldSpans, spans);
                        return false;
                    }

                    held = Interlocked.Exchange(ref _held, 0);
                    heldSpans = Interlocked.Exchange(ref _heldSpans, 0);
                    Volatile.Write(ref _nextAllowed, now + _intervalTicks);
                    return true;
                }
            }
        }
    }
}
