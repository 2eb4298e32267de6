using System.Collections.Generic;
using System.Globalization;

namespace Mirascope.Ops.Export
{
    /// <summary>
    /// The stderr line at an exporter's shutdown when it lost spans: how many of how many, by reason, and the last
    /// cause, e.g. <c>Mirascope.Ops: 19,873 of 20,004 spans for OTLP (…) not delivered: 17,956 queue full, 1,917 at
    /// shutdown. Last failure: …</c>. Its numbers are the exporter's <see cref="ExportStatistics"/>.
    /// </summary>
    internal static class ExitSummary
    {
        public static string Line(ExportStatistics statistics, string? lastFailure, bool answered)
        {
            var pending = statistics.Pending;
            var lost = statistics.Dropped + pending;
            var given = statistics.Exported + statistics.Dropped + pending;
            var reasons = new List<string>();
            Add(reasons, statistics.DroppedQueueFull, "queue full");
            Add(reasons, statistics.DroppedRejected, "rejected by the receiver");
            Add(reasons, statistics.DroppedRetriesExhausted, "retries exhausted");
            Add(reasons, statistics.DroppedAtShutdown, "at shutdown");
            Add(reasons, statistics.DroppedExportError, "export error");
            Add(reasons, statistics.DroppedTooLarge, "too large");
            Add(reasons, pending, "still pending at exit");
            var line = "Mirascope.Ops: " + Number(lost) + " of " + Number(given) + " spans for " + statistics.Destination + " not delivered: "
                + string.Join(", ", reasons) + ".";
            if (!answered && statistics.Requests > 0)
            {
                line += statistics.Requests == 1
                    ? " The receiver never answered its one request."
                    : " The receiver never answered any of " + Number(statistics.Requests) + " requests.";
            }

            if (lastFailure is not null)
            {
                line += " Last failure: " + StderrDropWarning.OneLine(lastFailure) + ".";
            }

            return line + " OpsExport.Statistics has the same counts.";
        }

        private static void Add(List<string> reasons, long count, string reason)
        {
            if (count > 0)
            {
                reasons.Add(Number(count) + " " + reason);
            }
        }

        private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
    }
}
