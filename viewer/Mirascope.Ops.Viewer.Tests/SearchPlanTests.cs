using System;
using System.Collections.Generic;
using System.Data.Common;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Mirascope.Ops.Viewer.Ingest;
using Mirascope.Ops.Viewer.Storage;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests
{
    /// <summary>
    /// The trace list and the searches are served by indexes on the engine the tests run on (their plans are read, so a
    /// change that makes them scan every span fails here, not at ten million spans), and a stored database gains the
    /// search index for the spans it already has.
    /// </summary>
    public sealed class SearchPlanTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "mirascope-viewer-tests", Guid.NewGuid().ToString("N"));

        private readonly string _location;

        /// <summary>Read, not constant, so both branches compile in both test projects.</summary>
        private static readonly bool OnPostgres = TestStore.OnPostgres;

        public SearchPlanTests()
        {
            _location = TestStore.NewLocation(_folder);
        }

        public void Dispose()
        {
            if (Directory.Exists(_folder))
            {
                Directory.Delete(_folder, recursive: true);
            }
        }

        private static IngestSpan Span(string trace, int id, string name, string attributesJson) => new IngestSpan
        {
            TraceId = TraceStoreTests.TraceIdOf(trace),
            SpanId = id.ToString("x16", System.Globalization.CultureInfo.InvariantCulture),
            ParentSpanId = id == 1 ? null : 1.ToString("x16", System.Globalization.CultureInfo.InvariantCulture),
            Name = name,
            Kind = 1,
            StartNs = 1_772_366_400_000_000_000 + id * 1000L,
            EndNs = 1_772_366_400_000_000_000 + id * 1000L + 500,
            AttributesJson = attributesJson,
            EventsJson = "[]",
            ResourceJson = "{}",
        };

        private static readonly string Cart = JsonSerializer.Serialize(new Dictionary<string, string> { ["mirascope.trace.arg_values"] = "{\"cart\":\"dragon-egg\"}" });

        private static readonly string Chat = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["gen_ai.input.messages"] = "[{\"role\":\"user\",\"content\":\"a question\"}]", ["gen_ai.output.messages"] = "[{\"content\":\"an answer\"}]",
        });

        private TraceStore Seeded()
        {
            var store = new TraceStore(_location);
            store.Store(new[] { Span("a", 1, "Shop.Checkout", Cart), Span("a", 2, "chat gpt-4o", Chat) }, DateTimeOffset.UtcNow);
            return store;
        }

        /// <summary>
        /// 20,000 more spans in 2,000 traces, none matching the searches, and fresh statistics: planners read a table of a few
        /// rows whole, whatever its indexes, so the plans are read at a size where an index is worth using.
        /// </summary>
        private static void Fill(DbConnection connection) => Execute(connection, OnPostgres
            ? @"INSERT INTO spans (trace_id, span_id, name, kind, start_ns, end_ns, status_code, attributes, events, resource, received_ms)
                    SELECT lpad(to_hex(i / 10 + 1000000), 32, '0'), lpad(to_hex(i % 10 + 1), 16, '0'), 'Filler.Step' || (i % 7), 1,
                        1772366400000000000 + i, 1772366400000000000 + i + 5, 1, json_build_object('mirascope.trace.arg_values', 'filler ' || i)::text, '[]', '{}', 0
                    FROM generate_series(CAST(1 AS bigint), 20000) AS g(i);
                INSERT INTO traces (trace_id, root_status, start_ns, end_ns, span_count, error_count, last_seq, received_ms)
                    SELECT trace_id, 1, MIN(start_ns), MAX(end_ns), COUNT(*), 0, MAX(seq), 0 FROM spans GROUP BY trace_id ON CONFLICT (environment_id, trace_id) DO NOTHING;
                ANALYZE;"
            : @"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
                INSERT INTO spans (trace_id, span_id, name, kind, start_ns, end_ns, status_code, attributes, events, resource, received_ms)
                    SELECT printf('%032x', i / 10 + 1000000), printf('%016x', i % 10 + 1), 'Filler.Step' || (i % 7), 1,
                        1772366400000000000 + i, 1772366400000000000 + i + 5, 1, json_object('mirascope.trace.arg_values', 'filler ' || i), '[]', '{}', 0 FROM n;
                INSERT OR IGNORE INTO traces (trace_id, root_status, start_ns, end_ns, span_count, error_count, last_seq, received_ms)
                    SELECT trace_id, 1, MIN(start_ns), MAX(end_ns), COUNT(*), 0, MAX(seq), 0 FROM spans GROUP BY trace_id;
                ANALYZE;");

        [Fact]
        public void The_list_and_the_searches_read_spans_through_indexes_and_never_scan_the_spans_table()
        {
            var store = Seeded();
            using var connection = store.Open();
            Fill(connection);
            if (OnPostgres)
            {
                // The test cluster's role may create pg_trgm, so the trigram index is there.
                using (var index = connection.CreateCommand())
                {
                    index.CommandText = "SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'spans_by_text'";
                    Assert.Equal(1L, Convert.ToInt64(index.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
                }

                // Forbidden, the planner still scans or sorts when no index can serve the query, which is what this test looks for.
                Execute(connection, "SET enable_seqscan = off; SET enable_sort = off");
            }

            var list = new TraceListQuery(store);
            var search = new SpanSearchQuery(store);
            var after = new TraceListCursor(1_772_366_400_000_000_000, TraceStoreTests.TraceIdOf("a"));
            var plans = new Dictionary<string, string>
            {
                ["list"] = Plan(connection, list.Command(connection, new TraceFilter())),
                ["list after a cursor"] = Plan(connection, list.Command(connection, new TraceFilter { After = after })),
                ["list of an environment after a cursor"] = Plan(connection, list.Command(connection, new TraceFilter { After = after, EnvironmentId = "e" })),
            };
            if (OnPostgres)
            {
                // A search sorts its few matches; only the plain list must never sort.
                Execute(connection, "RESET enable_sort");
            }

            foreach (var (query, command) in new Dictionary<string, DbCommand>
            {
                ["list q"] = list.Command(connection, new TraceFilter { Text = "dragon-egg" }),
                ["list q in many spans"] = list.Command(connection, new TraceFilter { Text = "filler" }),
                ["list name"] = list.Command(connection, new TraceFilter { Name = "checkout" }),
                ["list name of many spans"] = list.Command(connection, new TraceFilter { Name = "filler.step" }),
                ["search query"] = search.CountCommand(connection, new SpanSearch { StartNs = 0, EndNs = long.MaxValue, NameTokens = new[] { "checkout" } }),
                ["search input"] = search.CountCommand(connection, new SpanSearch { StartNs = 0, EndNs = long.MaxValue, InputMessagesQuery = "question" }),
                ["search output"] = search.CountCommand(connection, new SpanSearch { StartNs = 0, EndNs = long.MaxValue, OutputMessagesQuery = "answer" }),
                ["search input page of many spans"] = search.PageCommand(connection, new SpanSearch { StartNs = 0, EndNs = long.MaxValue, InputMessagesQuery = "filler" }, walk: true),
            })
            {
                plans[query] = Plan(connection, command);
            }

            foreach (var (query, plan) in plans)
            {
                if (OnPostgres)
                {
                    Assert.False(plan.Contains("Seq Scan on spans", StringComparison.Ordinal), $"{query} scans spans:\n{plan}");
                }
                else
                {
                    // SCAN reads a whole table or index; SEARCH looks rows up.
                    Assert.False(plan.Split('\n').Any(l => l.Contains("SCAN s ", StringComparison.Ordinal) || l.EndsWith("SCAN s", StringComparison.Ordinal)
                        || l.Contains("SCAN spans", StringComparison.Ordinal)), $"{query} scans spans:\n{plan}");
                }
            }

            foreach (var query in new[] { "list", "list after a cursor", "list of an environment after a cursor" })
            {
                // The list's order is the index's: no page sorts the traces.
                Assert.False(plans[query].Contains(OnPostgres ? "Sort Key: t.start_ns" : "TEMP B-TREE FOR ORDER BY", StringComparison.Ordinal), $"{query} sorts:\n{plans[query]}");
                Assert.Contains("traces_by_", plans[query], StringComparison.Ordinal);
            }

            // NOT DONE on PostgreSQL: at this size its planner prefers spans_by_start/traces to the pg_trgm index (no spans seq
            // scan, asserted above); whether it takes the trigram index at millions of spans is still to be shown (issue 28).
            foreach (var query in OnPostgres ? Array.Empty<string>() : new[] { "list q", "list name", "search input", "search output" })
            {
                Assert.True(plans[query].Contains(OnPostgres ? "spans_by_text" : "span_text", StringComparison.Ordinal), $"{query} does not use the text index:\n{plans[query]}");
            }

            foreach (var query in OnPostgres ? Array.Empty<string>() : new[] { "list q in many spans", "list name of many spans" })
            {
                // Many matches: the list walks the traces in its order (no sort of every match), reads each walked trace's
                // spans through an index on its key (environment, trace id: a trace is its environment's), and stops when the
                // page is full.
                Assert.False(plans[query].Contains("TEMP B-TREE FOR ORDER BY", StringComparison.Ordinal), $"{query} sorts:\n{plans[query]}");
                Assert.Contains("traces_by_start_and_id", plans[query], StringComparison.Ordinal);
                Assert.True(System.Text.RegularExpressions.Regex.IsMatch(plans[query], @"SEARCH s .*INDEX \S+ \(environment_id=\? AND trace_id=\?"), $"{query} does not read spans by trace:\n{plans[query]}");
            }

            if (OnPostgres)
            {
                // The list's walk stays a per-trace test (SubPlan) in the list's index order: flattened into a semi join,
                // PostgreSQL, expecting a handful of matches, read every span (55 s for "mystery" at a million spans).
                var listWalk = plans["list q in many spans"];
                Assert.Contains("traces_by_start_and_id", listWalk, StringComparison.Ordinal);
                Assert.False(listWalk.Contains("Semi Join", StringComparison.Ordinal) || listWalk.Contains("Sort Key: t.start_ns", StringComparison.Ordinal),
                    $"the list's walk joins or sorts:\n{listWalk}");
            }

            // More matches than the total counts: the page walks the spans by start time and stops when it is full (no sort
            // of every match, which grows with the matches).
            var walk = plans["search input page of many spans"];
            Assert.Contains("spans_by_start", walk, StringComparison.Ordinal);
            Assert.False(OnPostgres
                ? System.Text.RegularExpressions.Regex.IsMatch(walk, @"(^|->\s+)Sort\s+\(", System.Text.RegularExpressions.RegexOptions.Multiline)
                : walk.Contains("TEMP B-TREE FOR ORDER BY", StringComparison.Ordinal), $"the search's page sorts its matches:\n{walk}");

            Assert.True(plans["search query"].Contains(OnPostgres ? "spans_by_name_token" : "span_text", StringComparison.Ordinal), $"the token search does not use its index:\n{plans["search query"]}");
        }

        [Fact]
        public void A_text_or_name_in_more_spans_than_the_list_reads_whole_lists_every_matching_trace_newest_first_page_after_page()
        {
            var store = Seeded();
            using (var connection = store.Open())
            {
                Fill(connection);
            }

            // The 20,000 filler spans of 2,001 traces (trace k holds spans 10 (k - 1,000,000) to 10 (k - 1,000,000) + 9, starting
            // in that order) all have "filler" in their arguments and names: more than the list reads whole, so it walks.
            Assert.True(TraceListQuery.CandidatesReadWhole < 20_000);
            var fillers = Enumerable.Range(0, 2001).Select(k => (1_002_000 - k).ToString("x32", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(fillers, ListedPageByPage(store, after => new TraceFilter { Text = "FILLER", Limit = 300, After = after }));
            Assert.Equal(fillers, ListedPageByPage(store, after => new TraceFilter { Name = "filler.STEP", Limit = 300, After = after }));
            Assert.Equal(fillers.Take(7), ListedIds(store, new TraceFilter { Name = "Filler", Limit = 7 }));

            // Few matches in the same store (spans 1999 and 19990 to 19999, of two traces): read whole, the same traces a walk finds.
            Assert.Equal(new[] { 1_001_999, 1_000_199 }.Select(k => k.ToString("x32", System.Globalization.CultureInfo.InvariantCulture)),
                ListedIds(store, new TraceFilter { Text = "filler 1999" }));
            Assert.Equal(new[] { TraceStoreTests.TraceIdOf("a") }, ListedIds(store, new TraceFilter { Name = "checkout" }));
            Assert.Empty(ListedIds(store, new TraceFilter { Name = "fillers" }));
        }

        [Fact]
        public void A_Cloud_search_with_more_matches_than_it_counts_says_its_total_is_capped_and_pages_through_every_match_newest_first()
        {
            var store = Seeded();
            using (var connection = store.Open())
            {
                Fill(connection);
            }

            // The 20,000 filler spans all have "filler N" in their arguments: more matches than total counts.
            Assert.True(SpanSearchQuery.MaxTotal < 20_000);
            SpanSearch Fillers(SpanSearchCursor? after = null, int offset = 0) =>
                new SpanSearch { StartNs = 0, EndNs = long.MaxValue, InputMessagesQuery = "FILLER", Limit = 1000, After = after, Offset = offset };
            var first = Written(json => new SpanSearchQuery(store).Write(json, Fillers()));
            Assert.Equal(SpanSearchQuery.MaxTotal, first.GetProperty("total").GetInt64());
            Assert.True(first.GetProperty("totalCapped").GetBoolean());
            Assert.True(first.GetProperty("hasMore").GetBoolean());

            // Page after page by the cursor: every match once, newest first (the pages walk the spans by start time).
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var starts = new List<DateTimeOffset>();
            var page = first;
            for (var pages = 0; pages < 40; pages++)
            {
                foreach (var span in page.GetProperty("spans").EnumerateArray())
                {
                    Assert.True(seen.Add(span.GetProperty("traceId").GetString() + "/" + span.GetProperty("spanId").GetString()));
                    starts.Add(DateTimeOffset.Parse(span.GetProperty("startTime").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
                }

                if (page.GetProperty("nextCursor").ValueKind == JsonValueKind.Null)
                {
                    break;
                }

                var after = SpanSearchCursor.Decode(page.GetProperty("nextCursor").GetString()!, "start_time", descending: true, out _);
                page = Written(json => new SpanSearchQuery(store).Write(json, Fillers(after)));
            }

            Assert.Equal(20_000, seen.Count);
            Assert.Equal(starts.OrderByDescending(t => t), starts);

            // An offset's page still says whether more follow although the total stops counting (20,000 matches > 10,000 + 1,000).
            var deep = Written(json => new SpanSearchQuery(store).Write(json, Fillers(offset: SpanSearch.MaxOffset)));
            Assert.Equal(1000, deep.GetProperty("spans").GetArrayLength());
            Assert.True(deep.GetProperty("hasMore").GetBoolean());
            var last = Written(json => new SpanSearchQuery(store).Write(json,
                new SpanSearch { StartNs = 0, EndNs = 1_772_366_400_000_000_000 + 11_000, InputMessagesQuery = "FILLER", Limit = 1000, Offset = SpanSearch.MaxOffset }));
            Assert.Equal(1000, last.GetProperty("spans").GetArrayLength());   // fillers 1..11,000 (and the two seeded spans, which do not match): 11,000 - 10,000
            Assert.False(last.GetProperty("hasMore").GetBoolean());

            // Few matches (spans 1999 and 19990 to 19999) are counted exactly.
            var few = Written(json => new SpanSearchQuery(store).Write(json, new SpanSearch { StartNs = 0, EndNs = long.MaxValue, InputMessagesQuery = "filler 1999" }));
            Assert.Equal(11, few.GetProperty("total").GetInt64());
            Assert.False(few.GetProperty("totalCapped").GetBoolean());
            Assert.False(few.GetProperty("hasMore").GetBoolean());
        }

        private static List<string> ListedPageByPage(TraceStore store, Func<TraceListCursor?, TraceFilter> filter)
        {
            var listed = new List<string>();
            TraceListCursor? after = null;
            for (var page = 0; page < 100; page++)
            {
                var answer = Written(json => new TraceListQuery(store).Write(json, filter(after)));
                listed.AddRange(answer.GetProperty("traces").EnumerateArray().Select(t => t.GetProperty("traceId").GetString()!));
                if (answer.GetProperty("nextCursor").ValueKind == JsonValueKind.Null)
                {
                    break;
                }

                after = TraceListCursor.Decode(answer.GetProperty("nextCursor").GetString()!, out _);
            }

            return listed;
        }

        [Fact]
        public void A_database_of_the_schema_before_the_search_index_gains_it_for_its_stored_spans()
        {
            Seeded();
            using (var connection = new TraceStore(_location).Open())
            {
                // Back to the previous schema: no text index, the list's old indexes.
                Execute(connection, OnPostgres
                    ? @"DROP INDEX IF EXISTS spans_by_text; DROP INDEX spans_by_name_token; DROP FUNCTION span_name_tokens(TEXT);
                        DROP INDEX traces_by_start_and_id; DROP INDEX traces_by_environment_start_and_id;
                        CREATE INDEX traces_by_start ON traces (start_ns DESC); CREATE INDEX traces_by_environment ON traces (environment_id, start_ns DESC);
                        UPDATE mirascope_viewer_schema SET version = 5"
                    : @"DROP TRIGGER span_text_before_insert; DROP TRIGGER span_text_after_insert; DROP TRIGGER span_text_after_update;
                        DROP TRIGGER span_text_after_delete; DROP TABLE span_text;
                        DROP INDEX traces_by_start_and_id; DROP INDEX traces_by_environment_start_and_id;
                        CREATE INDEX traces_by_start ON traces (start_ns DESC); CREATE INDEX traces_by_environment ON traces (environment_id, start_ns DESC);
                        PRAGMA user_version = 8;");
            }

            var migrated = new TraceStore(_location);

            using (var connection = migrated.Open())
            {
                using var read = connection.CreateCommand();
                read.CommandText = OnPostgres
                    ? "SELECT version FROM mirascope_viewer_schema"
                    : "SELECT (SELECT user_version FROM pragma_user_version) * 1000 + (SELECT COUNT(*) FROM span_text WHERE span_text MATCH '\"dragon-egg\"')";
                Assert.Equal(OnPostgres ? Storage.Postgres.PostgresSchema.Current : Storage.Sqlite.SqliteSchema.Current * 1000L + 1, Convert.ToInt64(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
            }

            Assert.Equal(new[] { TraceStoreTests.TraceIdOf("a") }, ListedIds(migrated, new TraceFilter { Text = "DRAGON-egg" }));
            Assert.Empty(ListedIds(migrated, new TraceFilter { Text = "dragon-eggs" }));
            Assert.Equal(1, SearchTotal(migrated, new SpanSearch { StartNs = 0, EndNs = long.MaxValue, NameTokens = new[] { "checkout" } }));
            Assert.Equal(1, SearchTotal(migrated, new SpanSearch { StartNs = 0, EndNs = long.MaxValue, OutputMessagesQuery = "an answer" }));
        }

        private static string[] ListedIds(TraceStore store, TraceFilter filter)
        {
            var document = Written(json => new TraceListQuery(store).Write(json, filter));
            return document.GetProperty("traces").EnumerateArray().Select(t => t.GetProperty("traceId").GetString()!).ToArray();
        }

        private static long SearchTotal(TraceStore store, SpanSearch search) =>
            Written(json => new SpanSearchQuery(store).Write(json, search)).GetProperty("total").GetInt64();

        private static JsonElement Written(Action<Utf8JsonWriter> write)
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                write(json);
            }

            return JsonDocument.Parse(buffer.ToArray()).RootElement.Clone();
        }

        /// <summary>The engine's plan of the command, as text (SQLite: EXPLAIN QUERY PLAN details; PostgreSQL: EXPLAIN).</summary>
        private static string Plan(DbConnection connection, DbCommand command)
        {
            using (command)
            {
                using var explain = connection.CreateCommand();
                explain.CommandText = (OnPostgres ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + command.CommandText;
                foreach (DbParameter parameter in command.Parameters)
                {
                    var copy = explain.CreateParameter();
                    copy.ParameterName = parameter.ParameterName;
                    copy.Value = parameter.Value;
                    explain.Parameters.Add(copy);
                }

                var lines = new StringBuilder();
                using var reader = explain.ExecuteReader();
                while (reader.Read())
                {
                    lines.Append(reader.GetString(OnPostgres ? 0 : 3)).Append('\n');
                }

                return lines.ToString();
            }
        }

        private static void Execute(DbConnection connection, string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
    }
}
