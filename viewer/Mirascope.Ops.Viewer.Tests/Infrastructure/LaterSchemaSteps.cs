namespace Mirascope.Ops.Viewer.Tests.Infrastructure
{
    /// <summary>
    /// What the schema steps after the rollups added, as SQL that takes it away again, so a test can make a store of the
    /// current schema look like one an older viewer left (then set the older schema number itself). A frozen description
    /// of the steps on purpose, like the schema copies in <c>SchemaMigrationTests</c>: it says what each step created, not
    /// what today's schema code happens to say. SQLite: 8 retention, 9 the text index and keyset indexes, 10 the counts per
    /// environment, 11 the failed sign-ins, 12 the trace keys by environment, 13 <c>store_counts</c> dropped. PostgreSQL: 5
    /// retention (6, the text indexes,
    /// and 9, the covering duration index, are idempotent and need no undoing), 7 the counts per environment, 8 the failed
    /// sign-ins, 10 the trace keys by environment, 11 <c>store_counts</c> dropped.
    /// </summary>
    internal static class LaterSchemaSteps
    {
        /// <summary>Takes away the rollups (SQLite 7, PostgreSQL 4) and every step after them.</summary>
        public static string UndoFromRollups(bool onPostgres) => UndoAfterRollups(onPostgres) + Rollups;

        /// <summary>Takes away every step after the rollups (SQLite 8 to 13, PostgreSQL 5 to 11).</summary>
        public static string UndoAfterRollups(bool onPostgres) => UndoStoreCountsDrop + UndoTraceKeys(onPostgres) + SignInFailures + UndoEnvironmentCounts + (onPostgres ? Retention : Search + Retention);

        /// <summary>
        /// Takes away the trace keys by environment (SQLite 12, PostgreSQL 10): traces keyed by trace id alone, spans unique by
        /// (trace id, span id), annotations without an environment, as schema 11 (PostgreSQL 9) had them. Only for a store
        /// where no trace id is held by two environments (the older schema could not hold that). SQLite's search-index triggers
        /// come back with schema 11's key but without the text columns' expressions: nothing is written between this and
        /// the reopening, which drops them with the old table and makes them again.
        /// </summary>
        public static string UndoTraceKeys(bool onPostgres) => onPostgres ? PostgresTraceKeys : SqliteTraceKeys;

        private const string PostgresTraceKeys = @"
            ALTER TABLE spans DROP CONSTRAINT spans_environment_trace_span_key;
            ALTER TABLE spans ADD CONSTRAINT spans_trace_id_span_id_key UNIQUE (trace_id, span_id);
            DROP INDEX spans_by_parent;
            CREATE INDEX spans_by_parent ON spans (trace_id, parent_span_id);
            ALTER TABLE traces DROP CONSTRAINT traces_pkey;
            ALTER TABLE traces ADD CONSTRAINT traces_pkey PRIMARY KEY (trace_id);
            DROP INDEX traces_by_id;
            ALTER TABLE annotations DROP CONSTRAINT annotations_environment_trace_span_key;
            ALTER TABLE annotations ADD CONSTRAINT annotations_otel_span_id_otel_trace_id_key UNIQUE (otel_span_id, otel_trace_id);
            DROP INDEX annotations_by_trace;
            ALTER TABLE annotations DROP COLUMN environment_id;
            CREATE INDEX annotations_by_trace ON annotations (otel_trace_id);";

        private const string SqliteTraceKeys = @"
            CREATE TABLE spans_v11 (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                trace_id TEXT NOT NULL, span_id TEXT NOT NULL, parent_span_id TEXT, trace_state TEXT,
                name TEXT NOT NULL, kind INTEGER NOT NULL, start_ns INTEGER NOT NULL, end_ns INTEGER NOT NULL,
                status_code INTEGER NOT NULL, status_message TEXT,
                attributes TEXT NOT NULL, events TEXT NOT NULL, links TEXT, resource TEXT NOT NULL,
                service_name TEXT, scope_name TEXT, scope_version TEXT,
                session_id TEXT, tags TEXT, input_tokens INTEGER, output_tokens INTEGER, received_ms INTEGER NOT NULL,
                usage_source INTEGER NOT NULL DEFAULT 0, cache_read_tokens INTEGER, cache_write_tokens INTEGER, provider TEXT, model TEXT,
                version_hash TEXT, version_name TEXT, is_error INTEGER NOT NULL DEFAULT 0, response_id TEXT, counted_by TEXT,
                environment_id TEXT NOT NULL DEFAULT '',
                UNIQUE (trace_id, span_id));
            INSERT INTO spans_v11 SELECT seq, trace_id, span_id, parent_span_id, trace_state, name, kind, start_ns, end_ns, status_code, status_message,
                attributes, events, links, resource, service_name, scope_name, scope_version, session_id, tags, input_tokens, output_tokens, received_ms,
                usage_source, cache_read_tokens, cache_write_tokens, provider, model, version_hash, version_name, is_error, response_id, counted_by, environment_id FROM spans;
            CREATE TABLE traces_v11 (
                trace_id TEXT PRIMARY KEY, root_span_id TEXT, root_name TEXT, service_name TEXT, root_status INTEGER NOT NULL,
                start_ns INTEGER NOT NULL, end_ns INTEGER NOT NULL, span_count INTEGER NOT NULL, error_count INTEGER NOT NULL,
                session_id TEXT, tags TEXT, input_tokens INTEGER, output_tokens INTEGER,
                last_seq INTEGER NOT NULL, received_ms INTEGER NOT NULL, environment_id TEXT NOT NULL DEFAULT '', size_bytes BIGINT NOT NULL DEFAULT 0);
            INSERT INTO traces_v11 SELECT trace_id, root_span_id, root_name, service_name, root_status, start_ns, end_ns, span_count, error_count,
                session_id, tags, input_tokens, output_tokens, last_seq, received_ms, environment_id, size_bytes FROM traces;
            CREATE TABLE annotations_v11 (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE, otel_span_id TEXT NOT NULL, otel_trace_id TEXT NOT NULL,
                label TEXT, reasoning TEXT, metadata TEXT, tags TEXT NOT NULL DEFAULT '[]',
                created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL,
                UNIQUE (otel_span_id, otel_trace_id));
            INSERT INTO annotations_v11 SELECT seq, id, otel_span_id, otel_trace_id, label, reasoning, metadata, tags, created_ms, updated_ms FROM annotations;
            DROP TABLE spans; DROP TABLE traces; DROP TABLE annotations;
            ALTER TABLE spans_v11 RENAME TO spans; ALTER TABLE traces_v11 RENAME TO traces; ALTER TABLE annotations_v11 RENAME TO annotations;
            CREATE INDEX spans_by_session ON spans (session_id) WHERE session_id IS NOT NULL;
            CREATE INDEX spans_by_start ON spans (start_ns);
            CREATE INDEX spans_by_parent ON spans (trace_id, parent_span_id);
            CREATE INDEX spans_by_duration ON spans ((end_ns - start_ns), start_ns, environment_id);
            CREATE INDEX spans_by_version_start ON spans (version_hash, start_ns) WHERE version_hash IS NOT NULL;
            CREATE INDEX spans_by_version_duration ON spans (version_hash, (end_ns - start_ns)) WHERE version_hash IS NOT NULL;
            CREATE INDEX traces_by_received ON traces (received_ms);
            CREATE INDEX traces_by_start_and_id ON traces (start_ns DESC, trace_id);
            CREATE INDEX traces_by_environment_start_and_id ON traces (environment_id, start_ns DESC, trace_id);
            CREATE INDEX traces_by_environment_received ON traces (environment_id, received_ms);
            CREATE INDEX annotations_by_trace ON annotations (otel_trace_id);
            CREATE TRIGGER span_text_before_insert BEFORE INSERT ON spans BEGIN
                DELETE FROM span_text WHERE rowid IN (SELECT seq FROM spans WHERE trace_id = new.trace_id AND span_id = new.span_id);
            END;
            CREATE TRIGGER span_text_after_insert AFTER INSERT ON spans BEGIN
                INSERT INTO span_text (rowid, name, input, output, instructions) VALUES (new.seq, new.name, '', '', '');
            END;
            CREATE TRIGGER span_text_after_update AFTER UPDATE OF name, attributes ON spans BEGIN
                DELETE FROM span_text WHERE rowid = old.seq;
                INSERT INTO span_text (rowid, name, input, output, instructions) VALUES (new.seq, new.name, '', '', '');
            END;
            CREATE TRIGGER span_text_after_delete AFTER DELETE ON spans BEGIN
                DELETE FROM span_text WHERE rowid = old.seq;
            END;";

        /// <summary>Gives back the empty <c>store_counts</c> (the rollups' step created it; SQLite 13, PostgreSQL 11 dropped it), the same text on both engines.</summary>
        public const string UndoStoreCountsDrop = @"
            CREATE TABLE store_counts (shard INTEGER PRIMARY KEY, traces BIGINT NOT NULL, spans BIGINT NOT NULL);";

        /// <summary>Takes away the counts per environment (SQLite 10, PostgreSQL 7), the same text on both engines.</summary>
        public const string UndoEnvironmentCounts = @"
            DROP TABLE environment_counts;";

        private const string SignInFailures = @"
            DROP TABLE IF EXISTS sign_in_failures;";

        private const string Rollups = @"
            DROP TABLE store_counts; DROP TABLE function_calls; DROP TABLE function_durations; DROP TABLE function_usage;
            DROP TABLE span_buckets; DROP TABLE span_bucket_durations; DROP TABLE span_bucket_usage; DROP TABLE span_bucket_functions; DROP TABLE trace_lengths;
            DROP INDEX spans_by_duration; DROP INDEX spans_by_version_start; DROP INDEX spans_by_version_duration;
            CREATE INDEX spans_by_version ON spans (version_hash) WHERE version_hash IS NOT NULL;";

        private const string Retention = @"
            DROP INDEX IF EXISTS traces_by_environment_received;
            DROP TABLE IF EXISTS retention_policies;
            ALTER TABLE traces DROP COLUMN size_bytes;";

        private const string Search = @"
            DROP TRIGGER IF EXISTS span_text_before_insert; DROP TRIGGER IF EXISTS span_text_after_insert;
            DROP TRIGGER IF EXISTS span_text_after_update; DROP TRIGGER IF EXISTS span_text_after_delete;
            DROP TABLE IF EXISTS span_text;
            DROP INDEX IF EXISTS traces_by_start_and_id; DROP INDEX IF EXISTS traces_by_environment_start_and_id;
            CREATE INDEX IF NOT EXISTS traces_by_start ON traces (start_ns DESC);
            CREATE INDEX IF NOT EXISTS traces_by_environment ON traces (environment_id, start_ns DESC);";
    }
}
