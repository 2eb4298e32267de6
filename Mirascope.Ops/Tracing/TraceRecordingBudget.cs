using System;
using System.Threading;

namespace Mirascope.Ops.Tracing
{
    /// <summary>
    /// What one trace may spend on recording values, in this process. Recording costs in proportion to what it writes
    /// (about 1–4 ns per byte on object graphs, less on plain text), so each recorded call is charged
    /// <see cref="CallCharge"/> bytes plus the UTF-8 size of its arguments and output. A call records while the trace's
    /// charges are below its allowance: <c>TraceBudgetBytes</c> (64 KiB) plus <c>TraceBudgetBytesPerMillisecond</c>
    /// (32 KiB) per millisecond since the trace's first span in this process. Calls that take a millisecond or more (model
    /// calls, tool calls, evaluations) earn far more than they spend and all record; code that makes millions of
    /// nanosecond calls records its first calls, then a share of calls that keeps recording near a tenth of the
    /// trace's own time.
    /// </summary>
    /// <remarks>
    /// Lock-free: the decision is one read of the charges; a recorded call adds its charge with one
    /// <see cref="Interlocked.Add(ref long, long)"/>. Concurrent calls of one trace can each pass the check before any of
    /// them is charged, so the charges can exceed the allowance by at most what those in-flight calls record (each at
    /// most <see cref="CallCharge"/> plus two <c>MaxAttributeLength</c>). A new trace starts with nothing charged, so
    /// its first calls always record, whatever other traces do on the same methods.
    /// </remarks>
    internal sealed class TraceRecordingBudget
    {
        /// <summary>The charge of a recorded call before its values: the span's own recording bookkeeping.</summary>
        public const long CallCharge = 64;

        private long _charged;
        private int _recordedCalls;
        private int _skippedCalls;
        private long _lastUsedTicks;

        // Per-method counts, for the optional MaxRecordedCallsPerTrace cap only: an immutable map swapped whole.
        private MethodCounts? _methodCounts;

        public TraceRecordingBudget(string traceId, long firstSeenTicks)
        {
            TraceId = traceId;
            FirstSeenTicks = firstSeenTicks;
            _lastUsedTicks = firstSeenTicks;
        }

        public string TraceId { get; }

        /// <summary>When this process first saw the trace (<c>DateTime.UtcNow</c> ticks of its first span's start).</summary>
        public long FirstSeenTicks { get; }

        /// <summary>Bytes charged so far.</summary>
        public long Charged => Volatile.Read(ref _charged);

        public int RecordedCalls => Volatile.Read(ref _recordedCalls);

        public int SkippedCalls => Volatile.Read(ref _skippedCalls);

        internal long LastUsedTicks => Volatile.Read(ref _lastUsedTicks);

        /// <summary>The allowance at <paramref name="nowTicks"/>.</summary>
        public long Allowance(RecordingSettings settings, long nowTicks)
        {
            var elapsed = Math.Max(0, nowTicks - FirstSeenTicks);
            var rate = settings.TraceBudgetBytesPerMillisecond;
            // Ticks are 100 ns; the product stays far below long.MaxValue for any trace shorter than centuries.
            return settings.TraceBudgetBytes + (rate == 0 ? 0 : elapsed * rate / TimeSpan.TicksPerMillisecond);
        }

        /// <summary>
        /// Whether a call of <paramref name="method"/> that starts at <paramref name="nowTicks"/> records its values;
        /// if so, it is charged <see cref="CallCharge"/> now and its values when written (<see cref="Charge"/>).
        /// </summary>
        public SkipReason Take(RecordingSettings settings, object method, long nowTicks)
        {
            if (nowTicks - Volatile.Read(ref _lastUsedTicks) > TimeSpan.TicksPerSecond)
            {
                Volatile.Write(ref _lastUsedTicks, nowTicks);
            }

            if (Volatile.Read(ref _charged) >= Allowance(settings, nowTicks))
            {
                Interlocked.Increment(ref _skippedCalls);
                return SkipReason.TraceBudget;
            }

            var cap = settings.MaxRecordedCallsPerTrace;
            if (cap != int.MaxValue && !TakeMethodCall(method, cap))
            {
                Interlocked.Increment(ref _skippedCalls);
                return SkipReason.CallsPerTrace;
            }

            Interlocked.Increment(ref _recordedCalls);
            Interlocked.Add(ref _charged, CallCharge);
            return SkipReason.None;
        }

        /// <summary>Charges <paramref name="bytes"/> of recorded values.</summary>
        public void Charge(long bytes)
        {
            if (bytes > 0)
            {
                Interlocked.Add(ref _charged, bytes);
            }
        }

        private bool TakeMethodCall(object method, int cap)
        {
            while (true)
            {
                var counts = Volatile.Read(ref _methodCounts);
                var taken = counts?.Of(method) ?? 0;
                if (taken >= cap)
                {
                    return false;
                }

                // Drop the entry this one replaces so the list holds one entry per method.
                var next = new MethodCounts(method, taken + 1, counts?.Without(method));
                if (ReferenceEquals(Interlocked.CompareExchange(ref _methodCounts, next, counts), counts))
                {
                    return true;
                }
            }
        }

        /// <summary>An immutable list of (method, count); the newest entry of a method shadows its older ones.</summary>
        private sealed class MethodCounts
        {
            private readonly object _method;
            private readonly int _count;
            private readonly MethodCounts? _next;

            public MethodCounts(object method, int count, MethodCounts? next)
            {
                _method = method;
                _count = count;
                _next = next;
            }

            public int Of(object method)
            {
                for (var c = this; c is not null; c = c._next)
                {
                    if (ReferenceEquals(c._method, method))
                    {
                        return c._count;
                    }
                }

                return 0;
            }

            public MethodCounts? Without(object method)
            {
                if (ReferenceEquals(_method, method))
                {
                    return _next;
                }

                var rest = _next?.Without(method);
                return ReferenceEquals(rest, _next) ? this : new MethodCounts(_method, _count, rest);
            }
        }
    }

    /// <summary>Why a call's values were not recorded.</summary>
    internal enum SkipReason
    {
        /// <summary>Recorded.</summary>
        None,

        /// <summary>The trace's recording budget was spent.</summary>
        TraceBudget,

        /// <summary>The method's <c>MaxRecordedCallsPerTrace</c> calls in this trace had recorded.</summary>
        CallsPerTrace,

        /// <summary>Values are switched off for the method (<c>[Trace(RecordValues = false)]</c>).</summary>
        Disabled,
    }
}
