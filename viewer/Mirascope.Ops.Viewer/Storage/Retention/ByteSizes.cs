using System;
using System.Globalization;

namespace Mirascope.Ops.Viewer.Storage.Retention
{
    /// <summary>Reads and writes sizes as people type them: <c>500MB</c>, <c>2GB</c>, <c>1.5 GB</c>, <c>1048576</c> (bytes); units of 1024.</summary>
    internal static class ByteSizes
    {
        private static readonly (string Unit, long Factor)[] Units =
        {
            ("PB", 1L << 50), ("TB", 1L << 40), ("GB", 1L << 30), ("MB", 1L << 20), ("KB", 1L << 10), ("B", 1),
        };

        /// <summary>A size from 0 to <see cref="RetentionPolicy.LargestBytes"/>; false for anything else.</summary>
        public static bool TryParse(string? text, out long bytes)
        {
            bytes = 0;
            var value = text?.Trim() ?? string.Empty;
            long factor = 1;
            foreach (var (unit, unitFactor) in Units)
            {
                if (value.EndsWith(unit, StringComparison.OrdinalIgnoreCase))
                {
                    value = value.Substring(0, value.Length - unit.Length).TrimEnd();
                    factor = unitFactor;
                    break;
                }
            }

            if (value.Length == 0 || !double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            var total = number * factor;
            if (total > RetentionPolicy.LargestBytes)
            {
                return false;
            }

            bytes = (long)total;
            return true;
        }

        /// <summary>The size in the largest unit that shows it in at most two decimals (<c>1 GB</c>, <c>512 MB</c>).</summary>
        public static string Format(long bytes)
        {
            foreach (var (unit, factor) in Units)
            {
                if (bytes >= factor)
                {
                    return (bytes / (double)factor).ToString("0.##", CultureInfo.InvariantCulture) + " " + unit;
                }
            }

            return "0 B";
        }
    }
}
