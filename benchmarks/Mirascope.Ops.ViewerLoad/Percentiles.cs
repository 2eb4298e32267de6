using System;
using System.Collections.Generic;
using System.Linq;

namespace Mirascope.Ops.ViewerLoad
{
    /// <summary>Nearest-rank percentiles of measured times, in milliseconds.</summary>
    internal static class Percentiles
    {
        public static double Of(IReadOnlyCollection<double> values, double percent)
        {
            if (values.Count == 0)
            {
                return double.NaN;
            }

            var sorted = values.OrderBy(v => v).ToArray();
            var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
            return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
        }
    }
}
