using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Mirascope.Ops.Viewer.Cost;
using Mirascope.Ops.Viewer.Ingest;
using Mirascope.Ops.Viewer.Storage;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests
{
    /// <summary>
    /// The rollups kept at ingest (Storage/Rollups.cs) give what a computation from the stored spans gives, whatever order
    /// and batches the spans arrive in: traces split over several requests, the SDK's repeat of a model call arriving
    /// after or before the span that counts it (which moves <c>counted_by</c> of a stored span), spans sent again with
    /// other values, several environments, periods cutting through traces and through hour, minute and second buckets,
    /// and after retention deleted traces.
    /// </summary>
    public sealed class RollupDifferentialTests : IDisposable
    {
        private static readonly long Base = new DateTimeOffset(2026, 3, 1, 11, 59, 58, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1_000_000;

        private readonly string _folder = Path.Combine(Path.GetTempPath(), "mirascope-viewer-tests", Guid.NewGuid().ToString("N"));

        public void Dispose()
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        public void Dashboard_function_figures_and_counts_from_rollups_equal_a_computation_from_the_spans_whatever_the_arrival_order(int seed)
        {
            var random = new Random(seed);
            var store = new TraceStore(TestStore.NewLocation(_folder, $"rollups-{seed}.db"));
            var traces = Enumerable.Range(0, 40).Select(i => Trace(random, $"t{seed}-{i}")).ToList();
            // A trace belongs to its environment: some trace ids are held by both environments (two services of two projects
            // under one W3C trace context), with the same span ids, each counted as its own trace.
            traces.AddRange(traces.Take(8).Select(t => t with { Environment = t.Environment == TraceEnvironments.Implicit ? "env-b" : TraceEnvironments.Implicit }).ToList());
            // Every span in a random order, in batches of random size; a trace's spans land in several requests.
            var arrivals = traces.SelectMany(t => t.Spans.Select(s => (t.Environment, Span: s))).OrderBy(_ => random.Next()).ToList();
            var at = 0;
            while (at < arrivals.Count)
            {
                var size = random.Next(1, 12);
                foreach (var group in arrivals.Skip(at).Take(size).GroupBy(a => a.Environment))
                {
                    store.Store(group.Select(a => a.Span).ToList(), DateTimeOffset.UtcNow, group.Key);
                }

                at += size;
            }

            // Some spans sent again with other values (a span sent again replaces the stored one).
            foreach (var trace in traces.Where(_ => random.Next(4) == 0))
            {
                var again = trace.Spans[random.Next(trace.Spans.Count)];
                store.Store(new[] { Resent(again, random) }, DateTimeOffset.UtcNow, trace.Environment);
            }

            AssertRollupsEqualSpans(store, random);

            // Retention deletes traces (in batches, as RetentionRun does): the rollups lose exactly what those traces added.
            // Each trace by its key: of an id both environments hold, one environment's trace may go and the other's stay.
            var doomed = traces.Select(t => (t.Environment, t.Spans[0].TraceId, (long?)null)).Distinct().Where(_ => random.Next(3) == 0).ToList();
            foreach (var batch in doomed.Chunk(7))
            {
                Mirascope.Ops.Viewer.Storage.Retention.TraceDeletion.Delete(store, batch);
            }

            AssertRollupsEqualSpans(store, random);
        }

        [Theory]
        [InlineData(11)]
        [InlineData(12)]
        public void Summaries_and_repeated_call_marks_of_many_traces_in_one_request_equal_those_of_each_trace_stored_alone(int seed)
        {
            // The summaries and the marks are one statement per request for all its traces; they must give each trace what
            // one statement per trace gave. The same spans in the same order per trace: together (two requests of every
            // trace of an environment) and alone (each trace's part of each request as a request of its own).
            var random = new Random(seed);
            var traces = Enumerable.Range(0, 30).Select(i => WithTagsAndSession(Trace(random, $"m{seed}-{i}"), random)).ToList();
            var together = new TraceStore(TestStore.NewLocation(_folder, $"together-{seed}.db"));
            var alone = new TraceStore(TestStore.NewLocation(_folder, $"alone-{seed}.db"));
            var received = DateTimeOffset.UtcNow;
            foreach (var environment in traces.GroupBy(t => t.Environment))
            {
                var spans = environment.SelectMany(t => t.Spans).OrderBy(_ => random.Next()).ToList();
                foreach (var request in new[] { spans.Take(spans.Count / 2).ToList(), spans.Skip(spans.Count / 2).ToList() })
                {
                    together.Store(request, received, environment.Key);
                    foreach (var trace in request.GroupBy(s => s.TraceId))
                    {
                        alone.Store(trace.ToList(), received, environment.Key);
                    }
                }
            }

            const string Summaries = @"SELECT trace_id, root_span_id, root_name, service_name, root_status, start_ns, end_ns, span_count, error_count,
                session_id, tags, input_tokens, output_tokens, received_ms, environment_id, size_bytes FROM traces ORDER BY trace_id";
            const string Marks = "SELECT trace_id, span_id, counted_by FROM spans ORDER BY trace_id, span_id";
            var expected = Rows(alone, Summaries);
            Assert.Equal(30, expected.Count);
            Assert.Contains(expected, row => row.Contains("\"a\""));            // tags were summed up
            Assert.Contains(Rows(alone, Marks), row => !row.EndsWith("|", StringComparison.Ordinal));   // some calls are marked as repeats
            Assert.Equal(expected, Rows(together, Summaries));
            Assert.Equal(Rows(alone, Marks), Rows(together, Marks));
        }

        /// <summary>Every row of <paramref name="query"/> as its values joined by <c>|</c>.</summary>
        private static List<string> Rows(TraceStore store, string query)
        {
            using var connection = store.Open();
            using var command = connection.CreateCommand();
            command.CommandText = query;
            using var reader = command.ExecuteReader();
            var rows = new List<string>();
            while (reader.Read())
            {
                rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))));
            }

            return rows;
        }

        /// <summary>The trace with tags on some spans (in no order, some shared) and a session on some.</summary>
        private static GeneratedTrace WithTagsAndSession(GeneratedTrace trace, Random random) => trace with
        {
            Spans = trace.Spans.Select(span =>
            {
                var extra = new List<string>();
                if (random.Next(3) == 0)
                {
                    extra.Add("\"mirascope.trace.tags\":" + JsonSerializer.Serialize(new[] { "c", "a", "b" }.Where(_ => random.Next(2) == 0).Append("a").ToArray()));
                }

                if (random.Next(3) == 0)
                {
                    extra.Add("\"mirascope.ops.session.id\":\"session-" + random.Next(3) + "\"");
                }

                var json = span.AttributesJson;
                var attributes = extra.Count == 0 ? json : "{" + string.Join(",", extra) + (json.Length > 2 ? "," + json.Substring(1) : "}");
                return new IngestSpan
                {
                    TraceId = span.TraceId, SpanId = span.SpanId, ParentSpanId = span.ParentSpanId, Name = span.Name, StartNs = span.StartNs,
                    EndNs = span.EndNs, AttributesJson = attributes, EventsJson = "[]", ResourceJson = "{}",
                };
            }).ToList(),
        };

        [Fact]
        public void A_store_of_the_schema_before_the_rollups_opens_with_the_rollups_built_from_its_spans()
        {
            var random = new Random(5);
            var location = TestStore.NewLocation(_folder, "before-rollups.db");
            var store = new TraceStore(location);
            foreach (var trace in Enumerable.Range(0, 25).Select(i => Trace(random, "old-" + i)))
            {
                store.Store(trace.Spans, DateTimeOffset.UtcNow, trace.Environment);
            }

            // What the store was before the rollups: no rollup tables (nor index they brought, nor the steps after them), the schema number before them.
            using (var connection = store.Open())
            {
                using var command = connection.CreateCommand();
                command.CommandText = LaterSchemaSteps.UndoFromRollups(TestStore.OnPostgres)
                    + (TestStore.OnPostgres ? "UPDATE mirascope_viewer_schema SET version = 3;" : "PRAGMA user_version = 6;");
                command.ExecuteNonQuery();
            }

            var reopened = new TraceStore(location);

            Assert.NotEqual(0, reopened.Count().Spans);   // built from the spans, not started empty
            AssertRollupsEqualSpans(reopened, random);
        }

        [Fact]
        public void A_late_repeat_of_a_model_call_moves_the_count_from_the_stored_span_to_the_outer_one()
        {
            var store = new TraceStore(TestStore.NewLocation(_folder, "late-repeat.db"));
            var traceId = TraceStoreTests.TraceIdOf("late-repeat");
            var function = Span(traceId, 1, null, Base, 100_000_000, Attributes(("mirascope.version.hash", "h-late"), ("mirascope.version.name", "Late")));
            var inner = Span(traceId, 3, 2, Base + 2_000_000, 50_000_000, Chat("gpt-4o-mini", 1000, 100, "resp-1"));
            var outer = Span(traceId, 2, 1, Base + 1_000_000, 60_000_000, Chat("gpt-4o-mini", 1000, 100, "resp-1"));

            store.Store(new[] { function, inner }, DateTimeOffset.UtcNow);   // the SDK's span first: it counts, for now
            store.Store(new[] { outer }, DateTimeOffset.UtcNow);             // our outer span later: the inner one becomes its repeat

            var figures = new FunctionFigures(store).Figures(new[] { "h-late" })["h-late"];
            Assert.Equal(1000, figures.Cost.InputTokens);
            var dashboard = Dashboard(store, Base - 1_000_000_000, Base + 1_000_000_000, null);
            Assert.Equal(1000, dashboard.GetProperty("totalInputTokens").GetInt64());
            Assert.Equal(1, dashboard.GetProperty("topModels")[0].GetProperty("count").GetInt64());
            AssertRollupsEqualSpans(store, new Random(7));
        }

        private static void AssertRollupsEqualSpans(TraceStore store, Random random)
        {
            using (var connection = store.Open())
            {
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT (SELECT COUNT(*) FROM traces), (SELECT COUNT(*) FROM spans)";
                using var reader = command.ExecuteReader();
                reader.Read();
                Assert.Equal((reader.GetInt64(0), reader.GetInt64(1)), store.Count());
            }

            // Periods: everything, cuts at random instants (inside traces, inside seconds), and whole buckets.
            var periods = new List<(long Start, long End)> { (Base - 3_600_000_000_000, Base + 3_600_000_000_000), (Base, Base + 2_000_000_000) };
            for (var i = 0; i < 12; i++)
            {
                var start = Base + (long)(random.NextDouble() * 8e9) - 1_000_000_000;
                periods.Add((start, start + (long)(random.NextDouble() * 6e9)));
            }

            var query = new AnalyticsQuery(store);
            foreach (var environment in new[] { null, TraceEnvironments.Implicit, "env-b" })
            {
                foreach (var (start, end) in periods)
                {
                    var expected = Canonical(Json(json => query.WriteFromSpans(json, start, end, null, environment)));
                    var actual = Canonical(Json(json => query.Write(json, start, end, null, environment)));
                    Assert.True(expected == actual, $"period {start}..{end} environment {environment ?? "(all)"}:\nfrom spans {expected}\nrollups    {actual}");
                }
            }

            var figures = new FunctionFigures(store);
            var names = figures.Names();
            Assert.Equal(ReferenceNames(store), names.ToDictionary(n => n.Key, n => string.Join(",", n.Value.OrderBy(h => h, StringComparer.Ordinal))));
            foreach (var (name, hashes) in names)
            {
                var rollup = figures.Figures(hashes);
                foreach (var hash in hashes.Append(string.Empty))
                {
                    var expected = Reference(store, hash.Length == 0 ? hashes : new List<string> { hash });
                    Assert.Equal(Json(json => { json.WriteStartObject(); expected.Write(json); json.WriteEndObject(); }),
                        Json(json => { json.WriteStartObject(); rollup[hash].Write(json); json.WriteEndObject(); }));
                }
            }
        }

        /// <summary>The JSON with every number written as its value (a sum of dollars may carry trailing zeros, 0.00399180 = 0.0039918).</summary>
        private static string Canonical(string json)
        {
            static System.Text.Json.Nodes.JsonNode? Normal(System.Text.Json.Nodes.JsonNode? node) => node switch
            {
                System.Text.Json.Nodes.JsonObject o => new System.Text.Json.Nodes.JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Normal(p.Value)))),
                System.Text.Json.Nodes.JsonArray a => new System.Text.Json.Nodes.JsonArray(a.Select(Normal).ToArray()),
                System.Text.Json.Nodes.JsonValue v when v.GetValueKind() == JsonValueKind.Number => System.Text.Json.Nodes.JsonValue.Create(v.GetValue<decimal>() / 1.0000000000000000000000000000m),
                _ => node?.DeepClone(),
            };

            return Normal(System.Text.Json.Nodes.JsonNode.Parse(json))!.ToJsonString();
        }

        private static JsonElement Dashboard(TraceStore store, long start, long end, string? environment) =>
            JsonDocument.Parse(Json(json => new AnalyticsQuery(store).Write(json, start, end, null, environment))).RootElement.Clone();

        private static string Json(Action<Utf8JsonWriter> write)
        {
            using var stream = new MemoryStream();
            using (var json = new Utf8JsonWriter(stream))
            {
                write(json);
            }

            return Encoding.UTF8.GetString(stream.ToArray());
        }

        /// <summary>The names and hashes seen, from the spans (the query the functions list ran before the rollups).</summary>
        private static Dictionary<string, string> ReferenceNames(TraceStore store)
        {
            using var connection = store.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT DISTINCT COALESCE(version_name, name), version_hash FROM spans WHERE version_hash IS NOT NULL";
            var names = new Dictionary<string, List<string>>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                if (!names.TryGetValue(reader.GetString(0), out var hashes))
                {
                    hashes = new List<string>();
                    names[reader.GetString(0)] = hashes;
                }

                hashes.Add(reader.GetString(1));
            }

            return names.ToDictionary(n => n.Key, n => string.Join(",", n.Value.OrderBy(h => h, StringComparer.Ordinal)));
        }

        /// <summary>A version's figures from its spans: the queries FunctionFigures ran before the rollups.</summary>
        private static CallFigures Reference(TraceStore store, IReadOnlyList<string> hashes)
        {
            using var connection = store.Open();
            var sql = store.Engine.Sql;
            var costs = UsageQueries.Costs(connection, UsageQueries.VersionCallSpans(sql), new[] { new KeyValuePair<string, object>("@hashes", JsonSerializer.Serialize(hashes)) }, store.Prices);
            var cost = new CostEstimate();
            foreach (var hash in hashes)
            {
                if (costs.TryGetValue(hash, out var part))
                {
                    cost.Merge(part);
                }
            }

            var inHashes = $"version_hash IN (SELECT j.value FROM {sql.JsonArrayTable(SqlText.Of($"@hashes"), SqlText.Of($"j")).Text})";
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*), COALESCE(SUM(is_error), 0), MIN(start_ns), MAX(start_ns) FROM spans WHERE {inHashes}";
            command.Bind("@hashes", JsonSerializer.Serialize(hashes));
            long calls, errors;
            long? first = null, last = null;
            using (var reader = command.ExecuteReader())
            {
                reader.Read();
                calls = reader.GetInt64(0);
                errors = reader.GetInt64(1);
                if (!reader.IsDBNull(2))
                {
                    first = reader.GetInt64(2);
                    last = reader.GetInt64(3);
                }
            }

            double? Percentile(double p)
            {
                if (calls == 0)
                {
                    return null;
                }

                using var percentile = connection.CreateCommand();
                percentile.CommandText = $"SELECT end_ns - start_ns FROM spans WHERE {inHashes} ORDER BY end_ns - start_ns LIMIT 1 OFFSET @rank";
                percentile.Bind("@hashes", JsonSerializer.Serialize(hashes)).Bind("@rank", Math.Max(0, (long)Math.Ceiling(p * calls) - 1));
                return Convert.ToInt64(percentile.ExecuteScalar(), CultureInfo.InvariantCulture) / 1e6;
            }

            return new CallFigures { Calls = calls, Errors = errors, FirstSeenNs = first, LastSeenNs = last, P50Ms = Percentile(0.5), P95Ms = Percentile(0.95), Cost = cost };
        }

        private sealed record GeneratedTrace(string Environment, List<IngestSpan> Spans);

        /// <summary>
        /// A random trace: a tree of up to 9 spans around <see cref="Base"/> (across second, minute and hour boundaries), some
        /// calls of three versions, model calls (some repeated by an inner SDK span with the same response id), traced
        /// methods that returned a response, agent totals, errors, durations that repeat.
        /// </summary>
        private static GeneratedTrace Trace(Random random, string seed)
        {
            var traceId = TraceStoreTests.TraceIdOf(seed);
            var count = random.Next(1, 10);
            var start = Base + (long)(random.NextDouble() * 6e9) - (random.Next(5) == 0 ? 3_600_000_000_000L : 0);
            var spans = new List<IngestSpan>();
            var models = new[] { "gpt-4o-mini", "claude-3-5-haiku", "local-llama" };
            for (var i = 1; i <= count; i++)
            {
                int? parent = i == 1 ? null : random.Next(1, i);
                var at = start + (long)(random.NextDouble() * (random.Next(3) == 0 ? 3e9 : 2e8));
                var duration = random.Next(3) == 0 ? 50_000_000 : (long)(random.NextDouble() * 9e8);
                var attributes = new Dictionary<string, object>();
                switch (random.Next(7))
                {
                    case 0:
                    case 1:
                        var hash = "h" + random.Next(3);
                        attributes["mirascope.version.hash"] = hash;
                        attributes["mirascope.version.name"] = hash == "h2" && random.Next(2) == 0 ? "Other" : "Fn" + hash;
                        if (random.Next(3) == 0)
                        {
                            attributes["mirascope.response.usage"] = $"{{\"input_tokens\":{random.Next(500)},\"output_tokens\":{random.Next(100)}}}";
                        }

                        break;
                    case 2:
                    case 3:
                        var model = models[random.Next(models.Length)];
                        var responseId = "resp-" + random.Next(4);
                        var (input, output) = (random.Next(100, 2000), random.Next(10, 300));
                        attributes = Chat(model, input, output, responseId);
                        if (random.Next(2) == 0 && i < 9)
                        {
                            // The SDK's own span of the same call, inside (it may arrive before or after this one).
                            spans.Add(Span(traceId, i + 100, i, at + 1000, duration - 2000, Chat(model, input, output, responseId)));
                        }

                        break;
                    case 4:
                        attributes = Chat(models[random.Next(models.Length)], random.Next(3000), random.Next(300), null);
                        attributes["gen_ai.operation.name"] = "invoke_agent";
                        break;
                    case 5:
                        attributes["gen_ai.request.model"] = models[random.Next(models.Length)];   // names a model, reports no usage
                        break;
                }

                if (random.Next(6) == 0)
                {
                    attributes["error.type"] = "boom";
                }

                spans.Add(Span(traceId, i, parent, at, duration, attributes));
            }

            return new GeneratedTrace(random.Next(3) == 0 ? "env-b" : TraceEnvironments.Implicit, spans);
        }

        private static IngestSpan Resent(IngestSpan span, Random random) => new IngestSpan
        {
            TraceId = span.TraceId, SpanId = span.SpanId, ParentSpanId = span.ParentSpanId, Name = span.Name,
            StartNs = span.StartNs + random.Next(-2_000_000, 2_000_000), EndNs = span.EndNs + random.Next(0, 900_000_000),
            StatusCode = random.Next(2) == 0 ? 2 : 0, AttributesJson = span.AttributesJson, EventsJson = "[]", ResourceJson = "{}",
        };

        private static Dictionary<string, object> Chat(string model, long input, long output, string? responseId)
        {
            var attributes = new Dictionary<string, object>
            {
                ["gen_ai.provider.name"] = model.StartsWith("claude", StringComparison.Ordinal) ? "anthropic" : model.StartsWith("gpt", StringComparison.Ordinal) ? "openai" : "ollama",
                ["gen_ai.request.model"] = model,
                ["gen_ai.usage.input_tokens"] = input,
                ["gen_ai.usage.output_tokens"] = output,
            };
            if (responseId is not null)
            {
                attributes["gen_ai.response.id"] = responseId;
            }

            return attributes;
        }

        private static Dictionary<string, object> Attributes(params (string Key, object Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

        private static IngestSpan Span(string traceId, int id, int? parent, long start, long duration, Dictionary<string, object> attributes) => new IngestSpan
        {
            TraceId = traceId,
            SpanId = RichSpans.SpanId(id),
            ParentSpanId = parent is { } p ? RichSpans.SpanId(p) : null,
            Name = "span " + id,
            StartNs = start,
            EndNs = start + duration,
            AttributesJson = JsonSerializer.Serialize(attributes),
            EventsJson = "[]",
            ResourceJson = "{}",
        };
    }
}
