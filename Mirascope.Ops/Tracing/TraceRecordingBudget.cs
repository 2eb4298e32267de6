using System;
using System.Diagnostics;
using System.Threading;

namespace Mirascope.Ops.Tracing
{
    /// <summary>
    /// What one trace may spend on recording values, in this process, in time. Each recorded call is charged the time
    /// its recording took (arguments and output, measured with <see cref="Stopwatch"/>), at most
    /// <see cref="MaxChargeTicks"/>: 2 µs plus 16 ns per recorded UTF-8 byte, so that a pause of the process during one
    /// recording (a garbage collection, a preemption) does not spend the trace's budget. A call records while the
    /// trace's charges are below its allowance: <c>TraceBudget</c> (1 ms) plus <c>TraceBudgetPercent</c> (5%) of the
    /// time since the trace's first span in this process. Calls that take a millisecond or more (model calls, tool
    /// calls, evaluations) earn 50 µs each, far more than recording their values costs, so they all record; code that
    /// makes millions of nanosecond calls records its first calls (1 ms of recording), then as many calls as keep
    /// recording near 5% of the trace's time.
    /// </summary>
    /// <remarks>
    /// Lock-free: the decision is one read of the charges; a recorded call adds its charge with one
    /// <see cref="Interlocked.Add(ref long, long)"/>. Concurrent calls of one trace can each pass the check before any of
    /// them is charged, so the charges can exceed the allowance by at most what those in-flight calls are charged
    /// (each at most <see cref="MaxChargeTicks"/>). A new trace starts with nothing charged, so its first calls always
    /// record, whatever other traces do on the same methods.
    /// </remarks>
    internal sealed class TraceRecordingBudget
    {
        /// <summary>The most a recorded call is charged with no values, in ticks of 100 ns: 2 µs.</summary>
        public const long BaseChargeTicks = 20;

        /// <summary>What each recorded UTF-8 byte adds to the most a call is charged: 16 ns.</summary>
        public const double ChargeTicksPerByte = 0.16;

        private static readonly double TicksPerTimestamp = (double)TimeSpan.TicksPerSecond / Stopwatch.Frequency;

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

        /// <summary>Recording time charged so far, in ticks of 100 ns.</summary>
        public long Charged => Volatile.Read(ref _charged);

        public int RecordedCalls => Volatile.Read(ref _recordedCalls);

        public int SkippedCalls => Volatile.Read(ref _skippedCalls);

        internal long LastUsedTicks => Volatile.Read(ref _lastUsedTicks);

        /// <summary>The most a call that recorded <paramref name="bytes"/> UTF-8 bytes is charged, in ticks of 100 ns.</summary>
        public static long MaxChargeTicks(long bytes) => BaseChargeTicks + (long)(bytes * ChargeTicksPerByte);

        /// <summary>The allowance at <paramref name="nowTicks"/>, in ticks of 100 ns.</summary>
        public long Allowance(RecordingSettings settings, long nowTicks)
        {
            var elapsed = Math.Max(0, nowTicks - FirstSeenTicks);
            return settings.TraceBudgetTicks + (elapsed / 100 * settings.TraceBudgetPercent);
        }

        /// <summary>
        /// Whether a call of <paramref name="method"/> that starts at <paramref name="nowTicks"/> records its values; if
        /// so, its recording is charged when it is done (<see cref="Charge"/>).
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
            return SkipReason.None;
        }

        /// <summary>
        /// Charges a recording that started at <paramref name="startTimestamp"/> (<see cref="Stopwatch.GetTimestamp"/>)
        /// and wrote <paramref name="bytes"/>.
        /// </summary>
        public void Charge(long startTimestamp, long bytes)
        {
            var took = (long)((Stopwatch.GetTimestamp() - startTimestamp) * TicksPerTimestamp);
            Interlocked.Add(ref _charged, Math.Max(0, Math.Min(took, MaxChargeTicks(bytes))));
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
