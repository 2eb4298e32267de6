using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace Mirascope.Ops.Tracing
{
    /// <summary>
    /// The recording budget of each trace this process is recording in, by trace id. Reads are lock-free (a
    /// <see cref="ConcurrentDictionary{TKey, TValue}"/> lookup); a trace's first span adds its entry. The table keeps
    /// at most <see cref="Capacity"/> traces: past that, a new trace first drops the entries unused for
    /// <see cref="IdleTicks"/>, then, if that is not enough, the least recently used half. A trace dropped while still
    /// running starts a new budget at its next span (one more initial allowance, no more).
    /// </summary>
    internal static class TraceRecordingBudgets
    {
        /// <summary>How many traces' budgets are kept at once.</summary>
        public const int Capacity = 4096;

        /// <summary>An entry unused this long (10 s) may be dropped when the table is full.</summary>
        public const long IdleTicks = 10 * TimeSpan.TicksPerSecond;

        private static readonly ConcurrentDictionary<string, TraceRecordingBudget> Budgets =
            new ConcurrentDictionary<string, TraceRecordingBudget>(TraceIdComparer.Instance);

        private static int _count;
        private static int _sweeping;

        /// <summary>The budget of the trace <paramref name="trace"/> (its id), created at <paramref name="nowTicks"/> if new.</summary>
        public static TraceRecordingBudget For(string trace, long nowTicks)
        {
            if (Budgets.TryGetValue(trace, out var budget))
            {
                return budget;
            }

            return Add(trace, nowTicks);
        }

        /// <summary>The budget of <paramref name="activity"/>'s trace if it has one.</summary>
        public static TraceRecordingBudget? Find(Activity activity) =>
            Budgets.TryGetValue(activity.TraceId.ToHexString(), out var budget) ? budget : null;

        /// <summary>
        /// Charges a recording that started at <paramref name="startTimestamp"/> and wrote <paramref name="bytes"/> to
        /// <paramref name="activity"/>'s trace.
        /// </summary>
        public static void Charge(Activity activity, long startTimestamp, long bytes)
        {
            if (!RecordingSettings.Current.RecordsEveryCall)
            {
                Find(activity)?.Charge(startTimestamp, bytes);
            }
        }

        /// <summary>Forgets every trace (tests).</summary>
        internal static void Clear()
        {
            Budgets.Clear();
            Volatile.Write(ref _count, 0);
        }

        private static TraceRecordingBudget Add(string trace, long nowTicks)
        {
            var created = new TraceRecordingBudget(trace, nowTicks);
            var budget = Budgets.GetOrAdd(trace, created);
            if (ReferenceEquals(budget, created) && Interlocked.Increment(ref _count) > Capacity)
            {
                Sweep(nowTicks);
            }

            return budget;
        }

        private static void Sweep(long nowTicks)
        {
            if (Interlocked.Exchange(ref _sweeping, 1) == 1)
            {
                return;
            }

            try
            {
                var entries = Budgets.ToArray();
                var removed = 0;
                foreach (var entry in entries)
                {
                    if (nowTicks - entry.Value.LastUsedTicks > IdleTicks && Budgets.TryRemove(entry.Key, out _))
                    {
                        removed++;
                    }
                }

                if (entries.Length - removed > Capacity / 2)
                {
                    // Busy: more live traces than the table holds. Keep the more recently used half.
                    Array.Sort(entries, (a, b) => b.Value.LastUsedTicks.CompareTo(a.Value.LastUsedTicks));
                    for (var i = Capacity / 2; i < entries.Length; i++)
                    {
                        if (Budgets.TryRemove(entries[i].Key, out _))
                        {
                            removed++;
                        }
                    }
                }

                Interlocked.Add(ref _count, -removed);
            }
            finally
            {
                Volatile.Write(ref _sweeping, 0);
            }
        }

        /// <summary>Trace ids are random: their first 16 hex digits make a good hash without reading all 32.</summary>
        private sealed class TraceIdComparer : IEqualityComparer<string>
        {
            public static readonly TraceIdComparer Instance = new TraceIdComparer();

            public bool Equals(string? x, string? y) => ReferenceEquals(x, y) || string.Equals(x, y, StringComparison.Ordinal);

            public int GetHashCode(string id)
            {
                var hash = 17;
                var length = Math.Min(id.Length, 16);
                for (var i = 0; i < length; i++)
                {
                    hash = (hash * 31) + id[i];
                }

                return hash;
            }
        }
    }
}
