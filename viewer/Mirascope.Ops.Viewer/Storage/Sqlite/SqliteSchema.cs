using System;
using System.Collections.Generic;
using System.Linq;
using System.Globalization;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Mirascope.Ops.Viewer.Storage.Sqlite
{
    /// <summary>
    /// Brings a database file to the current schema (<c>PRAGMA user_version</c>), each step in the one write transaction
    /// the caller holds, so a viewer that stops half way leaves the file as it was. A file written by today's viewer and by
    /// every earlier one opens and keeps its traces.
    /// </summary>
    internal static class SqliteSchema
    {
        /// <summary>
        /// 1: spans and traces. 2: functions, annotations, and the span columns figures, cost and search read. 3: the version
        /// number sequence of each function name. 4: the response id of a model call and the mark of a span that repeats a
        /// call another span of its trace counts (<see cref="RepeatedCalls"/>). 5: organizations, projects, environments, people,
        /// roles, API keys and sessions (<see cref="AccountTables"/>), and the environment of spans and traces (<see cref="TraceEnvironments"/>).
        /// 6: the environment of registered functions and of each name's version sequence (<see cref="FunctionsByEnvironment"/>).
        /// 7: the rollup tables kept at ingest (<see cref="Rollups"/>), built from the stored spans.
        /// 8: retention by project: each project's limits and each trace's size (<see cref="Retention.RetentionTables"/>).
        /// 9: the text index of spans (<see cref="SqliteSpanText"/>) and the trace list's keyset indexes (<see cref="Version9"/>).
        /// 10: the traces and spans of each environment kept at ingest (<c>environment_counts</c>, <see cref="Rollups"/>), filled
        /// from the trace summaries.
        /// 11: the failed sign-ins the sign-in throttle counts (<see cref="SignInFailures"/>).
        /// 12: a trace belongs to its environment: traces keyed by (environment, trace id), spans by (environment, trace id, span
        /// id), annotations carry their span's environment (<see cref="TraceKeys"/>).
        /// 13: <c>store_counts</c> dropped (<see cref="Rollups.DropStoreCounts"/>: the store's counts are the sum of <c>environment_counts</c>).
        /// </summary>
        public const int Current = 13;

        /// <summary>Sets the file's schema to <see cref="Current"/> (a PRAGMA takes no parameter; the number is written out).</summary>
        private static readonly SqlText UserVersion = SqlText.Of($"PRAGMA user_version = 13;");

        private static readonly SqlText Version1 = SqlText.Of($@"
            CREATE TABLE IF NOT EXISTS spans (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                trace_id TEXT NOT NULL, span_id TEXT NOT NULL, parent_span_id TEXT, trace_state TEXT,
                name TEXT NOT NULL, kind INTEGER NOT NULL, start_ns INTEGER NOT NULL, end_ns INTEGER NOT NULL,
                status_code INTEGER NOT NULL, status_message TEXT,
                attributes TEXT NOT NULL, events TEXT NOT NULL, links TEXT, resource TEXT NOT NULL,
                service_name TEXT, scope_name TEXT, scope_version TEXT,
                session_id TEXT, tags TEXT, input_tokens INTEGER, output_tokens INTEGER, received_ms INTEGER NOT NULL,
                UNIQUE (trace_id, span_id));
            CREATE INDEX IF NOT EXISTS spans_by_session ON spans (session_id) WHERE session_id IS NOT NULL;
            CREATE TABLE IF NOT EXISTS traces (
                trace_id TEXT PRIMARY KEY, root_span_id TEXT, root_name TEXT, service_name TEXT, root_status INTEGER NOT NULL,
                start_ns INTEGER NOT NULL, end_ns INTEGER NOT NULL, span_count INTEGER NOT NULL, error_count INTEGER NOT NULL,
                session_id TEXT, tags TEXT, input_tokens INTEGER, output_tokens INTEGER,
                last_seq INTEGER NOT NULL, received_ms INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS traces_by_start ON traces (start_ns DESC);
            CREATE INDEX IF NOT EXISTS traces_by_received ON traces (received_ms);");

        private static readonly SqlText Version2 = SqlText.Of($@"
            ALTER TABLE spans ADD COLUMN usage_source INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE spans ADD COLUMN cache_read_tokens INTEGER;
            ALTER TABLE spans ADD COLUMN cache_write_tokens INTEGER;
            ALTER TABLE spans ADD COLUMN provider TEXT;
            ALTER TABLE spans ADD COLUMN model TEXT;
            ALTER TABLE spans ADD COLUMN version_hash TEXT;
            ALTER TABLE spans ADD COLUMN version_name TEXT;
            ALTER TABLE spans ADD COLUMN is_error INTEGER NOT NULL DEFAULT 0;
            CREATE INDEX IF NOT EXISTS spans_by_version ON spans (version_hash) WHERE version_hash IS NOT NULL;
            CREATE INDEX IF NOT EXISTS spans_by_start ON spans (start_ns);
            CREATE INDEX IF NOT EXISTS spans_by_parent ON spans (trace_id, parent_span_id);
            CREATE TABLE IF NOT EXISTS functions (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE, hash TEXT NOT NULL UNIQUE, signature_hash TEXT NOT NULL, name TEXT NOT NULL,
                description TEXT, version TEXT NOT NULL, major INTEGER NOT NULL, minor INTEGER NOT NULL,
                tags TEXT, metadata TEXT, code TEXT NOT NULL, signature TEXT NOT NULL, language TEXT NOT NULL, dependencies TEXT,
                created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS functions_by_name ON functions (name, seq);
            CREATE TABLE IF NOT EXISTS annotations (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE, otel_span_id TEXT NOT NULL, otel_trace_id TEXT NOT NULL,
                label TEXT, reasoning TEXT, metadata TEXT, tags TEXT NOT NULL DEFAULT '[]',
                created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL,
                UNIQUE (otel_span_id, otel_trace_id));
            CREATE INDEX IF NOT EXISTS annotations_by_trace ON annotations (otel_trace_id);");

        /// <summary>
        /// The last version number given to each function name and the signature it was given for: the next registration of
        /// the name reads and moves it inside its write transaction, so numbers follow the order registrations are stored in,
        /// are never given twice (several processes on one file included) and are not reused after a delete. An older file
        /// starts each name from its highest stored number.
        /// </summary>
        private static readonly SqlText Version3 = SqlText.Of($@"
            CREATE TABLE IF NOT EXISTS function_versions (
                name TEXT PRIMARY KEY, major INTEGER NOT NULL, minor INTEGER NOT NULL, signature_hash TEXT NOT NULL);
            INSERT OR IGNORE INTO function_versions (name, major, minor, signature_hash)
                SELECT name, major, minor, signature_hash FROM (
                    SELECT name, major, minor, signature_hash,
                        ROW_NUMBER() OVER (PARTITION BY name ORDER BY major DESC, minor DESC, seq DESC) AS rank
                    FROM functions)
                WHERE rank = 1;");

        /// <summary>
        /// <c>response_id</c>: <c>gen_ai.response.id</c> of a span with <c>gen_ai.usage.*</c>. <c>counted_by</c>: the id of the
        /// span (same trace) that counts the model call this span repeats; sums leave such spans out. Filled for stored spans
        /// by the backfill and <see cref="RepeatedCalls.Mark"/> of every trace.
        /// </summary>
        private static readonly SqlText Version4 = SqlText.Of($@"
            ALTER TABLE spans ADD COLUMN response_id TEXT;
            ALTER TABLE spans ADD COLUMN counted_by TEXT;");

        /// <summary>
        /// Functions belong to an environment, as in the Cloud: a hash is unique per environment and each environment numbers a
        /// name's versions on its own. SQLite cannot drop the column's UNIQUE, so both tables are copied into new ones; what
        /// was registered before is in <see cref="TraceEnvironments.Implicit"/>, as the spans stored before environments.
        /// </summary>
        private static readonly SqlText FunctionsByEnvironment = SqlText.Of($@"
            CREATE TABLE functions_by_environment (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE, hash TEXT NOT NULL, signature_hash TEXT NOT NULL, name TEXT NOT NULL,
                description TEXT, version TEXT NOT NULL, major INTEGER NOT NULL, minor INTEGER NOT NULL,
                tags TEXT, metadata TEXT, code TEXT NOT NULL, signature TEXT NOT NULL, language TEXT NOT NULL, dependencies TEXT,
                created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL, environment_id TEXT NOT NULL DEFAULT '',
                UNIQUE (environment_id, hash));
            INSERT INTO functions_by_environment (seq, id, hash, signature_hash, name, description, version, major, minor, tags, metadata, code, signature, language, dependencies, created_ms, updated_ms)
                SELECT seq, id, hash, signature_hash, name, description, version, major, minor, tags, metadata, code, signature, language, dependencies, created_ms, updated_ms FROM functions;
            DROP TABLE functions;
            ALTER TABLE functions_by_environment RENAME TO functions;
            CREATE INDEX functions_by_name ON functions (environment_id, name, seq);
            CREATE TABLE function_versions_by_environment (
                environment_id TEXT NOT NULL DEFAULT '', name TEXT NOT NULL, major INTEGER NOT NULL, minor INTEGER NOT NULL, signature_hash TEXT NOT NULL,
                PRIMARY KEY (environment_id, name));
            INSERT INTO function_versions_by_environment (name, major, minor, signature_hash) SELECT name, major, minor, signature_hash FROM function_versions;
            DROP TABLE function_versions;
            ALTER TABLE function_versions_by_environment RENAME TO function_versions;");

        /// <summary>
        /// The trace list's order, <c>start_ns DESC, trace_id</c>, whole in its indexes (all traces, and one environment's),
        /// so a page after a cursor (<see cref="TraceListCursor"/>) starts in the index where the last one ended and no page
        /// sorts; they replace the indexes on <c>start_ns</c> alone, whose every use they serve.
        /// </summary>
        private static readonly SqlText Version9 = SqlText.Of($@"
            CREATE INDEX IF NOT EXISTS traces_by_start_and_id ON traces (start_ns DESC, trace_id);
            CREATE INDEX IF NOT EXISTS traces_by_environment_start_and_id ON traces (environment_id, start_ns DESC, trace_id);
            DROP INDEX IF EXISTS traces_by_start;
            DROP INDEX IF EXISTS traces_by_environment;");

        // Before TraceKeys: static fields are set in the order they are written.
        private static readonly SqlText SpanColumns = SqlText.Of($@"seq, trace_id, span_id, parent_span_id, trace_state, name, kind, start_ns, end_ns, status_code, status_message,
                attributes, events, links, resource, service_name, scope_name, scope_version, session_id, tags, input_tokens, output_tokens, received_ms,
                usage_source, cache_read_tokens, cache_write_tokens, provider, model, version_hash, version_name, is_error, response_id, counted_by, environment_id");

        private static readonly SqlText TraceColumns = SqlText.Of($@"environment_id, trace_id, root_span_id, root_name, service_name, root_status, start_ns, end_ns,
                span_count, error_count, session_id, tags, input_tokens, output_tokens, last_seq, received_ms, size_bytes");

        /// <summary>
        /// A trace belongs to its environment (docs/viewer.md): two projects may hold the same trace id (one service calls
        /// another with W3C trace context, each exports with its own key), each as its own trace. SQLite cannot change a
        /// primary key or a table's UNIQUE in place, so spans, traces and annotations are copied into tables with the new keys
        /// (environment first, so the per-environment indexes keep serving), the old ones dropped and the new renamed, and
        /// every index and the text index's triggers made again. <c>seq</c> is copied as it is, so the text index
        /// (<c>span_text</c>, rowid = seq) stays right, and each table's AUTOINCREMENT counter is carried over, so a number given
        /// once is never given again. An annotation takes the environment of its span (of its trace when the span is gone).
        /// Rerunning the step on tables that have the new keys already gives the same tables (a test store made old by undoing
        /// only later steps).
        /// </summary>
        private static readonly SqlText TraceKeys = SqlText.Of($@"
            CREATE TABLE spans_v12 (
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
                UNIQUE (environment_id, trace_id, span_id));
            INSERT INTO spans_v12 ({SpanColumns}) SELECT {SpanColumns} FROM spans;
            CREATE TABLE traces_v12 (
                environment_id TEXT NOT NULL DEFAULT '', trace_id TEXT NOT NULL,
                root_span_id TEXT, root_name TEXT, service_name TEXT, root_status INTEGER NOT NULL,
                start_ns INTEGER NOT NULL, end_ns INTEGER NOT NULL, span_count INTEGER NOT NULL, error_count INTEGER NOT NULL,
                session_id TEXT, tags TEXT, input_tokens INTEGER, output_tokens INTEGER,
                last_seq INTEGER NOT NULL, received_ms INTEGER NOT NULL, size_bytes BIGINT NOT NULL DEFAULT 0,
                PRIMARY KEY (environment_id, trace_id));
            INSERT INTO traces_v12 ({TraceColumns}) SELECT {TraceColumns} FROM traces;
            CREATE TABLE annotations_v12 (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE, environment_id TEXT NOT NULL DEFAULT '', otel_span_id TEXT NOT NULL, otel_trace_id TEXT NOT NULL,
                label TEXT, reasoning TEXT, metadata TEXT, tags TEXT NOT NULL DEFAULT '[]',
                created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL,
                UNIQUE (environment_id, otel_trace_id, otel_span_id));
            INSERT INTO annotations_v12 (seq, id, environment_id, otel_span_id, otel_trace_id, label, reasoning, metadata, tags, created_ms, updated_ms)
                SELECT a.seq, a.id,
                    COALESCE((SELECT MIN(s.environment_id) FROM spans s WHERE s.trace_id = a.otel_trace_id AND s.span_id = a.otel_span_id),
                        (SELECT MIN(t.environment_id) FROM traces t WHERE t.trace_id = a.otel_trace_id), ''),
                    a.otel_span_id, a.otel_trace_id, a.label, a.reasoning, a.metadata, a.tags, a.created_ms, a.updated_ms
                FROM annotations a;
            DELETE FROM sqlite_sequence WHERE name IN ('spans_v12', 'annotations_v12');
            INSERT INTO sqlite_sequence (name, seq) SELECT 'spans_v12', seq FROM sqlite_sequence WHERE name = 'spans';
            INSERT INTO sqlite_sequence (name, seq) SELECT 'annotations_v12', seq FROM sqlite_sequence WHERE name = 'annotations';
            DROP TABLE spans;
            DROP TABLE traces;
            DROP TABLE annotations;
            ALTER TABLE spans_v12 RENAME TO spans;
            ALTER TABLE traces_v12 RENAME TO traces;
            ALTER TABLE annotations_v12 RENAME TO annotations;
            CREATE INDEX spans_by_session ON spans (session_id) WHERE session_id IS NOT NULL;
            CREATE INDEX spans_by_start ON spans (start_ns);
            CREATE INDEX spans_by_parent ON spans (environment_id, trace_id, parent_span_id);
            CREATE INDEX spans_by_duration ON spans ((end_ns - start_ns), start_ns, environment_id);
            CREATE INDEX spans_by_version_start ON spans (version_hash, start_ns) WHERE version_hash IS NOT NULL;
            CREATE INDEX spans_by_version_duration ON spans (version_hash, (end_ns - start_ns)) WHERE version_hash IS NOT NULL;
            CREATE INDEX traces_by_id ON traces (trace_id);
            CREATE INDEX traces_by_received ON traces (received_ms);
            CREATE INDEX traces_by_start_and_id ON traces (start_ns DESC, trace_id);
            CREATE INDEX traces_by_environment_start_and_id ON traces (environment_id, start_ns DESC, trace_id);
            CREATE INDEX traces_by_environment_received ON traces (environment_id, received_ms);
            CREATE INDEX annotations_by_trace ON annotations (environment_id, otel_trace_id);
            {SqliteSpanText.Create}");

        /// <summary>Applies the missing steps; the caller commits.</summary>
        /// <returns>
        /// True when the span columns were filled in, so every trace's repeated calls must be marked and its summary computed again.
        /// </returns>
        public static bool Apply(DbConnection connection, DbTransaction transaction, string path)
        {
            var version = Convert.ToInt32(Scalar(connection, transaction, SqlText.Of($"PRAGMA user_version;")), CultureInfo.InvariantCulture);
            if (version > Current)
            {
                throw new InvalidOperationException($"The span database {path} was written by a newer viewer (schema {version}, this viewer knows {Current}). Use another --data file.");
            }

            if (version == Current)
            {
                return false;
            }

            if (version < 1)
            {
                Execute(connection, transaction, Version1);
            }

            if (version < 2)
            {
                Execute(connection, transaction, Version2);
            }

            if (version < 3)
            {
                // Only before step 6: its INSERT knows no environment (a name's sequence is per environment since then).
                Execute(connection, transaction, Version3);
            }

            var backfilled = false;
            if (version < 4)
            {
                // Every span's facts again: the response id is new, and the cache write count has a second name now.
                Execute(connection, transaction, Version4);
                Backfill(connection, transaction);
                backfilled = true;
            }

            if (version < 5)
            {
                Execute(connection, transaction, AccountTables.Create);
                Execute(connection, transaction, TraceEnvironments.AddColumns);
            }

            if (version < 6)
            {
                Execute(connection, transaction, FunctionsByEnvironment);
            }

            if (version < 7)
            {
                Execute(connection, transaction, Rollups.Create);
                Rollups.Rebuild(connection, transaction, SqliteDialect.Instance);
            }

            if (version < 8)
            {
                Execute(connection, transaction, Retention.RetentionTables.Create);
            }

            if (version < 9)
            {
                Execute(connection, transaction, Version9);
                Execute(connection, transaction, SqliteSpanText.Create);
                SqliteSpanText.Fill(connection, transaction);
            }

            if (version < 10)
            {
                Execute(connection, transaction, Rollups.CreateEnvironmentCounts);
                Rollups.FillEnvironmentCounts(connection, transaction);
            }

            if (version < 11)
            {
                Execute(connection, transaction, SignInFailures.Create);
            }

            if (version < 12)
            {
                Execute(connection, transaction, TraceKeys);
            }

            if (version < 13)
            {
                Execute(connection, transaction, Rollups.DropStoreCounts);
            }

            Execute(connection, transaction, UserVersion);
            return backfilled;
        }

        /// <summary>Fills the span columns of <see cref="SpanFacts"/> of spans stored before them, from their attributes and events.</summary>
        private static void Backfill(DbConnection connection, DbTransaction transaction)
        {
            var rows = new List<(long Seq, SpanFacts Facts)>();
            using (var select = connection.CreateCommand())
            {
                select.Transaction = transaction;
                select.SetText(SqlText.Of($"SELECT seq, attributes, events, status_code FROM spans"));
                using var reader = select.ExecuteReader();
                while (reader.Read())
                {
                    rows.Add((reader.GetInt64(0), SpanFacts.Read(reader.GetString(1), reader.GetString(2), reader.GetInt32(3))));
                }
            }

            using var update = connection.CreateCommand();
            update.Transaction = transaction;
            update.SetText(SqlText.Of($@"UPDATE spans SET usage_source = @usageSource, input_tokens = @input, output_tokens = @output, cache_read_tokens = @cacheRead,
                cache_write_tokens = @cacheWrite, provider = @provider, model = @model, version_hash = @versionHash, version_name = @versionName, is_error = @isError, response_id = @responseId WHERE seq = @seq"));
            var parameters = new Dictionary<string, DbParameter>();
            foreach (var name in SpanFacts.ColumnParameters.Append("@seq"))
            {
                parameters[name] = update.AddParameter(name);
            }

            foreach (var (seq, facts) in rows)
            {
                facts.Bind(parameters);
                parameters["@seq"].Value = seq;
                update.ExecuteNonQuery();
            }
        }

        private static object? Scalar(DbConnection connection, DbTransaction transaction, SqlText sql)
        {
            using var command = SqlCommands.Create(connection, sql, transaction);
            return command.ExecuteScalar();
        }

        private static void Execute(DbConnection connection, DbTransaction transaction, SqlText sql)
        {
            using var command = SqlCommands.Create(connection, sql, transaction);
            command.ExecuteNonQuery();
        }
    }
}
