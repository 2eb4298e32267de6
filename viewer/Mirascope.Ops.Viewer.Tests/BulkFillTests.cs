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
            var folder = Path.Combine(Path.GetTempPath(), "mirascope-viewer-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            var filledLocation = TestStore.NewLocation(folder, "filled.db");
            var ingestedLocation = TestStore.NewLocation(folder, "ingested.db");

            // 30 seed traces in 3 batches over two environments, 2 whole rounds of copies and a part of a third.
            BulkFillReport report;
            var filled = new TraceStore(filledLocation);
            try
            {
                report = BulkFill.Run(filled, 1_000, Environments, TimeSpan.FromDays(6), TextWriter.Null, seedTraces: 30);
            }
            finally
            {
                (filled.Engine as IDisposable)?.Dispose();
            }

            Assert.Equal(3, report.Rounds.Count);
            Assert.Equal(new[] { 30, 30, 10 }, report.Rounds.Select(r => r.Traces));
            Assert.Equal(1_000, report.Spans);

            // The same traces through ingest: the seed batches, then each round's copies, batch by batch as the fill made them.
            var ingested = new TraceStore(ingestedLocation);
            try
            {
                foreach (var seed in report.Seeds)
                {
                    ingested.Store(seed.Spans, seed.ReceivedAt, seed.EnvironmentId);
                }

                foreach (var round in report.Rounds)
                {
                    var copied = new HashSet<string>(report.SeedTraceIds.Take(round.Traces), StringComparer.Ordinal);
                    foreach (var seed in report.Seeds)
                    {
                        var spans = seed.Spans.Where(s => copied.Contains(s.TraceId)).Select(s => Moved(s, round)).ToList();
                        ingested.Store(spans, seed.ReceivedAt.AddMilliseconds(-round.ShiftMilliseconds), seed.EnvironmentId);
                    }
                }

                Assert.Equal((100, 1_000), ingested.Count());
                filled = new TraceStore(filledLocation);
                try
                {
                    Assert.Equal((100, 1_000), filled.Count());
                    var expected = Tables(ingested);
                    var actual = Tables(filled);
                    Assert.Equal(expected.Keys.OrderBy(k => k, StringComparer.Ordinal), actual.Keys.OrderBy(k => k, StringComparer.Ordinal));
                    Assert.Contains("span_buckets", expected.Keys);
                    foreach (var (table, rows) in expected)
                    {
                        Assert.True(rows.SequenceEqual(actual[table]), $"table {table} differs: first row only ingest has: {rows.Except(actual[table]).FirstOrDefault()}; "
                            + $"first only the fill has: {actual[table].Except(rows).FirstOrDefault()}");
                    }
                }
                finally
                {
                    (filled.Engine as IDisposable)?.Dispose();
                }
            }
            finally
            {
                (ingested.Engine as IDisposable)?.Dispose();
            }

            // And the page's answers, from a viewer on each store.
            var copy = BulkFill.CloneTraceId(report.SeedTraceIds[3], 2);
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
            Assert.Contains("\"totalSpans\":1000", answers[1][6], StringComparison.Ordinal);
            Assert.Equal("status: 100 traces, 1000 spans", answers[1][^1]);
            for (var i = 0; i < answers[0].Count; i++)
            {
                Assert.Equal(answers[0][i], answers[1][i]);
            }
        }

        /// <summary>The seed span as the fill's round copies it: the copy's trace id, the times moved back.</summary>
        private static IngestSpan Moved(IngestSpan seed, CloneRound round)
        {
            var copy = (IngestSpan)typeof(object).GetMethod("MemberwiseClone", BindingFlags.Instance | BindingFlags.NonPublic)!.Invoke(seed, null)!;
            var shift = round.ShiftMilliseconds * 1_000_000L;
            Set(copy, nameof(IngestSpan.TraceId), BulkFill.CloneTraceId(seed.TraceId, round.Number));
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
