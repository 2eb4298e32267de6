using System.Numerics;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>
    /// The duration histogram's buckets (<see cref="Rollups"/>): integer-exact, so the bucket a duration falls in and the
    /// bounds of a bucket agree at ingest and at query time. Durations below 128 ns have one bucket each; above, each power
    /// of two is cut in 64 equal parts (a bucket is at most 1/64 of its lower bound wide). Every negative duration (a span
    /// that ended before it started) is bucket -1.
    /// <para>
    /// The histogram only says which bucket holds the percentile's rank; the value itself is then read from the spans in
    /// that bucket (<see cref="FunctionFigures"/>), so percentiles stay exact (nearest rank, as before the rollups).
    /// </para>
    /// </summary>
    internal static class DurationBuckets
    {
        private const int SubBits = 6;
        private const long Sub = 1L << SubBits;

        public static int Of(long durationNs)
        {
            if (durationNs < 0)
            {
                return -1;
            }

            if (durationNs < 2 * Sub)
            {
                return (int)durationNs;
            }

            var shift = 63 - BitOperations.LeadingZeroCount((ulong)durationNs) - SubBits;
            var mantissa = durationNs >> shift;   // in [64, 128)
            return (int)((shift + 1) * Sub + (mantissa - Sub));
        }

        /// <summary>The smallest and the largest duration (inclusive) of the bucket.</summary>
        public static (long Low, long High) Bounds(int bucket)
        {
            if (bucket < 0)
            {
                return (long.MinValue, -1);
            }

            if (bucket < 2 * Sub)
            {
                return (bucket, bucket);
            }

            var shift = (int)(bucket / Sub) - 1;
            var mantissa = bucket % Sub + Sub;
            // The top bucket's end, 128 << 56 = 2^63, wraps to long.MinValue; less one it is long.MaxValue, its true inclusive end.
            return (mantissa << shift, unchecked(((mantissa + 1) << shift) - 1));
        }
    }
}
