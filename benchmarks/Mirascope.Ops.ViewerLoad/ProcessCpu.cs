using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Mirascope.Ops.ViewerLoad
{
    /// <summary>
    /// CPU time from /proc (Linux): what a process, or a process and all it reaped and still runs (a PostgreSQL server),
    /// has used. The machine these runs share is busy with other work, so spans per second says as much about the others
    /// as about the viewer; CPU time per span is the figure that compares runs.
    /// </summary>
    internal static class ProcessCpu
    {
        private static readonly double TickSeconds = 1.0 / 100;   // USER_HZ: 100 on Linux

        /// <summary>User + system CPU of the process (0 when it cannot be read).</summary>
        public static TimeSpan Of(int pid) => Ticks(pid, children: false);

        /// <summary>User + system CPU of a server: itself, the children it reaped, and its live children.</summary>
        public static TimeSpan OfServer(int pid)
        {
            var total = Ticks(pid, children: true);
            foreach (var child in Children(pid))
            {
                total += Ticks(child, children: false);
            }

            return total;
        }

        /// <summary>The 1-minute load average (-1 when unknown).</summary>
        public static double LoadAverage()
        {
            try
            {
                return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
            {
                return -1;
            }
        }

        private static TimeSpan Ticks(int pid, bool children)
        {
            var fields = Stat(pid);
            if (fields is null)
            {
                return TimeSpan.Zero;
            }

            // After the ") " that ends the command name: field 3 is index 0, so utime (14) is 11, stime 12, cutime 13, cstime 14.
            long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            if (children)
            {
                ticks += long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
            }

            return TimeSpan.FromSeconds(ticks * TickSeconds);
        }

        private static string[]? Stat(int pid)
        {
            try
            {
                var text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
                return text.Substring(text.LastIndexOf(')') + 2).Split(' ');
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }

        private static IEnumerable<int> Children(int pid)
        {
            var parent = pid.ToString(CultureInfo.InvariantCulture);
            foreach (var folder in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var candidate)
                    && Stat(candidate) is { } fields && fields[1] == parent)
                {
                    yield return candidate;
                }
            }
        }
    }
}
