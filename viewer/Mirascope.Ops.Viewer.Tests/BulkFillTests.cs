using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Threading.Tasks;
using Mirascope.Ops.Viewer.Ingest;
using Mirascope.Ops.Viewer.Storage;
using Mirascope.Ops.Viewer.Storage.Sqlite;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Mirascope.Ops.ViewerLoad;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests
{
    /// <summary>
    /// The load generator's fast fill (benchmarks/Mirascope.Ops.ViewerLoad/BulkFill.cs) copies seed traces inside the
    /// database; the figures at 1 M and 10 M spans are only worth something if the store it leaves is the one ingest would
    /// have left for the same traces: every table (spans, traces, rollups and counters, repeated-call marks, sizes, the
    /// search index) and every answer of the page's queries.
    /// </summary>
    public sealed class BulkFillTests
    {
        private static readonly string[] Environments = { TraceEnvironments.Implicit, "environment-b" };

        [Fact]
        public async Task A_bulk_filled_store_has_every_table_and_query_answer_of_a_store_that_ingested_the_same_traces()
        {
            var (report, filledLocation, ingestedLocation) = FillAndReplay(BulkFillFault.None);

            // 20 seed traces in 2 batches over two environments; first rounds of 20, 20, 20 and 5 copies (85 traces); two
            // doubling rounds, the first moved back an hour, the second not moved and copied in two chunks of trace ids.
            Assert.Equal(4, report.FirstRounds);
            Assert.Equal(2, report.DoublingRounds);
            Assert.Equal(3_400, report.Spans);
            Assert.Equal(new[] { 0L, 3_600_000L }, report.Runs.Select(r => r.ShiftMilliseconds - (r.ShiftMilliseconds % 3_600_000)).Distinct().OrderBy(x => x));
            Assert.Empty(DifferingTables(filledLocation, ingestedLocation));

            // And the page's answers, from a viewer on each store.
            var last = report.Runs[^1];
            var copy = last.TraceId(last.Seeds[0]);
            var end = DateTimeOffset.UtcNow.AddMinutes(1);
            var range = $"startTime={Uri.EscapeDataString(end.AddDays(-7).ToString("o", CultureInfo.InvariantCulture))}&endTime={Uri.EscapeDataString(end.ToString("o", CultureInfo.InvariantCulture))}";
            var paths = new[]
            {
                "api/traces?limit=40", "api/traces?limit=40&q=mystery", "api/traces?limit=40&q=xylophonequartz", "api/traces/" + copy,
                "api/functions", "api/functions/versions?name=Librarian.Answer", "api/analytics?" + range,
            };
            var answers = new List<string>[2];
            var locations = new[] { ingestedLocation, filledLocation };
            for (var i = 0; i < 2; i++)
            {
                await using var viewer = await RunningViewer.StartAsync(options => options.Store = locations[i]);
                answers[i] = new List<string>();
                foreach (var path in paths)
                {
                    using var response = await viewer.Http.GetAsync(new Uri(viewer.Address, path));
                    answers[i].Add(path + " " + (int)response.StatusCode + " " + await response.Content.ReadAsStringAsync());
                }

                // The status names the store (another file or database); its counts must be the same.
                var status = await viewer.GetJsonAsync("api/status");
                answers[i].Add($"status: {status.GetProperty("traces")} traces, {status.GetProperty("spans")} spans");
            }

            // Answers with something in them: the search finds traces, the copy's detail is there, the dashboard counts the copies.
            Assert.Contains("\"traces\":[{", answers[1][1], StringComparison.Ordinal);
            Assert.Contains("\"spans\":[{", answers[1][3], StringComparison.Ordinal);
            Assert.Contains("\"totalSpans\":3400", answers[1][6], StringComparison.Ordinal);
            Assert.Equal("status: 340 traces, 3400 spans", answers[1][^1]);
            for (var i = 0; i < answers[0].Count; i++)
            {
                Assert.Equal(answers[0][i], answers[1][i]);
            }
        }

        [Fact]
        public void A_doubling_round_whose_rollups_keep_the_originals_time_buckets_is_caught_by_the_comparison_with_ingest()
        {
            // The copies moved back an hour but their dashboard rows left in the originals' hours: exactly the four time-keyed tables differ.
            var (_, filledLocation, ingestedLocation) = FillAndReplay(BulkFillFault.UnmovedRollups);
            Assert.Equal(new[] { "span_bucket_durations", "span_bucket_functions", "span_bucket_usage", "span_buckets" }, DifferingTables(filledLocation, ingestedLocation));
        }

        [Fact]
        public void A_bulk_fill_into_a_store_holding_other_traces_copies_only_its_own_and_adds_its_rollups_as_ingest_would()
        {
            // Not only the fill's rows in the rollup tables: the copies' dashboard rows go through the viewer's Rollups.Apply instead.
            var (report, filledLocation, ingestedLocation) = FillAndReplay(BulkFillFault.None, otherTraces: true);
            Assert.Equal(2, report.DoublingRounds);
            Assert.Empty(DifferingTables(filledLocation, ingestedLocation, expectedTraces: 345));
        }

        /// <summary>
        /// A bulk fill of 3,400 spans into one store, and the same traces through ingest into another (the fill's runs, in
        /// order); with <paramref name="otherTraces"/> both stores first hold 5 traces of another service (random ids).
        /// </summary>
        private static (BulkFillReport Report, string Filled, string Ingested) FillAndReplay(BulkFillFault fault, bool otherTraces = false)
        {
            var folder = Path.Combine(Path.GetTempPath(), "mirascope-viewer-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            var filledLocation = TestStore.NewLocation(folder, "filled.db");
            var ingestedLocation = TestStore.NewLocation(folder, "ingested.db");
            BulkFillReport report;
            if (otherTraces)
            {
                var (body, _, _) = new SpanBatchBuilder("other-service", seed: 7).Build(5 * SpanBatchBuilder.SpansPerTrace);
                var spans = OtlpJsonReader.Read(body).Spans;
                var receivedAt = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                foreach (var location in new[] { filledLocation, ingestedLocation })
                {
                    var store = new TraceStore(location);
                    try
                    {
                        store.Store(spans, receivedAt, Environments[0]);
                    }
                    finally
                    {
                        (store.Engine as IDisposable)?.Dispose();
                    }
                }
            }

            var filled = new TraceStore(filledLocation);
            try
            {
                // Two hours: one moving doubling round (an hour back), then one that does not move; chunks of 100 traces; the
                // secondary indexes off during the doubling rounds and built again after them, as the command line's fill does.
                report = BulkFill.Run(filled, 3_400, Environments, TimeSpan.FromHours(2), TextWriter.Null, seedTraces: 20, chunkTraces: 100, rebuildIndexes: true, fault: fault);
            }
            finally
            {
                (filled.Engine as IDisposable)?.Dispose();
            }

            var ingested = new TraceStore(ingestedLocation);
            try
            {
                foreach (var run in report.Runs)
                {
                    var seed = report.Seeds[run.Batch];
                    var copied = new HashSet<string>(run.Seeds, StringComparer.Ordinal);
                    var spans = seed.Spans.Where(s => copied.Contains(s.TraceId)).Select(s => Moved(s, run)).ToList();
                    ingested.Store(spans, seed.ReceivedAt.AddMilliseconds(-run.ShiftMilliseconds), seed.EnvironmentId);
                }

                Assert.Equal(otherTraces ? (345, 3_450) : (340, 3_400), ingested.Count());
            }
            finally
            {
                (ingested.Engine as IDisposable)?.Dispose();
            }

            return (report, filledLocation, ingestedLocation);
        }

        /// <summary>The tables whose rows differ between the two stores (or that only one has), in ordinal order.</summary>
        private static List<string> DifferingTables(string filledLocation, string ingestedLocation, long expectedTraces = 340)
        {
            var filled = new TraceStore(filledLocation);
            var ingested = new TraceStore(ingestedLocation);
            try
            {
                Assert.Equal((expectedTraces, expectedTraces * 10), filled.Count());
                var expected = Tables(ingested);
                var actual = Tables(filled);
                Assert.Contains("span_buckets", expected.Keys);
                return expected.Keys.Union(actual.Keys)
                    .Where(t => !expected.TryGetValue(t, out var rows) || !actual.TryGetValue(t, out var other) || !rows.SequenceEqual(other))
                    .OrderBy(t => t, StringComparer.Ordinal)
                    .ToList();
            }
            finally
            {
                (filled.Engine as IDisposable)?.Dispose();
                (ingested.Engine as IDisposable)?.Dispose();
            }
        }

        /// <summary>The seed span as the fill's run copies it: the copy's trace id, the times moved back.</summary>
        private static IngestSpan Moved(IngestSpan seed, FillRun run)
        {
            var copy = (IngestSpan)typeof(object).GetMethod("MemberwiseClone", BindingFlags.Instance | BindingFlags.NonPublic)!.Invoke(seed, null)!;
            var shift = run.ShiftMilliseconds * 1_000_000L;
            Set(copy, nameof(IngestSpan.TraceId), run.TraceId(seed.TraceId));
            Set(copy, nameof(IngestSpan.StartNs), seed.StartNs - shift);
            Set(copy, nameof(IngestSpan.EndNs), seed.EndNs - shift);
            return copy;
        }

        private static void Set(IngestSpan span, string property, object value) => typeof(IngestSpan).GetProperty(property)!.SetValue(span, value);

        /// <summary>Every row of every table (SQLite's full-text shadow tables aside: their rows are FTS5's own storage), each row's values as text, sorted.</summary>
        private static Dictionary<string, List<string>> Tables(TraceStore store)
        {
            var sqlite = store.Engine is SqliteEngine;
            var names = new List<string>();
            using var connection = store.Open();
            using (var list = connection.CreateCommand())
            {
                list.CommandText = sqlite
                    ? @"SELECT name FROM sqlite_master t WHERE type = 'table'
                        AND NOT EXISTS (SELECT 1 FROM sqlite_master v WHERE v.type = 'table' AND v.sql LIKE 'CREATE VIRTUAL TABLE%' AND t.name LIKE v.name || '\_%' ESCAPE '\')"
                    : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()";
                using var reader = list.ExecuteReader();
                while (reader.Read())
                {
                    names.Add(reader.GetString(0));
                }
            }

            var tables = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var name in names)
            {
                using var select = connection.CreateCommand();
                select.CommandText = "SELECT * FROM \"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";   // names from the test's own database
                using var reader = select.ExecuteReader();
                var rows = new List<string>();
                while (reader.Read())
                {
                    var row = new StringBuilder();
                    for (var c = 0; c < reader.FieldCount; c++)
                    {
                        row.Append(reader.GetName(c)).Append('=').Append(reader.IsDBNull(c) ? "NULL" : Convert.ToString(reader.GetValue(c), CultureInfo.InvariantCulture)).Append(" | ");
                    }

                    rows.Add(row.ToString());
                }

                rows.Sort(StringComparer.Ordinal);
                tables[name] = rows;
            }

            return tables;
        }
    }
}
