using System;
using System.Collections.Generic;

namespace Mirascope.Ops.Export
{
    /// <summary>
    /// The process-wide figures behind <c>OpsExport.Statistics</c>: the live counters of every running exporter, plus
    /// the totals of the ones already shut down, merged by destination name (so reconfiguring many times keeps one
    /// entry per destination, not one per exporter ever built).
    /// </summary>
    internal static class ExportStatisticsRegistry
    {
        private static readonly object Gate = new object();
        private static readonly List<ExportStatistics> Live = new List<ExportStatistics>();
        private static readonly Dictionary<string, ExportStatistics> Retired = new Dictionary<string, ExportStatistics>(StringComparer.Ordinal);

        public static void Register(ExportStatistics statistics)
        {
            lock (Gate)
            {
                Live.Add(statistics);
            }
        }

        /// <summary>Keeps a stopped exporter's final counts (under its destination) and forgets the exporter.</summary>
        public static void Retire(ExportStatistics statistics)
        {
            lock (Gate)
            {
                if (!Live.Remove(statistics))
                {
                    return;
                }

                if (!Retired.TryGetValue(statistics.Destination, out var total))
                {
                    Retired[statistics.Destination] = total = new ExportStatistics(statistics.Destination);
                }

                total.AddFrom(statistics);
            }
        }

        public static OpsExportStatistics Snapshot()
        {
            var merged = new Dictionary<string, ExportStatistics>(StringComparer.Ordinal);
            lock (Gate)
            {
                foreach (var pair in Retired)
                {
                    Merge(merged, pair.Value);
                }

                foreach (var statistics in Live)
                {
                    Merge(merged, statistics);
                }
            }

            var destinations = new List<OpsExportStatistics>(merged.Count);
            foreach (var pair in merged)
            {
                destinations.Add(OpsExportStatistics.Of(pair.Value));
            }

            destinations.Sort((a, b) => string.CompareOrdinal(a.Destination, b.Destination));
            return OpsExportStatistics.Total(destinations.AsReadOnly());
        }

        private static void Merge(Dictionary<string, ExportStatistics> merged, ExportStatistics statistics)
        {
            if (!merged.TryGetValue(statistics.Destination, out var total))
            {
                merged[statistics.Destination] = total = new ExportStatistics(statistics.Destination);
            }

            total.AddFrom(statistics);
        }
    }
}
