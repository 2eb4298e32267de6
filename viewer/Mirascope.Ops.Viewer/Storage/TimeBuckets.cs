using System.Collections.Generic;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>
    /// The dashboard's time buckets (<see cref="Rollups"/>): each span is in one bucket of each level (an hour, a minute, a
    /// second, by its start). A period is covered by whole buckets, coarsest first, and what is left at its two ends (less
    /// than a second each) is read from the spans (<see cref="Cover"/>), so a period's figures are exact for any start and end.
    /// </summary>
    internal static class TimeBuckets
    {
        public static readonly long[] Widths = { 3_600_000_000_000, 60_000_000_000, 1_000_000_000 };

        /// <summary>The start of the bucket of <paramref name="ns"/> at <paramref name="level"/> (floor, also before 1970).</summary>
        public static long Start(long ns, int level)
        {
            var width = Widths[level];
            var start = ns / width * width;
            return start > ns ? start - width : start;
        }

        /// <summary>
        /// The whole buckets in the half-open range [<paramref name="low"/>, <paramref name="high"/>) as ranges of bucket starts
        /// per level (<c>(level, first start, end)</c>, end exclusive), and the parts no whole bucket covers (<c>raw</c>).
        /// </summary>
        public static void Cover(long low, long high, List<(int Level, long From, long To)> buckets, List<(long From, long To)> raw) =>
            Cover(low, high, 0, buckets, raw);

        private static void Cover(long low, long high, int level, List<(int Level, long From, long To)> buckets, List<(long From, long To)> raw)
        {
            if (low >= high)
            {
                return;
            }

            if (level == Widths.Length)
            {
                raw.Add((low, high));
                return;
            }

            var width = Widths[level];
            var first = Start(low, level) == low ? low : Start(low, level) + width;
            var last = Start(high, level);
            if (first >= last)
            {
                Cover(low, high, level + 1, buckets, raw);
                return;
            }

            Cover(low, first, level + 1, buckets, raw);
            buckets.Add((level, first, last));
            Cover(last, high, level + 1, buckets, raw);
        }
    }
}
