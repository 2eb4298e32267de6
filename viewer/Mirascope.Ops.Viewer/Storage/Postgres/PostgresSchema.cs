using System;
using System.Data.Common;
using System.Globalization;

namespace Mirascope.Ops.Viewer.Storage.Postgres
{
    /// <summary>
    /// Creates the viewer's tables in a PostgreSQL database, or brings them to the current version, inside the caller's
    /// transaction (which holds the schema's advisory lock; PostgreSQL's DDL is transactional, so a viewer that stops half
    /// way leaves nothing). The tables are SQLite's schema 4 (<see cref="Sqlite.SqliteSchema"/>) in PostgreSQL's types:
    /// BIGINT for nanoseconds, milliseconds, sequences and counts; INTEGER for small codes; JSON kept as text.
    /// </summary>
    internal static class PostgresSchema
    {
        /// <summary>
        /// 1: spans, traces, functions, function_versions, annotations and has_token, as SQLite's schema 4. 2: organizations,
        /// projects, environments, people, roles, API keys and sessions (<see cref="AccountTables"/>) and the environment of spans and
        /// traces (<see cref="TraceEnvironments"/>), as SQLite's schema 5. 3: the environment of registered functions and of each
        /// name's version sequence, as SQLite's schema 6. 4: the rollup tables kept at ingest (<see cref="Rollups"/>), built from
        /// the stored spans, as SQLite's schema 7. 5: retention by project (<see cref="Retention.RetentionTables"/>), as SQLite's schema 8.
        /// 6: the text indexes of spans (<see cref="PostgresSpanText"/>) and the trace list's keyset indexes, as SQLite's schema 9.
        /// 7: the traces and spans of each environment kept at ingest (<c>environment_counts</c>, <see cref="Rollups"/>), filled
        /// from the trace summaries, as SQLite's schema 10.
        /// 8: the failed sign-ins the sign-in throttle counts (<see cref="SignInFailures"/>), as SQLite's schema 11.
        /// 9: the version-duration index covers the span times (<see cref="Version9"/>; PostgreSQL only).
        /// 10: a trace belongs to its environment (<see cref="TraceKeys"/>), as SQLite's schema 12.
        /// 11: <c>store_counts</c> dropped (<see cref="Rollups.DropStoreCounts"/>: the store's counts are the sum of
        /// <c>environment_counts</c>), as SQLite's schema 13.
        /// </summary>
        public const int Current = 11;

        /// <summary>
        /// A trace belongs to its environment (docs/viewer.md; SQLite's schema 12): traces keyed by (environment, trace id),
        /// spans unique by (environment, trace id, span id), annotations carry their span's environment. The constraints are
        /// swapped in place (each builds its index once, in this transaction); the environment comes first in every new key so
        /// the per-environment lookups use it. Written to run again on tables that have the new keys already.
        /// </summary>
        private static readonly SqlText TraceKeys = SqlText.Of($@"
            -- The annotations' environment first, while the old span key still finds a span by (trace id, span id).
            ALTER TABLE annotations ADD COLUMN IF NOT EXISTS environment_id TEXT NOT NULL DEFAULT '';
            UPDATE annotations a SET environment_id = COALESCE(
                (SELECT MIN(s.environment_id) FROM spans s WHERE s.trace_id = a.otel_trace_id AND s.span_id = a.otel_span_id),
                (SELECT MIN(t.environment_id) FROM traces t WHERE t.trace_id = a.otel_trace_id), '')
                WHERE a.environment_id = '';
            ALTER TABLE spans DROP CONSTRAINT IF EXISTS spans_trace_id_span_id_key;
            ALTER TABLE spans DROP CONSTRAINT IF EXISTS spans_environment_trace_span_key;
            ALTER TABLE spans ADD CONSTRAINT spans_environment_trace_span_key UNIQUE (environment_id, trace_id, span_id);
            DROP INDEX IF EXISTS spans_by_parent;
            CREATE INDEX spans_by_parent ON spans (environment_id, trace_id, parent_span_id);
            ALTER TABLE traces DROP CONSTRAINT traces_pkey;
            ALTER TABLE traces ADD CONSTRAINT traces_pkey PRIMARY KEY (environment_id, trace_id);
            CREATE INDEX IF NOT EXISTS traces_by_id ON traces (trace_id);
            ALTER TABLE annotations DROP CONSTRAINT IF EXISTS annotations_otel_span_id_otel_trace_id_key;
            ALTER TABLE annotations DROP CONSTRAINT IF EXISTS annotations_environment_trace_span_key;
            ALTER TABLE annotations ADD CONSTRAINT annotations_environment_trace_span_key UNIQUE (environment_id, otel_trace_id, otel_span_id);
            DROP INDEX IF EXISTS annotations_by_trace;
            CREATE INDEX annotations_by_trace ON annotations (environment_id, otel_trace_id);");

        /// <summary>The trace list's order whole in its indexes (see SQLite's schema 9), replacing the indexes on start_ns alone.</summary>
        private static readonly SqlText Version6 = SqlText.Of($@"
            CREATE INDEX IF NOT EXISTS traces_by_start_and_id ON traces (start_ns DESC, trace_id);
            CREATE INDEX IF NOT EXISTS traces_by_environment_start_and_id ON traces (environment_id, start_ns DESC, trace_id);
            DROP INDEX IF EXISTS traces_by_start;
            DROP INDEX IF EXISTS traces_by_environment;");

        /// <summary>
        /// A version's duration percentile (<see cref="FunctionFigures"/>) steps over the calls of one histogram bucket in
        /// <c>spans_by_version_duration</c>. PostgreSQL reads an expression index alone (an index-only scan) only when the
        /// index holds the columns the expression is made of, so the index now includes them: 30 ms instead of 106 ms for
        /// 7,600 calls at a million spans (no heap page read, no sort).
        /// </summary>
        private static readonly SqlText Version9 = SqlText.Of($@"
            DROP INDEX IF EXISTS spans_by_version_duration;
            CREATE INDEX spans_by_version_duration ON spans (version_hash, (end_ns - start_ns)) INCLUDE (start_ns, end_ns) WHERE version_hash IS NOT NULL;");

        private static readonly SqlText CreateVersionTable = SqlText.Of($@"
            CREATE TABLE IF NOT EXISTS mirascope_viewer_schema (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
            INSERT INTO mirascope_viewer_schema (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;");

        private static readonly SqlText Version1 = SqlText.Of($@"
            CREATE TABLE spans (
                seq BIGSERIAL PRIMARY KEY,
                trace_id TEXT NOT NULL, span_id TEXT NOT NULL, parent_span_id TEXT, trace_state TEXT,
                name TEXT NOT NULL, kind INTEGER NOT NULL, start_ns BIGINT NOT NULL, end_ns BIGINT NOT NULL,
                status_code INTEGER NOT NULL, status_message TEXT,
                attributes TEXT NOT NULL, events TEXT NOT NULL, links TEXT, resource TEXT NOT NULL,
                service_name TEXT, scope_name TEXT, scope_version TEXT,
                session_id TEXT, tags TEXT, input_tokens BIGINT, output_tokens BIGINT, received_ms BIGINT NOT NULL,
                usage_source INTEGER NOT NULL DEFAULT 0, cache_read_tokens BIGINT, cache_write_tokens BIGINT, provider TEXT, model TEXT,
                version_hash TEXT, version_name TEXT, is_error INTEGER NOT NULL DEFAULT 0, response_id TEXT, counted_by TEXT,
                UNIQUE (trace_id, span_id));
            CREATE INDEX spans_by_session ON spans (session_id) WHERE session_id IS NOT NULL;
            CREATE INDEX spans_by_version ON spans (version_hash) WHERE version_hash IS NOT NULL;
            CREATE INDEX spans_by_start ON spans (start_ns);
            CREATE INDEX spans_by_parent ON spans (trace_id, parent_span_id);
            CREATE TABLE traces (
                trace_id TEXT PRIMARY KEY, root_span_id TEXT, root_name TEXT, service_name TEXT, root_status INTEGER NOT NULL,
                start_ns BIGINT NOT NULL, end_ns BIGINT NOT NULL, span_count BIGINT NOT NULL, error_count BIGINT NOT NULL,
                session_id TEXT, tags TEXT, input_tokens BIGINT, output_tokens BIGINT,
                last_seq BIGINT NOT NULL, received_ms BIGINT NOT NULL);
            CREATE INDEX traces_by_start ON traces (start_ns DESC);
            CREATE INDEX traces_by_received ON traces (received_ms);
            CREATE TABLE functions (
                seq BIGSERIAL PRIMARY KEY,
                id TEXT NOT NULL UNIQUE, hash TEXT NOT NULL UNIQUE, signature_hash TEXT NOT NULL, name TEXT NOT NULL,
                description TEXT, version TEXT NOT NULL, major INTEGER NOT NULL, minor INTEGER NOT NULL,
                tags TEXT, metadata TEXT, code TEXT NOT NULL, signature TEXT NOT NULL, language TEXT NOT NULL, dependencies TEXT,
                created_ms BIGINT NOT NULL, updated_ms BIGINT NOT NULL);
            CREATE INDEX functions_by_name ON functions (name, seq);
            CREATE TABLE function_versions (
                name TEXT PRIMARY KEY, major INTEGER NOT NULL, minor INTEGER NOT NULL, signature_hash TEXT NOT NULL);
            CREATE TABLE annotations (
                seq BIGSERIAL PRIMARY KEY,
                id TEXT NOT NULL UNIQUE, otel_span_id TEXT NOT NULL, otel_trace_id TEXT NOT NULL,
                label TEXT, reasoning TEXT, metadata TEXT, tags TEXT NOT NULL DEFAULT '[]',
                created_ms BIGINT NOT NULL, updated_ms BIGINT NOT NULL,
                UNIQUE (otel_span_id, otel_trace_id));
            CREATE INDEX annotations_by_trace ON annotations (otel_trace_id);
            -- The Cloud's hasToken(name_lower, t), which SQLite gets from NameTokens.Contains: t (lower case) is a whole run of
            -- letters and digits of the text, compared without case. Kept for stored databases; searches use span_name_tokens and its index (schema 3).
            CREATE OR REPLACE FUNCTION has_token(whole TEXT, token TEXT) RETURNS BOOLEAN LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
                'SELECT whole IS NOT NULL AND (token = '''' OR lower(token) = ANY (regexp_split_to_array(lower(whole), ''[^[:alnum:]]+'')))';");

        /// <summary>Functions belong to an environment (SQLite's step 6); those registered before are in <see cref="TraceEnvironments.Implicit"/>.</summary>
        private static readonly SqlText FunctionsByEnvironment = SqlText.Of($@"
            ALTER TABLE functions ADD COLUMN environment_id TEXT NOT NULL DEFAULT '';
            ALTER TABLE functions DROP CONSTRAINT functions_hash_key;
            ALTER TABLE functions ADD CONSTRAINT functions_environment_hash_key UNIQUE (environment_id, hash);
            DROP INDEX functions_by_name;
            CREATE INDEX functions_by_name ON functions (environment_id, name, seq);
            ALTER TABLE function_versions ADD COLUMN environment_id TEXT NOT NULL DEFAULT '';
            ALTER TABLE function_versions DROP CONSTRAINT function_versions_pkey;
            ALTER TABLE function_versions ADD PRIMARY KEY (environment_id, name);");

        /// <summary>Applies the missing steps; the caller commits. False: no stored span needs its columns filled in again.</summary>
        public static bool Apply(DbConnection connection, DbTransaction transaction, string description)
        {
            Execute(connection, transaction, CreateVersionTable);
            int version;
            using (var read = SqlCommands.Create(connection, SqlText.Of($"SELECT version FROM mirascope_viewer_schema WHERE id = 1"), transaction))
            {
                version = Convert.ToInt32(read.ExecuteScalar(), CultureInfo.InvariantCulture);
            }

            if (version > Current)
            {
                throw new InvalidOperationException($"The span database {description} was written by a newer viewer (schema {version}, this viewer knows {Current}). Use another database.");
            }

            if (version < 1)
            {
                Execute(connection, transaction, Version1);
            }

            if (version < 2)
            {
                Execute(connection, transaction, AccountTables.Create);
                Execute(connection, transaction, TraceEnvironments.AddColumns);
            }

            if (version < 3)
            {
                Execute(connection, transaction, FunctionsByEnvironment);
            }

            if (version < 4)
            {
                Execute(connection, transaction, Rollups.Create);
                Rollups.Rebuild(connection, transaction, PostgresDialect.Instance);
            }

            if (version < 5)
            {
                Execute(connection, transaction, Retention.RetentionTables.Create);
            }

            if (version < 6)
            {
                Execute(connection, transaction, Version6);
                Execute(connection, transaction, PostgresSpanText.CreateNameTokens);
            }

            if (version < 7)
            {
                Execute(connection, transaction, Rollups.CreateEnvironmentCounts);
                Rollups.FillEnvironmentCounts(connection, transaction);
            }

            if (version < 8)
            {
                Execute(connection, transaction, SignInFailures.Create);
            }

            if (version < 9)
            {
                Execute(connection, transaction, Version9);
            }

            if (version < 10)
            {
                Execute(connection, transaction, TraceKeys);
            }

            if (version < 11)
            {
                Execute(connection, transaction, Rollups.DropStoreCounts);
            }

            // Every start: the trigram index may have been left out (pg_trgm could not be created) and be possible now.
            PostgresSpanText.EnsureTrigramIndex(connection, transaction, description);

            using (var write = SqlCommands.Create(connection, SqlText.Of($"UPDATE mirascope_viewer_schema SET version = @version WHERE id = 1"), transaction))
            {
                write.Bind("@version", Current);
                write.ExecuteNonQuery();
            }

            return false;
        }

        private static void Execute(DbConnection connection, DbTransaction transaction, SqlText sql)
        {
            using var command = SqlCommands.Create(connection, sql, transaction);
            command.ExecuteNonQuery();
        }
    }
}
