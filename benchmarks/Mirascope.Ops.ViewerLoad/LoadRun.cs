using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Mirascope.Ops.ViewerLoad
{
    /// <summary>Everything one run measured.</summary>
    internal sealed record LoadResult(IngestReport Ingest, IReadOnlyList<QueryReport> Queries, long? StoredSpans, TimeSpan? StopTime)
    {
        /// <summary>With --queries-while-ingesting: the queries run while the exporters sent, and what they sent meanwhile.</summary>
        public IReadOnlyList<QueryReport> BusyQueries { get; init; } = Array.Empty<QueryReport>();

        public IngestReport? BusyIngest { get; init; }
    }

    /// <summary>One run: the viewers (given or started), the ingest load, the stored count, the queries, the stop; and its report.</summary>
    internal static class LoadRun
    {
        /// <summary>Spans each started viewer takes before the measured ingest (its JIT warm-up).</summary>
        private const int WarmupSpansPerViewer = 3000;

        public static async Task<LoadResult> RunAsync(LoadOptions options, TextWriter output)
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
            var launched = new List<ViewerLauncher>();
            ThrowawayPostgres? postgres = null;
            var viewers = options.Viewers.ToList();
            try
            {
                if (options.StartViewer)
                {
                    var args = options.ViewerArgs.ToList();
                    if (options.Postgres)
                    {
                        postgres = ThrowawayPostgres.Start(output, options.PostgresStatements, options.PostgresKeep);
                        args.AddRange(new[] { "--store", postgres.ConnectionString });
                    }
                    else if (!args.Contains("--data") && !args.Contains("--store") && !args.Any(a => a.StartsWith("--data=", StringComparison.Ordinal) || a.StartsWith("--store=", StringComparison.Ordinal)))
                    {
                        // Never the user's own span file: a fresh one in the temporary folder.
                        var data = Path.Combine(Path.GetTempPath(), "mirascope-viewer-load", Guid.NewGuid().ToString("N"), "spans.db");
                        args.AddRange(new[] { "--data", data });
                        output.WriteLine($"store: {data}");
                    }

                    // Retention would delete what the run measures: off unless asked for.
                    if (!args.Any(a => a.StartsWith("--retention-size", StringComparison.Ordinal)))
                    {
                        args.AddRange(new[] { "--retention-size", "0" });
                    }

                    if (!args.Any(a => a.StartsWith("--retention-days", StringComparison.Ordinal) || a.StartsWith("--max-age-days", StringComparison.Ordinal)))
                    {
                        args.AddRange(new[] { "--retention-days", "0" });
                    }

                    if (options.FillSpans > 0)
                    {
                        var location = StoreLocation(args) ?? throw new ArgumentException("--fill needs the store as --store <location> or --data <file>");
                        output.WriteLine($"fill: {options.FillSpans:N0} spans into the store before the viewers start");
                        StoreFill.Run(location, options.FillSpans, options.FillSpread, output);
                    }

                    var dll = options.ViewerDll ?? ViewerLauncher.FindViewerDll();
                    for (var i = 0; i < options.Instances; i++)
                    {
                        var (viewer, address) = await ViewerLauncher.StartAsync(dll, args).ConfigureAwait(false);
                        launched.Add(viewer);
                        viewers.Add(address);
                        output.WriteLine($"viewer {i + 1} started at {address} with: {string.Join(' ', args.Select(a => a == postgres?.ConnectionString ? "<throwaway cluster>" : a))}");
                    }
                }

                if (launched.Count > 0 && !options.Smoke)
                {
                    // Unmeasured: each new process compiles its code paths first; that CPU is not the cost of a span.
                    var warmup = new LoadOptions { Exporters = viewers.Count, MaxSpans = WarmupSpansPerViewer * viewers.Count, BatchSize = options.BatchSize, ApiKey = options.ApiKey };
                    await IngestLoad.RunAsync(warmup, viewers, http).ConfigureAwait(false);
                    output.WriteLine($"warm-up: {warmup.MaxSpans:N0} spans sent first, not measured");
                }

                var before = await StoredSpansAsync(http, viewers[0], options).ConfigureAwait(false);
                output.WriteLine($"ingest: {options.Exporters} exporters x {(options.RatePerExporter > 0 ? options.RatePerExporter.ToString(CultureInfo.InvariantCulture) + " spans/s" : "as fast as acknowledged")}, "
                    + $"{options.BatchSize} spans per request, up to {options.MaxSpans:N0} spans or {options.MaxDuration.TotalSeconds:0} s, into {string.Join(", ", viewers)}");
                if (options.PostgresStatements)
                {
                    postgres?.ResetStatementStatistics();
                }

                var cpuBefore = Cpu(launched, postgres);
                var loadBefore = ProcessCpu.LoadAverage();
                var ingest = await IngestLoad.RunAsync(options, viewers, http).ConfigureAwait(false);
                var cpuAfter = Cpu(launched, postgres);
                var after = await StoredSpansAsync(http, viewers[0], options).ConfigureAwait(false);
                WriteIngest(output, ingest, before, after);
                WriteCpu(output, ingest, cpuBefore, cpuAfter, loadBefore, ProcessCpu.LoadAverage(), launched.Count > 0, postgres is not null);
                if (options.PostgresStatements)
                {
                    postgres?.WriteStatementStatistics(output);
                }

                var queries = new List<QueryReport>();
                if (options.QueryRuns > 0)
                {
                    output.WriteLine($"queries at {after?.ToString("N0", CultureInfo.InvariantCulture) ?? "?"} stored spans, {options.QueryRuns} runs each after one warm-up run:");
                    queries = await QueryLoad.RunAsync(options, viewers[0], http, ingest.SampleTraceIds).ConfigureAwait(false);
                    WriteQueries(output, queries);
                }

                var busyQueries = new List<QueryReport>();
                IngestReport? busyIngest = null;
                if (options.QueryRuns > 0 && options.QueriesWhileIngesting)
                {
                    (busyQueries, busyIngest) = await QueriesWhileIngestingAsync(options, viewers, http, ingest.SampleTraceIds, output).ConfigureAwait(false);
                }

                TimeSpan? stop = null;
                foreach (var viewer in launched)
                {
                    stop = await viewer.StopAsync().ConfigureAwait(false);
                    output.WriteLine(stop is { } s ? $"viewer stopped {s.TotalSeconds:0.0} s after SIGTERM" : "viewer did not stop within a minute of SIGTERM (killed)");
                }

                return new LoadResult(ingest, queries, after - before, stop) { BusyQueries = busyQueries, BusyIngest = busyIngest };
            }
            finally
            {
                foreach (var viewer in launched)
                {
                    viewer.Dispose();
                }

                postgres?.Dispose();
            }
        }

        /// <summary>
        /// The queries again, while the exporters send as in the measured ingest (full rate unless --rate), started a few
        /// seconds before the first query so the viewer is busy; the sending stops when the last query answered.
        /// </summary>
        private static async Task<(List<QueryReport>, IngestReport)> QueriesWhileIngestingAsync(LoadOptions options, IReadOnlyList<Uri> viewers, HttpClient http,
            IReadOnlyList<string> traceIds, TextWriter output)
        {
            using var stop = new CancellationTokenSource();
            var sending = new LoadOptions
            {
                Exporters = options.Exporters, RatePerExporter = options.RatePerExporter, BatchSize = options.BatchSize, ApiKey = options.ApiKey,
                MaxSpans = 100_000_000, MaxDuration = options.MaxDuration,
            };
            var ingest = IngestLoad.RunAsync(sending, viewers, http, stop.Token);
            await Task.Delay(TimeSpan.FromSeconds(3)).ConfigureAwait(false);
            var loadBefore = ProcessCpu.LoadAverage();
            var queries = await QueryLoad.RunAsync(options, viewers[0], http, traceIds).ConfigureAwait(false);
            var stillSending = !ingest.IsCompleted;
            stop.Cancel();
            var report = await ingest.ConfigureAwait(false);
            output.WriteLine($"queries while {options.Exporters} exporters sent ({(stillSending ? "sending until the last query answered" : "the sending ended (--duration) before the last query: the later runs were not under load")}):");
            output.WriteLine($"  meanwhile acknowledged {report.AckedSpans:N0} spans in {report.Elapsed.TotalSeconds:0.0} s: {report.SpansPerSecond:N0} spans/s; "
                + $"ack p50 {Percentiles.Of(report.AckMilliseconds, 50):0.0} ms, p99 {Percentiles.Of(report.AckMilliseconds, 99):0.0} ms; 429 x {report.Refused429:N0}, 503 x {report.Refused503:N0}; spans given up {report.LostSpans:N0}");
            output.WriteLine($"  machine load average (1 min): {loadBefore:0.0} when the queries started, {ProcessCpu.LoadAverage():0.0} at the end");
            WriteQueries(output, queries);
            return (queries, report);
        }

        /// <summary>The value of the viewer's --store or --data argument.</summary>
        private static string? StoreLocation(IReadOnlyList<string> args)
        {
            for (var i = 0; i < args.Count; i++)
            {
                foreach (var name in new[] { "--store", "--data" })
                {
                    if (args[i] == name && i + 1 < args.Count)
                    {
                        return args[i + 1];
                    }

                    if (args[i].StartsWith(name + "=", StringComparison.Ordinal))
                    {
                        return args[i].Substring(name.Length + 1);
                    }
                }
            }

            return null;
        }

        /// <summary>CPU used so far by the started viewers and by the throwaway PostgreSQL server.</summary>
        private static (TimeSpan Viewers, TimeSpan Server) Cpu(IEnumerable<ViewerLauncher> viewers, ThrowawayPostgres? postgres) =>
            (viewers.Aggregate(TimeSpan.Zero, (sum, v) => sum + ProcessCpu.Of(v.ProcessId)), postgres is null ? TimeSpan.Zero : ProcessCpu.OfServer(postgres.ServerProcessId));

        private static void WriteCpu(TextWriter output, IngestReport ingest, (TimeSpan Viewers, TimeSpan Server) before, (TimeSpan Viewers, TimeSpan Server) after,
            double loadBefore, double loadAfter, bool started, bool server)
        {
            if (started && ingest.AckedSpans > 0)
            {
                var per = 1000.0 / ingest.AckedSpans;
                var viewers = (after.Viewers - before.Viewers).TotalMilliseconds;
                var text = $"  CPU per 1,000 spans: viewers {viewers * per:0} ms";
                if (server)
                {
                    var pg = (after.Server - before.Server).TotalMilliseconds;
                    text += $", PostgreSQL {pg * per:0} ms; together {(viewers + pg) * per:0} ms (2 idle cores would take about {2_000_000 / Math.Max((viewers + pg) * per, 1e-9):N0} spans/s at this CPU cost, the load generator not counted)";
                }

                output.WriteLine(text);
            }

            output.WriteLine($"  machine load average (1 min): {loadBefore:0.0} before, {loadAfter:0.0} after ingest, on {Environment.ProcessorCount} cores");
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
