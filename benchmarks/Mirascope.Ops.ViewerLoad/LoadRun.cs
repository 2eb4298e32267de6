using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;

namespace Mirascope.Ops.ViewerLoad
{
    /// <summary>Everything one run measured.</summary>
    internal sealed record LoadResult(IngestReport Ingest, IReadOnlyList<QueryReport> Queries, long? StoredSpans, TimeSpan? StopTime);

    /// <summary>One run: the viewers (given or started), the ingest load, the stored count, the queries, the stop; and its report.</summary>
    internal static class LoadRun
    {
        public static async Task<LoadResult> RunAsync(LoadOptions options, TextWriter output)
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
            ViewerLauncher? launched = null;
            var viewers = options.Viewers.ToList();
            try
            {
                if (options.StartViewer)
                {
                    var args = options.ViewerArgs.ToList();
                    if (!args.Contains("--data") && !args.Contains("--store") && !args.Any(a => a.StartsWith("--data=", StringComparison.Ordinal) || a.StartsWith("--store=", StringComparison.Ordinal)))
                    {
                        // Never the user's own span file: a fresh one in the temporary folder.
                        var data = Path.Combine(Path.GetTempPath(), "mirascope-viewer-load", Guid.NewGuid().ToString("N"), "spans.db");
                        args.AddRange(new[] { "--data", data });
                        output.WriteLine($"store: {data}");
                    }

                    // Retention would delete what the run measures: off unless asked for.
                    if (!args.Any(a => a.StartsWith("--max-traces", StringComparison.Ordinal)))
                    {
                        args.AddRange(new[] { "--max-traces", "0" });
                    }

                    if (!args.Any(a => a.StartsWith("--max-age-days", StringComparison.Ordinal)))
                    {
                        args.AddRange(new[] { "--max-age-days", "0" });
                    }

                    var (viewer, address) = await ViewerLauncher.StartAsync(options.ViewerDll ?? ViewerLauncher.FindViewerDll(), args).ConfigureAwait(false);
                    launched = viewer;
                    viewers.Add(address);
                    output.WriteLine($"viewer started at {address} with: {string.Join(' ', args)}");
                }

                var before = await StoredSpansAsync(http, viewers[0], options).ConfigureAwait(false);
                output.WriteLine($"ingest: {options.Exporters} exporters x {(options.RatePerExporter > 0 ? options.RatePerExporter.ToString(CultureInfo.InvariantCulture) + " spans/s" : "as fast as acknowledged")}, "
                    + $"{options.BatchSize} spans per request, up to {options.MaxSpans:N0} spans or {options.MaxDuration.TotalSeconds:0} s, into {string.Join(", ", viewers)}");
                var ingest = await IngestLoad.RunAsync(options, viewers, http).ConfigureAwait(false);
                var after = await StoredSpansAsync(http, viewers[0], options).ConfigureAwait(false);
                WriteIngest(output, ingest, before, after);

                var queries = new List<QueryReport>();
                if (options.QueryRuns > 0)
                {
                    output.WriteLine($"queries at {after?.ToString("N0", CultureInfo.InvariantCulture) ?? "?"} stored spans, {options.QueryRuns} runs each after one warm-up run:");
                    queries = await QueryLoad.RunAsync(options, viewers[0], http, ingest.SampleTraceIds).ConfigureAwait(false);
                    WriteQueries(output, queries);
                }

                TimeSpan? stop = null;
                if (launched is not null)
                {
                    stop = await launched.StopAsync().ConfigureAwait(false);
                    output.WriteLine(stop is { } s ? $"viewer stopped {s.TotalSeconds:0.0} s after SIGTERM" : "viewer did not stop within a minute of SIGTERM (killed)");
                }

                return new LoadResult(ingest, queries, after - before, stop);
            }
            finally
            {
                launched?.Dispose();
            }
        }

        private static async Task<long?> StoredSpansAsync(HttpClient http, Uri viewer, LoadOptions options)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(viewer, "api/status"));
            if (options.ApiKey is not null)
            {
                request.Headers.Add("X-API-Key", options.ApiKey);
            }

            using var response = await http.SendAsync(request).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync().ConfigureAwait(false));
            return document.RootElement.TryGetProperty("spans", out var spans) ? spans.GetInt64() : null;
        }

        private static void WriteIngest(TextWriter output, IngestReport ingest, long? before, long? after)
        {
            output.WriteLine($"  acknowledged {ingest.AckedSpans:N0} spans in {ingest.Elapsed.TotalSeconds:0.0} s: {ingest.SpansPerSecond:N0} spans/s sustained");
            output.WriteLine($"  ack latency per request: p50 {Percentiles.Of(ingest.AckMilliseconds, 50):0.0} ms, p99 {Percentiles.Of(ingest.AckMilliseconds, 99):0.0} ms ({ingest.AckMilliseconds.Count:N0} requests)");
            output.WriteLine($"  refused: {ingest.Refused429:N0} x 429, {ingest.Refused503:N0} x 503 (each sent again after Retry-After); other errors {ingest.OtherErrors:N0}; spans given up {ingest.LostSpans:N0}");
            if (before is not null && after is not null)
            {
                output.WriteLine($"  stored spans: {before:N0} before, {after:N0} after (+{after - before:N0})");
            }
        }

        private static void WriteQueries(TextWriter output, IReadOnlyList<QueryReport> queries)
        {
            output.WriteLine("  | query | p50 | p95 | max | check |");
            output.WriteLine("  | --- | ---: | ---: | ---: | --- |");
            foreach (var query in queries)
            {
                output.WriteLine($"  | {query.Name} | {Ms(Percentiles.Of(query.Milliseconds, 50))} | {Ms(Percentiles.Of(query.Milliseconds, 95))} | {Ms(query.Milliseconds.Max())} | {query.Check} |");
            }
        }

        private static string Ms(double milliseconds) => milliseconds >= 1000 ? $"{milliseconds / 1000:0.00} s" : $"{milliseconds:0} ms";
    }
}
