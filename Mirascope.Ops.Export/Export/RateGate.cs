using System;
using System.Diagnostics;
using System.Threading;

namespace Mirascope.Ops.Export
{
    /// <summary>
    /// Lets one report of a kind through per interval and holds back the rest, counting them (reports and spans) and
    /// keeping the latest one's text, so that a later report — the next one let through, or the held ones taken by
    /// <see cref="TryTakeHeld"/> — carries exactly what was held back. Nothing counted is ever lost.
    /// </summary>
    internal sealed class RateGate
    {
        private readonly long _intervalTicks;
        private readonly object _lock = new object();
        private long _nextAllowed;
        private long _heldReports;
        private long _heldSpans;
        private string? _lastHeldDetail;

        public RateGate(TimeSpan interval)
        {
            _intervalTicks = (long)(interval.TotalSeconds * Stopwatch.Frequency);
        }

        /// <summary>
        /// Whether a report of <paramref name="spans"/> spans may go out now. When it may, <paramref name="heldReports"/>
        /// and <paramref name="heldSpans"/> are what was held back since the last report (to be added to it); when it
        /// may not, it is held.
        /// </summary>
        public bool TryPass(long spans, string? detail, out long heldReports, out long heldSpans)
        {
            var now = Stopwatch.GetTimestamp();
            heldReports = 0;
            heldSpans = 0;
            // The common case under overload is "too soon": count it without taking the lock (and without allocating).
            if (now < Volatile.Read(ref _nextAllowed))
            {
                Hold(spans, detail);
                return false;
            }

            lock (_lock)
            {
                if (now < _nextAllowed)
                {
                    Hold(spans, detail);
                    return false;
                }

                heldReports = Interlocked.Exchange(ref _heldReports, 0);
                heldSpans = Interlocked.Exchange(ref _heldSpans, 0);
                Volatile.Write(ref _nextAllowed, now + _intervalTicks);
                return true;
            }
        }

        /// <summary>
        /// Takes what was held back, if anything was and the interval has passed (or <paramref name="force"/>, at
        /// shutdown), so held reports come out without waiting for another failure.
        /// </summary>
        public bool TryTakeHeld(bool force, out long reports, out long spans, out string? lastDetail)
        {
            reports = 0;
            spans = 0;
            lastDetail = null;
            if (Interlocked.Read(ref _heldReports) == 0 && Interlocked.Read(ref _heldSpans) == 0)
            {
                return false;
            }

            var now = Stopwatch.GetTimestamp();
            lock (_lock)
            {
                if (!force && now < _nextAllowed)
                {
                    return false;
                }

                reports = Interlocked.Exchange(ref _heldReports, 0);
                spans = Interlocked.Exchange(ref _heldSpans, 0);
                lastDetail = Volatile.Read(ref _lastHeldDetail);
                if (reports == 0 && spans == 0)
                {
                    return false;
                }

                Volatile.Write(ref _nextAllowed, now + _intervalTicks);
                return true;
            }
        }

        private void Hold(long spans, string? detail)
        {
            if (detail is not null)
            {
                Volatile.Write(ref _lastHeldDetail, detail);
            }

            Interlocked.Add(ref _heldSpans, spans);
            Interlocked.Increment(ref _heldReports);
        }
    }
}
