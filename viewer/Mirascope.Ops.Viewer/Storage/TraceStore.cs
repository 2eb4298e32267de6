using System;
using System.Collections.Generic;
using System.Linq;
using System.Globalization;
using System.IO;
using System.Text.Json;
using System.Data.Common;
using Mirascope.Ops.Viewer.Cost;
using Mirascope.Ops.Viewer.Ingest;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>
    /// The span store, on either engine (<see cref="IStoreEngine"/>): one request's spans are written in one transaction
    /// together with the summaries of the traces they belong to, so a reader never sees half a request, and the request is
    /// answered only after that transaction committed. Writers of the same trace (in this process or another sharing the
    /// database) follow one another: the engine's write lock for those traces is taken before anything is read.
    /// </summary>
    internal sealed class TraceStore
    {
        /// <summary>Opens the store a <c>--store</c> value names: a PostgreSQL connection string, or a SQLite file path.</summary>
        public TraceStore(string location, PriceTable? prices = null)
            : this(StoreEngines.Create(location), prices)
        {
        }

        public TraceStore(IStoreEngine engine, PriceTable? prices = null)
        {
            Engine = engine;
            Prices = prices ?? PriceTable.Load();
            Engine.CreateOrMigrate(RecomputeAllTraces);
        }

        /// <summary>The database engine and its dialect; the other stores on the same database use it.</summary>
        public IStoreEngine Engine { get; }

        /// <summary>Where the spans are (a file path, or a connection string without its password).</summary>
        public string Description => Engine.Description;

        /// <summary>Prices the stored token counts whenever a cost is read.</summary>
        public PriceTable Prices { get; }

        /// <summary>
        /// Stores the spans (a span sent again replaces the earlier copy) in <paramref name="environmentId"/> and updates their
        /// traces' summaries. A trace is its environment's: spans under a trace id another environment holds too make this
        /// environment's own trace, and the other's is not touched (docs/viewer.md, "A trace belongs to its environment").
        /// </summary>
        public void Store(IReadOnlyList<IngestSpan> spans, DateTimeOffset receivedAt, string environmentId = TraceEnvironments.Implicit)
        {
            if (spans.Count == 0)
            {
                return;
            }

            var received = receivedAt.ToUnixTimeMilliseconds();
            var traceIds = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var span in spans)
            {
                traceIds.Add(span.TraceId);
            }

            var sql = Engine.Sql;
            using var connection = Open();
            using var transaction = Engine.BeginWrite(connection, traceIds);   // the traces' write locks, before anything is read
            var rollupsBefore = Rollups.Read(connection, transaction, sql, environmentId, traceIds);
            // Every span and trace statement in one round trip where the engine batches (SqlBatch).
            using var writes = new SqlBatch(connection, transaction);
            SpanWrites.Add(writes, sql, spans, received, environmentId);
            RepeatedCalls.Mark(writes, sql, environmentId, traceIds);
            UpdateSummaries(writes, traceIds, environmentId);   // with the traces' environment and size (Retention.TraceSizes)

            writes.Execute();
            // After the marks: a span of this batch may have moved the mark of one stored earlier.
            Rollups.Apply(connection, transaction, rollupsBefore, Rollups.Read(connection, transaction, sql, environmentId, traceIds));
            transaction.Commit();
        }

        /// <summary>The sequence number of the newest stored span (0 when empty); it grows with every span written by any process.</summary>
        public long LatestSequence()
        {
            using var connection = Open();
            return LatestSequence(connection);
        }

        /// <summary>How many traces and spans are stored.</summary>
        public (long Traces, long Spans) Count()
        {
            using var connection = Open();
            using var command = connection.CreateCommand();
            // The counts kept at ingest (Rollups), not COUNT(*): that reads every row, seconds at millions of spans.
            command.SetText(SqlText.Of($"SELECT COALESCE(SUM(traces), 0), COALESCE(SUM(spans), 0) FROM environment_counts"));
            using var reader = command.ExecuteReader();
            reader.Read();
            return (reader.GetInt64(0), reader.GetInt64(1));
        }

        /// <summary>
        /// Writes the summaries of the traces of <paramref name="traceIds"/> from their stored spans: one statement for all of
        /// them (a request's traces used to be one statement each: ~50 per request, issue 28). Each figure is taken per trace
        /// as it was by one statement per trace: the root and the first session by a ranking with a unique last key
        /// (<c>seq</c>), the tags by the same ordered distinct list.
        /// </summary>
        private void UpdateSummaries(SqlBatch batch, IEnumerable<string> traceIds, string environmentId)
        {
            var sql = Engine.Sql;
            var inTraces = SqlText.Of($"s.environment_id = @environment AND {sql.IsOneOf(SqlText.Of($"s.trace_id"), SqlText.Of($"@ids"))}");
            // The root is the span without a parent; while it has not arrived yet, the earliest span whose parent is not
            // (yet) stored stands in, so a trace is listed as soon as any of its spans is. When every span has a stored
            // parent, the parent links loop (A under B under A, or a span its own parent): the earliest span is named then.
            // mine: the traces' spans, read once by the root, the sums and the first session. Reading the parent test from it
            // rather than from spans keeps the plan to the request's rows even where PostgreSQL's statistics still say spans is
            // small (a fresh store), which planned a scan of the whole table per request.
            var command = batch.Add(SqlText.Of($@"
                WITH mine AS (
                    SELECT s.trace_id, s.span_id, s.parent_span_id, s.name, s.service_name, s.status_code, s.start_ns, s.end_ns, s.seq, s.is_error,
                        s.usage_source, s.counted_by, s.input_tokens, s.output_tokens, s.received_ms, s.session_id, {Retention.TraceSizes.SpanSize} AS size_bytes
                    FROM spans s WHERE {inTraces}),
                root AS (
                    SELECT r.trace_id, r.span_id, r.name, r.service_name, r.status_code FROM (
                        SELECT m.trace_id, m.span_id, m.name, m.service_name, m.status_code,
                            ROW_NUMBER() OVER (PARTITION BY m.trace_id ORDER BY (m.parent_span_id IS NULL) DESC,
                                NOT EXISTS (SELECT 1 FROM mine p WHERE p.trace_id = m.trace_id AND p.span_id = m.parent_span_id) DESC,
                                m.start_ns, m.seq) AS rank
                        FROM mine m) r
                    WHERE r.rank = 1),
                agg AS (
                    SELECT trace_id, MIN(start_ns) AS start_ns, MAX(end_ns) AS end_ns, COUNT(*) AS span_count, SUM(is_error) AS error_count,
                        -- the model calls (gen_ai.usage.*) when the trace has any, else the traced methods that returned a response;
                        -- a span that repeats a call another span counts (counted_by) is left out
                        CASE WHEN SUM(CASE WHEN usage_source = 1 THEN 1 ELSE 0 END) > 0 THEN SUM(CASE WHEN usage_source = 1 AND counted_by IS NULL THEN input_tokens END) ELSE SUM(input_tokens) END AS input_tokens,
                        CASE WHEN SUM(CASE WHEN usage_source = 1 THEN 1 ELSE 0 END) > 0 THEN SUM(CASE WHEN usage_source = 1 AND counted_by IS NULL THEN output_tokens END) ELSE SUM(output_tokens) END AS output_tokens, MAX(seq) AS last_seq, MAX(received_ms) AS received_ms,
                        SUM(size_bytes) AS size_bytes
                    FROM mine GROUP BY trace_id),
                first_session AS (
                    SELECT f.trace_id, f.session_id FROM (
                        SELECT m.trace_id, m.session_id, ROW_NUMBER() OVER (PARTITION BY m.trace_id ORDER BY m.start_ns, m.seq) AS rank
                        FROM mine m WHERE m.session_id IS NOT NULL) f
                    WHERE f.rank = 1)
                INSERT INTO traces (trace_id, root_span_id, root_name, service_name, root_status, start_ns, end_ns, span_count, error_count,
                    session_id, tags, input_tokens, output_tokens, last_seq, received_ms, environment_id, size_bytes)
                SELECT agg.trace_id, root.span_id, root.name, root.service_name, COALESCE(root.status_code, 0), agg.start_ns, agg.end_ns, agg.span_count,
                    agg.error_count, first_session.session_id,
                    NULLIF((SELECT {sql.JsonArrayAgg(SqlText.Of($"d.value"))} FROM (
                        SELECT DISTINCT j.value AS value FROM spans t, {sql.JsonArrayTable(SqlText.Of($"t.tags"), SqlText.Of($"j"))}
                        WHERE t.environment_id = @environment AND t.trace_id = agg.trace_id AND t.tags IS NOT NULL ORDER BY j.value) d), '[]'),
                    agg.input_tokens, agg.output_tokens, agg.last_seq, agg.received_ms, @environment, COALESCE(agg.size_bytes, 0)
                FROM agg LEFT JOIN root ON root.trace_id = agg.trace_id LEFT JOIN first_session ON first_session.trace_id = agg.trace_id
                WHERE 1 = 1
                ON CONFLICT (environment_id, trace_id) DO UPDATE SET root_span_id = excluded.root_span_id, root_name = excluded.root_name,
                    service_name = excluded.service_name, root_status = excluded.root_status, start_ns = excluded.start_ns, end_ns = excluded.end_ns,
                    span_count = excluded.span_count, error_count = excluded.error_count, session_id = excluded.session_id, tags = excluded.tags,
                    input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens, last_seq = excluded.last_seq, received_ms = excluded.received_ms,
                    size_bytes = excluded.size_bytes"));
            // WHERE 1 = 1: SQLite reads ON CONFLICT after a SELECT with a join as the join's ON without it. Every trace of the
            // call is in @environment: a trace is its environment's (keyed by environment and trace id).
            command.Bind("@ids", JsonSerializer.Serialize(traceIds)).Bind("@environment", environmentId);
        }

        /// <summary>Marks the repeated calls and computes the summary and rollups of every stored trace again (after a migration filled span columns in).</summary>
        private void RecomputeAllTraces(DbConnection connection, DbTransaction transaction)
        {
            var traces = new List<(string Environment, string TraceId)>();
            using (var all = SqlCommands.Create(connection, SqlText.Of($"SELECT environment_id, trace_id FROM traces"), transaction))
            {
                using var reader = all.ExecuteReader();
                while (reader.Read())
                {
                    traces.Add((reader.GetString(0), reader.GetString(1)));
                }
            }

            using var batch = new SqlBatch(connection, transaction);
            foreach (var (environmentId, traceId) in traces)
            {
                RepeatedCalls.Mark(batch, Engine.Sql, environmentId, new[] { traceId });
                UpdateSummaries(batch, new[] { traceId }, environmentId);
                batch.Execute();   // one trace at a time: a large store's migration builds no unbounded batch
            }

            Rollups.Rebuild(connection, transaction, Engine.Sql);   // the marks may have moved
        }

        /// <summary>An open connection to the store's database, for the other stores on the same database.</summary>
        public DbConnection Open() => Engine.Open();

        /// <summary>The sequence number of the newest stored span, on an open connection (the trace list reads it with the page).</summary>
        internal static long LatestSequence(DbConnection connection)
        {
            using var command = connection.CreateCommand();
            command.SetText(SqlText.Of($"SELECT COALESCE(MAX(seq), 0) FROM spans"));
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
    }
}
