using System;
using System.Data.Common;
using System.Globalization;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>
    /// The environment each span and trace was sent to (accounts mode: the key's environment; single-developer mode: the
    /// one implicit environment, <see cref="Implicit"/>). A trace belongs to its environment: it is keyed by (environment,
    /// trace id), so two environments may each hold a trace of the same id (one service calls another with W3C trace
    /// context, each exports with its own project's key), and neither can add to, overwrite or see the other's.
    /// </summary>
    internal static class TraceEnvironments
    {
        /// <summary>The environment of single-developer mode, and of every span stored before environments existed.</summary>
        public const string Implicit = "";

        /// <summary>
        /// The columns, added by the same schema step as the account tables (SQLite 5, PostgreSQL 2): every stored span and
        /// trace is in <see cref="Implicit"/>.
        /// </summary>
        public static readonly SqlText AddColumns = SqlText.Of($@"
            ALTER TABLE spans ADD COLUMN environment_id TEXT NOT NULL DEFAULT '';
            ALTER TABLE traces ADD COLUMN environment_id TEXT NOT NULL DEFAULT '';
            CREATE INDEX IF NOT EXISTS traces_by_environment ON traces (environment_id, start_ns DESC);");

        /// <summary>
        /// The one condition every read of a table with its own <c>environment_id</c> (spans, traces, annotations, functions)
        /// adds in accounts mode, by the table's alias or name. Empty for a null environment (single-developer mode: every
        /// environment's rows); bind <c>@environment</c> with <see cref="Bind"/>.
        /// </summary>
        public static SqlText InEnvironment(string? environmentId, SqlText table) => environmentId is null
            ? SqlText.Empty
            : SqlText.Of($" AND {table}.environment_id = @environment");

        /// <summary>Binds <c>@environment</c> when there is one to limit to.</summary>
        public static void Bind(DbCommand command, string? environmentId)
        {
            if (environmentId is not null)
            {
                command.Bind("@environment", environmentId);
            }
        }

        /// <summary>
        /// How many traces and spans the environment holds: the counts kept at ingest (<c>environment_counts</c>,
        /// <see cref="Rollups"/>), a few rows whatever the environment holds (summing its traces' span counts read every trace).
        /// </summary>
        public static (long Traces, long Spans) Count(TraceStore store, string environmentId)
        {
            using var connection = store.Open();
            using var command = SqlCommands.Create(connection, SqlText.Of($"SELECT COALESCE(SUM(traces), 0), COALESCE(SUM(spans), 0) FROM environment_counts WHERE environment_id = @environment"));
            command.Bind("@environment", environmentId);
            using var reader = command.ExecuteReader();
            reader.Read();
            return (Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture), Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture));
        }

        /// <summary>
        /// The live-events number of an environment (accounts mode), in place of the store's newest span sequence number: that
        /// one moves with every environment's spans, so its steps would tell one project how much the others send. This is the
        /// environment's span count (<c>environment_counts</c>, kept at ingest), which moves only with its own spans (arrivals,
        /// retention and deletion; the page only compares it for a change).
        /// </summary>
        public static long Sequence(DbConnection connection, string environmentId)
        {
            using var command = SqlCommands.Create(connection, SqlText.Of($"SELECT COALESCE(SUM(spans), 0) FROM environment_counts WHERE environment_id = @environment"));
            command.Bind("@environment", environmentId);
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        /// <summary>The same, opening its own connection.</summary>
        public static long Sequence(TraceStore store, string environmentId)
        {
            using var connection = store.Open();
            return Sequence(connection, environmentId);
        }

        /// <summary>
        /// The environment whose trace <paramref name="traceId"/> names for a caller limited to <paramref name="environmentId"/>:
        /// that environment when it holds the trace, else null (not there). Single-developer mode (null) sees every
        /// environment: a store used with accounts may hold the id in several, and the page shows one trace, never one made of
        /// two environments' spans: the implicit environment's when it holds the id, else the one whose id sorts first
        /// (<c>''</c>, the implicit environment, sorts before every other).
        /// </summary>
        public static string? Resolve(DbConnection connection, string traceId, string? environmentId, DbTransaction? transaction = null)
        {
            using var command = SqlCommands.Create(connection, SqlText.Of($@"SELECT environment_id FROM traces WHERE trace_id = @trace{InEnvironment(environmentId, SqlText.Of($"traces"))}
                ORDER BY environment_id LIMIT 1"), transaction);
            command.Bind("@trace", traceId);
            Bind(command, environmentId);
            return command.ExecuteScalar() as string;
        }
    }
}
