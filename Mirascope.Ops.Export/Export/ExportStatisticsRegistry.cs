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
        private static readonly List<(string Destination, Cloud.CloudRequestCounts Counts)> LiveRequests = new List<(string, Cloud.CloudRequestCounts)>();
        private static readonly Dictionary<string, (Cloud.CloudRequestKindCounts Annotations, Cloud.CloudRequestKindCounts Registrations)> RetiredRequests =
            new Dictionary<string, (Cloud.CloudRequestKindCounts, Cloud.CloudRequestKindCounts)>(StringComparer.Ordinal);

        /// <summary>A Cloud receiver's registrations and annotations, shown under its destination.</summary>
        public static void Register(string destination, Cloud.CloudRequestCounts counts)
        {
            lock (Gate)
            {
                LiveRequests.Add((destination, counts));
            }
        }

        /// <summary>Keeps a stopped receiver's final request counts under its destination.</summary>
        public static void Retire(string destination, Cloud.CloudRequestCounts counts)
        {
            lock (Gate)
            {
                if (LiveRequests.Remove((destination, counts)))
                {
                    var total = RequestTotals(RetiredRequests, destination);
                    total.Annotations.AddFrom(counts.Annotations);
                    total.Registrations.AddFrom(counts.Registrations);
                }
            }
        }

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
            var requests = new Dictionary<string, (Cloud.CloudRequestKindCounts Annotations, Cloud.CloudRequestKindCounts Registrations)>(StringComparer.Ordinal);
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

                foreach (var pair in RetiredRequests)
                {
                    var total = RequestTotals(requests, pair.Key);
                    total.Annotations.AddFrom(pair.Value.Annotations);
                    total.Registrations.AddFrom(pair.Value.Registrations);
                }

                foreach (var (destination, counts) in LiveRequests)
                {
                    var total = RequestTotals(requests, destination);
                    total.Annotations.AddFrom(counts.Annotations);
                    total.Registrations.AddFrom(counts.Registrations);
                    if (!merged.ContainsKey(destination))
                    {
                        merged[destination] = new ExportStatistics(destination);
                    }
                }
            }

            var destinations = new List<OpsExportStatistics>(merged.Count);
            foreach (var pair in merged)
            {
                var sent = requests.TryGetValue(pair.Key, out var found) ? found : (Annotations: new Cloud.CloudRequestKindCounts(), Registrations: new Cloud.CloudRequestKindCounts());
                destinations.Add(OpsExportStatistics.Of(pair.Value, OpsRequestStatistics.Of(sent.Annotations), OpsRequestStatistics.Of(sent.Registrations)));
            }

            destinations.Sort((a, b) => string.CompareOrdinal(a.Destination, b.Destination));
            return OpsExportStatistics.Total(destinations.AsReadOnly());
        }

        private static (Cloud.CloudRequestKindCounts Annotations, Cloud.CloudRequestKindCounts Registrations) RequestTotals(
            Dictionary<string, (Cloud.CloudRequestKindCounts Annotations, Cloud.CloudRequestKindCounts Registrations)> totals, string destination)
        {
            if (!totals.TryGetValue(destination, out var total))
            {
                totals[destination] = total = (new Cloud.CloudRequestKindCounts(), new Cloud.CloudRequestKindCounts());
            }

            return total;
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
