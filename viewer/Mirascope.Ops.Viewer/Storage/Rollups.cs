using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Linq;
using System.Text.Json;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>
    /// Rollup tables kept at ingest, so the status counts, the functions list and page and the dashboard read a few rows
    /// instead of every span: <c>function_calls</c> (calls and errors of each
    /// version hash and name), <c>function_durations</c> (a histogram of the calls' durations, <see cref="DurationBuckets"/>)
    /// and <c>function_usage</c> (the token counts below each version's calls by usage source, provider and model), keyed by
    /// environment and by a shard of the trace id (so concurrent writers on PostgreSQL seldom wait for one row); and for the
    /// dashboard (<see cref="DashboardFigures"/>), per time bucket (<see cref="TimeBuckets"/>) and environment:
    /// <c>span_buckets</c> (spans, errors, the sum of durations, traces whose first span starts there),
    /// <c>span_bucket_durations</c> (the duration histogram), <c>span_bucket_usage</c> (token counts and model calls by
    /// usage source, provider, model and whether the trace has a model call span), <c>span_bucket_functions</c> (spans of
    /// each version hash), and <c>trace_lengths</c> (traces by the bit length of the time between their first and last
    /// span's start, which bounds how far before a period a trace with spans in it can start); and <c>environment_counts</c>
    /// (traces and spans stored in each environment, by shard: what accounts mode's <c>/api/status</c> and live-events number
    /// read, <see cref="TraceEnvironments.Count"/>, and, summed, the store's counts, <see cref="TraceStore.Count"/>).
    /// <para>
    /// <b>The contract</b>: the tables always equal what <see cref="TraceRollup.Of"/> gives for the spans stored, because
    /// every change of a trace's spans changes them in the same write transaction: the writer (<see cref="TraceStore.Store"/>)
    /// reads the traces' rollups before it writes and after (after <see cref="RepeatedCalls.Mark"/>, which may move the
    /// marks of spans stored earlier) and adds the difference (<see cref="Apply"/>). <b>Whoever deletes spans</b> (retention,
    /// deleting a trace) must call <see cref="Subtract"/> with the traces whose spans it deletes, inside its write
    /// transaction (one from <see cref="IStoreEngine.BeginWrite"/> holding those traces' locks) and before the spans are
    /// deleted; whoever deletes only some spans of a trace uses <see cref="Read"/> before and after and <see cref="Apply"/>.
    /// A schema migration that changes span columns the rollups read calls <see cref="Rebuild"/>.
    /// </para>
    /// </summary>
    internal static class Rollups
    {
        // Indexes into TraceRollup.Rows and Tables.
        public const int FunctionCalls = 0;
        public const int FunctionDurations = 1;
        public const int FunctionUsage = 2;
        public const int SpanBuckets = 3;
        public const int SpanBucketDurations = 4;
        public const int SpanBucketUsage = 5;
        public const int SpanBucketFunctions = 6;
        public const int TraceLengths = 7;
        public const int EnvironmentCounts = 8;

        /// <summary>
        /// The store's counts were also kept in <c>store_counts</c> until PostgreSQL's schema 11 (SQLite's 13): every request
        /// upserted most of its 16 shard rows, the same figures as the sum of <c>environment_counts</c>, so concurrent
        /// requests waited for each other's commit there (issue 28). That step drops it; the counts are read from
        /// <c>environment_counts</c> (<see cref="TraceStore.Count"/>).
        /// </summary>
        public static readonly SqlText DropStoreCounts = SqlText.Of($"DROP TABLE IF EXISTS store_counts;");

        /// <summary>
        /// The traces and spans of each environment (SQLite's schema 10, PostgreSQL's 7; part of <see cref="Create"/> too, so a
        /// store created or given the rollups at once has it from the start).
        /// </summary>
        public static readonly SqlText CreateEnvironmentCounts = SqlText.Of($@"CREATE TABLE IF NOT EXISTS environment_counts (
                environment_id TEXT NOT NULL, shard INTEGER NOT NULL, traces BIGINT NOT NULL, spans BIGINT NOT NULL,
                PRIMARY KEY (environment_id, shard));");

        /// <summary>The tables and the indexes their readers use: one text for both engines (SQLite's BIGINT is an INTEGER).</summary>
        public static readonly SqlText Create = SqlText.Of($@"
            CREATE TABLE IF NOT EXISTS function_calls (
                environment_id TEXT NOT NULL, shard INTEGER NOT NULL, version_hash TEXT NOT NULL, name TEXT NOT NULL,
                calls BIGINT NOT NULL, errors BIGINT NOT NULL,
                PRIMARY KEY (version_hash, name, environment_id, shard));
            CREATE TABLE IF NOT EXISTS function_durations (
                environment_id TEXT NOT NULL, shard INTEGER NOT NULL, version_hash TEXT NOT NULL, bucket INTEGER NOT NULL, calls BIGINT NOT NULL,
                PRIMARY KEY (version_hash, bucket, environment_id, shard));
            CREATE TABLE IF NOT EXISTS function_usage (
                environment_id TEXT NOT NULL, shard INTEGER NOT NULL, version_hash TEXT NOT NULL, usage_source INTEGER NOT NULL,
                provider TEXT NOT NULL, model TEXT NOT NULL, spans BIGINT NOT NULL, input_tokens BIGINT NOT NULL, output_tokens BIGINT NOT NULL,
                cache_read_tokens BIGINT NOT NULL, cache_write_tokens BIGINT NOT NULL,
                PRIMARY KEY (version_hash, usage_source, provider, model, environment_id, shard));
            CREATE TABLE IF NOT EXISTS span_buckets (
                level INTEGER NOT NULL, bucket BIGINT NOT NULL, environment_id TEXT NOT NULL,
                spans BIGINT NOT NULL, errors BIGINT NOT NULL, duration_high BIGINT NOT NULL, duration_low BIGINT NOT NULL, traces_started BIGINT NOT NULL,
                PRIMARY KEY (level, bucket, environment_id));
            CREATE TABLE IF NOT EXISTS span_bucket_durations (
                level INTEGER NOT NULL, bucket BIGINT NOT NULL, environment_id TEXT NOT NULL, duration_bucket INTEGER NOT NULL, spans BIGINT NOT NULL,
                PRIMARY KEY (level, bucket, environment_id, duration_bucket));
            CREATE TABLE IF NOT EXISTS span_bucket_usage (
                level INTEGER NOT NULL, bucket BIGINT NOT NULL, environment_id TEXT NOT NULL, usage_source INTEGER NOT NULL, provider TEXT NOT NULL, model TEXT NOT NULL,
                trace_has_model_calls INTEGER NOT NULL, spans BIGINT NOT NULL, input_tokens BIGINT NOT NULL, output_tokens BIGINT NOT NULL,
                cache_read_tokens BIGINT NOT NULL, cache_write_tokens BIGINT NOT NULL,
                PRIMARY KEY (level, bucket, environment_id, usage_source, provider, model, trace_has_model_calls));
            CREATE TABLE IF NOT EXISTS span_bucket_functions (
                level INTEGER NOT NULL, bucket BIGINT NOT NULL, environment_id TEXT NOT NULL, version_hash TEXT NOT NULL, name TEXT NOT NULL, spans BIGINT NOT NULL,
                PRIMARY KEY (level, bucket, environment_id, version_hash, name));
            CREATE TABLE IF NOT EXISTS trace_lengths (
                environment_id TEXT NOT NULL, length_bits INTEGER NOT NULL, traces BIGINT NOT NULL,
                PRIMARY KEY (environment_id, length_bits));
            {CreateEnvironmentCounts}
            CREATE INDEX IF NOT EXISTS spans_by_duration ON spans ((end_ns - start_ns), start_ns, environment_id);
            CREATE INDEX IF NOT EXISTS spans_by_version_start ON spans (version_hash, start_ns) WHERE version_hash IS NOT NULL;
            CREATE INDEX IF NOT EXISTS spans_by_version_duration ON spans (version_hash, (end_ns - start_ns)) WHERE version_hash IS NOT NULL;
            DROP INDEX IF EXISTS spans_by_version;");

        /// <summary>
        /// Per table: the upsert that adds a row's values (the same ON CONFLICT text on both engines) and the delete of a row
        /// left empty (its first value, a count of spans, is 0). Parameters: <c>@k0..</c> the key, <c>@v0..</c> the values.
        /// </summary>
        internal static readonly (SqlText Upsert, SqlText DeleteEmpty, int Keys, int Values)[] Tables =
        {
            (SqlText.Of($@"INSERT INTO function_calls (environment_id, shard, version_hash, name, calls, errors) VALUES (@k0, @k1, @k2, @k3, @v0, @v1)
                ON CONFLICT (version_hash, name, environment_id, shard) DO UPDATE SET calls = function_calls.calls + excluded.calls, errors = function_calls.errors + excluded.errors"),
             SqlText.Of($"DELETE FROM function_calls WHERE environment_id = @k0 AND shard = @k1 AND version_hash = @k2 AND name = @k3 AND calls = 0"), 4, 2),
            (SqlText.Of($@"INSERT INTO function_durations (environment_id, shard, version_hash, bucket, calls) VALUES (@k0, @k1, @k2, @k3, @v0)
                ON CONFLICT (version_hash, bucket, environment_id, shard) DO UPDATE SET calls = function_durations.calls + excluded.calls"),
             SqlText.Of($"DELETE FROM function_durations WHERE environment_id = @k0 AND shard = @k1 AND version_hash = @k2 AND bucket = @k3 AND calls = 0"), 4, 1),
            (SqlText.Of($@"INSERT INTO function_usage (environment_id, shard, version_hash, usage_source, provider, model, spans, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens)
                VALUES (@k0, @k1, @k2, @k3, @k4, @k5, @v0, @v1, @v2, @v3, @v4)
                ON CONFLICT (version_hash, usage_source, provider, model, environment_id, shard) DO UPDATE SET spans = function_usage.spans + excluded.spans,
                    input_tokens = function_usage.input_tokens + excluded.input_tokens, output_tokens = function_usage.output_tokens + excluded.output_tokens,
                    cache_read_tokens = function_usage.cache_read_tokens + excluded.cache_read_tokens, cache_write_tokens = function_usage.cache_write_tokens + excluded.cache_write_tokens"),
             SqlText.Of($@"DELETE FROM function_usage WHERE environment_id = @k0 AND shard = @k1 AND version_hash = @k2 AND usage_source = @k3 AND provider = @k4 AND model = @k5
                AND spans = 0"), 6, 5),
            (SqlText.Of($@"INSERT INTO span_buckets (level, bucket, environment_id, spans, errors, duration_high, duration_low, traces_started) VALUES (@k0, @k1, @k2, @v0, @v1, @v2, @v3, @v4)
                ON CONFLICT (level, bucket, environment_id) DO UPDATE SET spans = span_buckets.spans + excluded.spans, errors = span_buckets.errors + excluded.errors,
                    duration_high = span_buckets.duration_high + excluded.duration_high, duration_low = span_buckets.duration_low + excluded.duration_low,
                    traces_started = span_buckets.traces_started + excluded.traces_started"),
             SqlText.Of($"DELETE FROM span_buckets WHERE level = @k0 AND bucket = @k1 AND environment_id = @k2 AND spans = 0"), 3, 5),
            (SqlText.Of($@"INSERT INTO span_bucket_durations (level, bucket, environment_id, duration_bucket, spans) VALUES (@k0, @k1, @k2, @k3, @v0)
                ON CONFLICT (level, bucket, environment_id, duration_bucket) DO UPDATE SET spans = span_bucket_durations.spans + excluded.spans"),
             SqlText.Of($"DELETE FROM span_bucket_durations WHERE level = @k0 AND bucket = @k1 AND environment_id = @k2 AND duration_bucket = @k3 AND spans = 0"), 4, 1),
            (SqlText.Of($@"INSERT INTO span_bucket_usage (level, bucket, environment_id, usage_source, provider, model, trace_has_model_calls, spans, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens)
                VALUES (@k0, @k1, @k2, @k3, @k4, @k5, @k6, @v0, @v1, @v2, @v3, @v4)
                ON CONFLICT (level, bucket, environment_id, usage_source, provider, model, trace_has_model_calls) DO UPDATE SET spans = span_bucket_usage.spans + excluded.spans,
                    input_tokens = span_bucket_usage.input_tokens + excluded.input_tokens, output_tokens = span_bucket_usage.output_tokens + excluded.output_tokens,
                    cache_read_tokens = span_bucket_usage.cache_read_tokens + excluded.cache_read_tokens, cache_write_tokens = span_bucket_usage.cache_write_tokens + excluded.cache_write_tokens"),
             SqlText.Of($@"DELETE FROM span_bucket_usage WHERE level = @k0 AND bucket = @k1 AND environment_id = @k2 AND usage_source = @k3 AND provider = @k4 AND model = @k5
                AND trace_has_model_calls = @k6 AND spans = 0"), 7, 5),
            (SqlText.Of($@"INSERT INTO span_bucket_functions (level, bucket, environment_id, version_hash, name, spans) VALUES (@k0, @k1, @k2, @k3, @k4, @v0)
                ON CONFLICT (level, bucket, environment_id, version_hash, name) DO UPDATE SET spans = span_bucket_functions.spans + excluded.spans"),
             SqlText.Of($"DELETE FROM span_bucket_functions WHERE level = @k0 AND bucket = @k1 AND environment_id = @k2 AND version_hash = @k3 AND name = @k4 AND spans = 0"), 5, 1),
            (SqlText.Of($@"INSERT INTO trace_lengths (environment_id, length_bits, traces) VALUES (@k0, @k1, @v0)
                ON CONFLICT (environment_id, length_bits) DO UPDATE SET traces = trace_lengths.traces + excluded.traces"),
             SqlText.Of($"DELETE FROM trace_lengths WHERE environment_id = @k0 AND length_bits = @k1 AND traces = 0"), 2, 1),
            (SqlText.Of($@"INSERT INTO environment_counts (environment_id, shard, traces, spans) VALUES (@k0, @k1, @v0, @v1)
                ON CONFLICT (environment_id, shard) DO UPDATE SET traces = environment_counts.traces + excluded.traces, spans = environment_counts.spans + excluded.spans"),
             SqlText.Of($"DELETE FROM environment_counts WHERE environment_id = @k0 AND shard = @k1 AND traces = 0 AND spans = 0"), 2, 2),
        };

        private static readonly string[] KeyNames = { "@k0", "@k1", "@k2", "@k3", "@k4", "@k5", "@k6" };
        private static readonly string[] ValueNames = { "@v0", "@v1", "@v2", "@v3", "@v4" };

        /// <summary>
        /// The rollups of the environment's traces as their spans are stored now (in the caller's transaction); a trace without
        /// spans has none. A trace is its environment's: spans of another environment under the same ids are not read.
        /// </summary>
        public static Dictionary<string, TraceRollup> Read(DbConnection connection, DbTransaction transaction, SqlDialect sql, string environmentId, IReadOnlyCollection<string> traceIds)
        {
            var spans = new Dictionary<string, (string Environment, List<TraceRollup.Span> Spans)>(StringComparer.Ordinal);
            using (var command = SqlCommands.Create(connection, SqlText.Of($@"SELECT trace_id, environment_id, span_id, parent_span_id, start_ns, end_ns, is_error, usage_source,
                    provider, model, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, counted_by, version_hash, COALESCE(version_name, name)
                FROM spans WHERE environment_id = @environment AND {sql.IsOneOf(SqlText.Of($"trace_id"), SqlText.Of($"@ids"))}"), transaction))
            {
                command.Bind("@environment", environmentId).Bind("@ids", JsonSerializer.Serialize(traceIds));
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    var traceId = reader.GetString(0);
                    if (!spans.TryGetValue(traceId, out var trace))
                    {
                        trace = (reader.GetString(1), new List<TraceRollup.Span>());
                        spans[traceId] = trace;
                    }

                    string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
                    long? Number(int i) => reader.IsDBNull(i) ? null : reader.GetInt64(i);
                    trace.Spans.Add(new TraceRollup.Span(reader.GetString(2), Text(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt32(6) != 0, reader.GetInt32(7),
                        Text(8), Text(9), Number(10), Number(11), Number(12), Number(13), Text(14), Text(15), reader.GetString(16)));
                }
            }

            var rollups = new Dictionary<string, TraceRollup>(StringComparer.Ordinal);
            foreach (var traceId in traceIds)
            {
                rollups[traceId] = spans.TryGetValue(traceId, out var trace) ? TraceRollup.Of(traceId, trace.Environment, trace.Spans) : new TraceRollup();
            }

            return rollups;
        }

        /// <summary>
        /// Adds to the tables what the traces' spans changed: <paramref name="after"/> less <paramref name="before"/> (both from
        /// <see cref="Read"/>, in this transaction). Rows are written in one order (table, key), so two writers on PostgreSQL
        /// updating the same rows wait for each other rather than deadlock.
        /// </summary>
        public static void Apply(DbConnection connection, DbTransaction transaction, IReadOnlyDictionary<string, TraceRollup> before, IReadOnlyDictionary<string, TraceRollup> after)
        {
            var delta = new TraceRollup();
            foreach (var (traceId, now) in after)
            {
                delta.Merge(before.TryGetValue(traceId, out var then) ? now.Minus(then) : now);
            }

            foreach (var (traceId, then) in before)
            {
                if (!after.ContainsKey(traceId))
                {
                    delta.Merge(new TraceRollup().Minus(then));
                }
            }

            Write(connection, transaction, delta);
        }

        /// <summary>
        /// Takes the traces' spans out of the rollups: call it in the deleter's write transaction, holding the traces' locks,
        /// before the spans are deleted (see the contract above).
        /// </summary>
        public static void Subtract(DbConnection connection, DbTransaction transaction, SqlDialect sql, string environmentId, IReadOnlyCollection<string> traceIds)
        {
            Apply(connection, transaction, Read(connection, transaction, sql, environmentId, traceIds), new Dictionary<string, TraceRollup>());
        }

        /// <summary>Empties the tables and builds them again from every stored span (a schema migration; the caller holds the write lock).</summary>
        public static void Rebuild(DbConnection connection, DbTransaction transaction, SqlDialect sql)
        {
            using (var clear = SqlCommands.Create(connection, SqlText.Of($@"DELETE FROM function_calls; DELETE FROM function_durations; DELETE FROM function_usage;
                DELETE FROM span_buckets; DELETE FROM span_bucket_durations; DELETE FROM span_bucket_usage; DELETE FROM span_bucket_functions; DELETE FROM trace_lengths;
                DELETE FROM environment_counts;"), transaction))
            {
                clear.ExecuteNonQuery();
            }

            var traces = new List<(string Environment, string TraceId)>();
            using (var all = SqlCommands.Create(connection, SqlText.Of($"SELECT DISTINCT environment_id, trace_id FROM spans"), transaction))
            {
                using var reader = all.ExecuteReader();
                while (reader.Read())
                {
                    traces.Add((reader.GetString(0), reader.GetString(1)));
                }
            }

            foreach (var environment in traces.GroupBy(t => t.Environment, StringComparer.Ordinal))
            {
                foreach (var batch in environment.Select(t => t.TraceId).Chunk(500))
                {
                    Apply(connection, transaction, new Dictionary<string, TraceRollup>(), Read(connection, transaction, sql, environment.Key, batch));
                }
            }
        }

        /// <summary>
        /// Fills <c>environment_counts</c> from the trace summaries (the schema step that adds it to a store of an older viewer,
        /// whose other rollups are right already); the caller holds the write lock.
        /// </summary>
        public static void FillEnvironmentCounts(DbConnection connection, DbTransaction transaction)
        {
            using (var clear = SqlCommands.Create(connection, SqlText.Of($"DELETE FROM environment_counts"), transaction))
            {
                clear.ExecuteNonQuery();
            }

            var counts = new TraceRollup();
            using (var traces = SqlCommands.Create(connection, SqlText.Of($"SELECT trace_id, environment_id, span_count FROM traces"), transaction))
            {
                using var reader = traces.ExecuteReader();
                while (reader.Read())
                {
                    counts.AddEnvironmentCount(reader.GetString(0), reader.GetString(1), reader.GetInt64(2));
                }
            }

            Write(connection, transaction, counts);
        }

        /// <summary>
        /// Writes the delta's rows (an upsert each, and the delete of a row a subtraction may have emptied) as one
        /// <see cref="SqlBatch"/>: one round trip on PostgreSQL, however many rows a request's traces touch.
        /// </summary>
        private static void Write(DbConnection connection, DbTransaction transaction, TraceRollup delta)
        {
            using var batch = new SqlBatch(connection, transaction);
            for (var t = 0; t < Tables.Length; t++)
            {
                var rows = delta.Rows[t].Where(r => r.Value.Values.Any(v => v != 0)).OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
                var (upsertText, deleteText, keys, values) = Tables[t];
                foreach (var (_, (key, sums)) in rows)
                {
                    var upsert = batch.Add(upsertText);
                    for (var i = 0; i < keys; i++)
                    {
                        upsert.Bind(KeyNames[i], key[i]);
                    }

                    for (var i = 0; i < values; i++)
                    {
                        upsert.Bind(ValueNames[i], sums[i]);
                    }

                    if (sums.Any(v => v < 0))
                    {
                        var delete = batch.Add(deleteText);
                        for (var i = 0; i < keys; i++)
                        {
                            delete.Bind(KeyNames[i], key[i]);
                        }
                    }
                }
            }

            batch.Execute();
        }
    }
}
