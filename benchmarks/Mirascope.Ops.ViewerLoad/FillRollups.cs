using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Mirascope.Ops.Viewer.Storage;

namespace Mirascope.Ops.ViewerLoad
{
    /// <summary>
    /// The rollup rows of a doubling round's copies, from the rollups of the traces copied (<see cref="BulkFill"/>), without
    /// reading a span: the copies are their originals moved back by a whole number of hours under ids in the same shard.
    /// <para>
    /// Why that is exact. The rollup tables are sums over traces of <see cref="TraceRollup.Of"/>, which keys each row by
    /// (a) the trace's environment, (b) the shard of its id, (c) for the dashboard's tables (<c>span_buckets</c>,
    /// <c>span_bucket_durations</c>, <c>span_bucket_usage</c>, <c>span_bucket_functions</c>: key part 0 the level, part 1
    /// the bucket's start) the time bucket of a span's or the trace's first start, and otherwise by what the copy keeps as is
    /// (names, version hashes, usage, durations, the trace's length: differences of times). A copy keeps (a); keeps (b)
    /// (<see cref="FillTraceIds"/>); and for (c), with <c>S</c> a whole multiple of every level's width
    /// (<see cref="TimeBuckets.Widths"/>: an hour is), <c>TimeBuckets.Start(t - S, level) = TimeBuckets.Start(t, level) - S</c>
    /// (<c>floor((t - S) / w) = floor(t / w) - S / w</c>). So a copy's rows are its original's with the bucket starts moved
    /// by <c>S</c>, and, the rows being sums, the copies' rows of a whole set of traces are the set's rows so moved.
    /// <c>BulkFillTests</c> holds this against ingest, and fails when the buckets are not moved.
    /// </para>
    /// </summary>
    internal static class FillRollups
    {
        /// <summary>The dashboard's tables, whose key part 1 is a bucket start (the indexes of <see cref="Rollups.Tables"/>).</summary>
        private static readonly int[] TimeKeyed = { Rollups.SpanBuckets, Rollups.SpanBucketDurations, Rollups.SpanBucketUsage, Rollups.SpanBucketFunctions };

        /// <summary>Their names, in the same order.</summary>
        public static readonly string[] TimeKeyedTables = { "span_buckets", "span_bucket_durations", "span_bucket_usage", "span_bucket_functions" };

        /// <summary>
        /// Takes the dashboard's rows out of <paramref name="rollup"/> (when the fill moves them in the database instead:
        /// they grow with the number of distinct seconds the traces start in, millions at 10 M spans, one upsert each here).
        /// </summary>
        public static void WithoutTimeKeyed(TraceRollup rollup)
        {
            foreach (var t in TimeKeyed)
            {
                rollup.Rows[t].Clear();
            }
        }

        /// <summary>
        /// The rows of <paramref name="rollup"/> with every bucket start <paramref name="shiftNs"/> earlier (or, with
        /// <paramref name="moveBuckets"/> off, left where they are: the wrong copy a test must catch).
        /// </summary>
        public static TraceRollup MovedBack(TraceRollup rollup, long shiftNs, bool moveBuckets = true)
        {
            if (shiftNs % TimeBuckets.Widths[0] != 0)
            {
                throw new ArgumentException($"a shift of {shiftNs} ns is not a whole number of the widest bucket", nameof(shiftNs));
            }

            var moved = new TraceRollup();
            for (var t = 0; t < rollup.Rows.Length; t++)
            {
                var timeKeyed = moveBuckets && Array.IndexOf(TimeKeyed, t) >= 0;
                foreach (var (text, (key, values)) in rollup.Rows[t])
                {
                    if (!timeKeyed)
                    {
                        moved.Rows[t][text] = (key, (long[])values.Clone());
                        continue;
                    }

                    var movedKey = (object[])key.Clone();
                    movedKey[1] = Convert.ToInt64(key[1], CultureInfo.InvariantCulture) - shiftNs;
                    moved.Rows[t][KeyText(movedKey)] = (movedKey, (long[])values.Clone());
                }
            }

            return moved;
        }

        /// <summary>
        /// A row's key as text, length-prefixed parts, the form <see cref="TraceRollup"/> gives its own rows, so a moved row
        /// merges with a stored one of the same key (the writes are upserts that add, so the form decides only how many).
        /// </summary>
        private static string KeyText(IEnumerable<object> key)
        {
            var text = new StringBuilder();
            foreach (var part in key)
            {
                var value = Convert.ToString(part, CultureInfo.InvariantCulture) ?? string.Empty;
                text.Append(value.Length).Append(':').Append(value);
            }

            return text.ToString();
        }
    }
}
