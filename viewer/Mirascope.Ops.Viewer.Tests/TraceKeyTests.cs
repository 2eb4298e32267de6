using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Mirascope.Ops.Viewer.Ingest;
using Mirascope.Ops.Viewer.Storage;
using Mirascope.Ops.Viewer.Storage.Retention;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests
{
    /// <summary>
    /// A trace belongs to its environment (docs/viewer.md): the store keys traces by (environment, trace id), so two
    /// environments each hold their own trace of one id, and what one stores, annotates or deletes never touches the other's.
    /// On both engines.
    /// </summary>
    public sealed class TraceKeyTests : IDisposable
    {
        private const string Other = "env-other";
        private const long Base = 1_772_366_400_000_000_000;   // 2026-03-01 12:00 UTC

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

        [Fact]
        public void A_trace_id_stored_by_two_environments_is_two_traces_and_deleting_one_leaves_the_other_whole()
        {
            var store = new TraceStore(TestStore.NewLocation(_folder));
            var id = TraceStoreTests.TraceIdOf("shared");
            store.Store(Spans(id, "implicit", 3), DateTimeOffset.UtcNow);
            var annotations = new AnnotationStore(store);
            Assert.Equal(AnnotationStore.Outcome.Created, annotations.Create(id, RichSpans.SpanId(1), new AnnotationChange { HasLabel = true, Label = "implicit-label" }, DateTimeOffset.UtcNow, TraceEnvironments.Implicit, out _));
            var implicitBefore = Snapshot(store, id, TraceEnvironments.Implicit);

            // The same ids (trace and spans) from another environment: its own trace, and the same span id annotated there too.
            store.Store(Spans(id, "other", 2), DateTimeOffset.UtcNow, Other);
            Assert.Equal(AnnotationStore.Outcome.Created, annotations.Create(id, RichSpans.SpanId(1), new AnnotationChange { HasLabel = true, Label = "other-label" }, DateTimeOffset.UtcNow, Other, out _));
            Assert.Equal((1L, 2L), TraceEnvironments.Count(store, Other));
            Assert.Equal((1L, 3L), TraceEnvironments.Count(store, TraceEnvironments.Implicit));
            Assert.Equal((2L, 5L), store.Count());
            Assert.Equal(new[] { "other span 1", "other span 2" }, SpanNames(store, id, Other));
            Assert.Equal(new[] { "implicit span 1", "implicit span 2", "implicit span 3" }, SpanNames(store, id, TraceEnvironments.Implicit));
            Assert.Equal(new[] { "other-label" }, annotations.List(id, null, null, 10, 0, Other).Select(a => a.Label));
            Assert.Equal(implicitBefore, Snapshot(store, id, TraceEnvironments.Implicit));

            // Deleting the other environment's trace (the page's ADMIN delete) leaves the implicit one as it was.
            Assert.Equal(new[] { id }, TraceDeletion.Delete(store, new[] { (id, (long?)null) }, Other));
            Assert.Equal((0L, 0L), TraceEnvironments.Count(store, Other));
            Assert.Empty(annotations.List(id, null, null, 10, 0, Other));
            Assert.Equal(new[] { "implicit-label" }, annotations.List(id, null, null, 10, 0, TraceEnvironments.Implicit).Select(a => a.Label));
            Assert.Equal(implicitBefore, Snapshot(store, id, TraceEnvironments.Implicit));
            Assert.Equal((1L, 3L), store.Count());
        }

        [Fact]
        public void Retention_deletes_one_projects_trace_of_a_shared_id_and_the_other_projects_stays_whole()
        {
            var store = new TraceStore(TestStore.NewLocation(_folder));
            var (_, chatty) = Retention.RetentionTests.Project(store, "chatty");
            var (_, quiet) = Retention.RetentionTests.Project(store, "quiet");
            var id = TraceStoreTests.TraceIdOf("shared-retention");
            var old = DateTimeOffset.UtcNow.AddDays(-10);
            store.Store(Spans(id, "quiet", 2), old, quiet);
            store.Store(Spans(id, "chatty", 4), old, chatty);
            var quietBefore = Snapshot(store, id, quiet);

            // Only the chatty project keeps traces for a day.
            new RetentionPolicies(store, new RetentionPolicy(null, null)).Set(ProjectOf(store, chatty), new RetentionPolicy(TimeSpan.FromDays(1), null), DateTimeOffset.UtcNow);
            var deleted = new RetentionRun(store, new RetentionPolicies(store, new RetentionPolicy(null, null))).RunOnce(DateTimeOffset.UtcNow);

            Assert.Equal(1, deleted);
            Assert.Equal((0L, 0L), TraceEnvironments.Count(store, chatty));
            Assert.Equal(quietBefore, Snapshot(store, id, quiet));
            Assert.Equal((1L, 2L), TraceEnvironments.Count(store, quiet));
        }

        [Fact]
        public void Single_developer_mode_on_a_store_used_with_accounts_shows_one_environments_trace_of_an_id_never_a_mix()
        {
            var store = new TraceStore(TestStore.NewLocation(_folder));
            var id = TraceStoreTests.TraceIdOf("held-twice");
            store.Store(Spans(id, "zeta", 2), DateTimeOffset.UtcNow, "env-zeta");
            store.Store(Spans(id, "alpha", 3), DateTimeOffset.UtcNow, "env-alpha");

            // No implicit trace of the id: the environment whose id sorts first.
            var detail = Document(store, id, null);
            Assert.Equal(new[] { "alpha span 1", "alpha span 2", "alpha span 3" }, detail.GetProperty("spans").EnumerateArray().Select(s => s.GetProperty("name").GetString()));

            // The implicit environment's, once it holds the id (it sorts first of all).
            store.Store(Spans(id, "implicit", 1), DateTimeOffset.UtcNow);
            detail = Document(store, id, null);
            Assert.Equal(new[] { "implicit span 1" }, detail.GetProperty("spans").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
            var cloud = Json(json => new CloudTraceQueries(store).WriteDetail(json, id));
            Assert.Equal(new[] { "implicit span 1" }, cloud.GetProperty("spans").EnumerateArray().Select(s => s.GetProperty("name").GetString()));

            // The list shows each environment's trace on its own row, with its own summary.
            var listed = Json(json => new TraceListQuery(store).Write(json, new TraceFilter())).GetProperty("traces").EnumerateArray()
                .Select(t => (t.GetProperty("traceId").GetString()!, t.GetProperty("spanCount").GetInt64())).OrderBy(t => t.Item2).ToArray();
            Assert.Equal(new[] { (id, 1L), (id, 2L), (id, 3L) }, listed);
        }

        [Fact]
        public void A_store_of_the_schema_before_the_trace_keys_opens_with_the_same_list_detail_search_annotations_and_figures()
        {
            var location = TestStore.NewLocation(_folder, "before-keys.db");
            var store = new TraceStore(location);
            var ids = new List<(string Environment, string TraceId)>();
            for (var i = 0; i < 12; i++)
            {
                var environment = i % 3 == 0 ? Other : TraceEnvironments.Implicit;
                var id = TraceStoreTests.TraceIdOf("migrated-" + i);
                store.Store(Spans(id, "migrated-" + i, 1 + i % 4, usage: i % 2 == 0), DateTimeOffset.UtcNow.AddMinutes(-i), environment);
                ids.Add((environment, id));
            }

            var annotations = new AnnotationStore(store);
            foreach (var (environment, id) in ids.Where((_, i) => i % 2 == 1))
            {
                Assert.Equal(AnnotationStore.Outcome.Created, annotations.Create(id, RichSpans.SpanId(1), new AnnotationChange { HasLabel = true, Label = "label-" + id[..6] }, DateTimeOffset.UtcNow, environment, out _));
            }

            var before = Answers(store, ids);
            long lastSequence = store.LatestSequence();
            using (var connection = store.Open())
            {
                using var command = connection.CreateCommand();
                command.CommandText = LaterSchemaSteps.UndoStoreCountsDrop + LaterSchemaSteps.UndoTraceKeys(TestStore.OnPostgres)
                    + (TestStore.OnPostgres ? "UPDATE mirascope_viewer_schema SET version = 9;" : "PRAGMA user_version = 11;");
                command.ExecuteNonQuery();
            }

            var reopened = new TraceStore(location);

            Assert.Equal(before, Answers(reopened, ids));
            // The new keys hold: the other environment stores its own trace of an implicit trace's id, which stays as it was.
            var (_, shared) = ids.First(t => t.Environment == TraceEnvironments.Implicit);
            var implicitTrace = Snapshot(reopened, shared, TraceEnvironments.Implicit);
            reopened.Store(Spans(shared, "after", 2), DateTimeOffset.UtcNow, Other);
            Assert.Equal(implicitTrace, Snapshot(reopened, shared, TraceEnvironments.Implicit));
            Assert.Equal(new[] { "after span 1", "after span 2" }, SpanNames(reopened, shared, Other));
            Assert.True(reopened.LatestSequence() > lastSequence, "sequence numbers go on from the migrated ones");
            // The text index follows the copied spans and the new ones alike.
            Assert.Equal(1, Json(json => new TraceListQuery(reopened).Write(json, new TraceFilter { Text = "after span 2" })).GetProperty("traces").GetArrayLength());
        }

        /// <summary>Everything a reader sees of the stored traces, as JSON text (list, each detail, a search, annotations, figures).</summary>
        private static string Answers(TraceStore store, IReadOnlyList<(string Environment, string TraceId)> ids)
        {
            var answers = new StringBuilder();
            foreach (var environment in new[] { null, TraceEnvironments.Implicit, Other })
            {
                answers.AppendLine(Written(json => new TraceListQuery(store).Write(json, new TraceFilter { EnvironmentId = environment })));
                answers.AppendLine(Written(json => new TraceListQuery(store).Write(json, new TraceFilter { EnvironmentId = environment, Text = "migrated-1" })));
                answers.AppendLine(Written(json => new SpanSearchQuery(store).Write(json, new SpanSearch { StartNs = 0, EndNs = long.MaxValue, EnvironmentId = environment, NameTokens = new[] { "span" } })));
                answers.AppendLine(Written(json => new AnalyticsQuery(store).Write(json, Base - 3_600_000_000_000, Base + 3_600_000_000_000, null, environment)));
                answers.AppendLine(JsonSerializer.Serialize(new AnnotationStore(store).List(null, null, null, 100, 0, environment).Select(a => (a.Id, a.TraceId, a.SpanId, a.Label)).ToList()));
            }

            foreach (var (environment, id) in ids)
            {
                answers.AppendLine(Written(json => new TraceDocument(store).Write(json, id, environment)));
                answers.AppendLine(Written(json => new CloudTraceQueries(store).WriteDetail(json, id, environment)));
            }

            answers.AppendLine(store.Count().ToString());
            return answers.ToString();
        }

        /// <summary>One environment's trace as stored: its summary row, its spans and its annotations.</summary>
        private static string Snapshot(TraceStore store, string traceId, string environmentId) =>
            Written(json => new TraceDocument(store).Write(json, traceId, environmentId))
            + JsonSerializer.Serialize(Rows(store, SqlText.Of($@"SELECT root_name, start_ns, end_ns, span_count, error_count, input_tokens, output_tokens, last_seq, received_ms, size_bytes
                FROM traces WHERE environment_id = @environment AND trace_id = @trace"), traceId, environmentId))
            + JsonSerializer.Serialize(TraceEnvironments.Count(store, environmentId));

        private static string[] SpanNames(TraceStore store, string traceId, string environmentId) =>
            Rows(store, SqlText.Of($"SELECT name FROM spans WHERE environment_id = @environment AND trace_id = @trace ORDER BY name"), traceId, environmentId).Select(r => (string)r[0]!).ToArray();

        private static List<object?[]> Rows(TraceStore store, SqlText sql, string traceId, string environmentId)
        {
            using var connection = store.Open();
            using var command = SqlCommands.Create(connection, sql);
            command.Bind("@environment", environmentId).Bind("@trace", traceId);
            using var reader = command.ExecuteReader();
            var rows = new List<object?[]>();
            while (reader.Read())
            {
                var row = new object?[reader.FieldCount];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i) is long or int ? Convert.ToInt64(reader.GetValue(i)) : reader.GetValue(i);
                }

                rows.Add(row);
            }

            return rows;
        }

        private static string ProjectOf(TraceStore store, string environmentId)
        {
            using var connection = store.Open();
            using var command = SqlCommands.Create(connection, SqlText.Of($"SELECT project_id FROM environments WHERE id = @environment"));
            command.Bind("@environment", environmentId);
            return (string)command.ExecuteScalar()!;
        }

        /// <summary>A trace of <paramref name="count"/> spans named "<paramref name="prefix"/> span n", the first the root; with usage, each a model call.</summary>
        private static List<IngestSpan> Spans(string traceId, string prefix, int count, bool usage = false) =>
            Enumerable.Range(1, count).Select(n => new IngestSpan
            {
                TraceId = traceId,
                SpanId = RichSpans.SpanId(n),
                ParentSpanId = n == 1 ? null : RichSpans.SpanId(1),
                Name = $"{prefix} span {n}",
                Kind = 1,
                StartNs = Base + n * 1_000_000L,
                EndNs = Base + n * 1_000_000L + 500_000,
                StatusCode = n == 2 ? 2 : 0,
                AttributesJson = JsonSerializer.Serialize(usage
                    ? new Dictionary<string, object> { ["gen_ai.provider.name"] = "openai", ["gen_ai.request.model"] = "gpt-4o-mini", ["gen_ai.usage.input_tokens"] = 100 * n, ["gen_ai.usage.output_tokens"] = 10 * n, ["mirascope.version.hash"] = "h-" + prefix }
                    : new Dictionary<string, object> { ["mirascope.trace.arg_values"] = prefix + " input" }),
                EventsJson = "[]",
                ResourceJson = "{}",
            }).ToList();

        private static JsonElement Document(TraceStore store, string traceId, string? environmentId) => Json(json => Assert.True(new TraceDocument(store).Write(json, traceId, environmentId)));

        private static JsonElement Json(Action<Utf8JsonWriter> write) => JsonDocument.Parse(Written(write)).RootElement.Clone();

        private static string Written(Action<Utf8JsonWriter> write)
        {
            using var stream = new MemoryStream();
            using (var json = new Utf8JsonWriter(stream))
            {
                write(json);
            }

            return Encoding.UTF8.GetString(stream.ToArray());
        }
    }
}
