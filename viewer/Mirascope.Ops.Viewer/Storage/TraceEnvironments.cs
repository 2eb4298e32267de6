using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Globalization;
using System.Text.Json;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>
    /// The environment each span and trace was sent to (accounts mode: the key's environment; single-developer mode: the
    /// one implicit environment, <see cref="Implicit"/>). A trace belongs to the environment its first span was sent to;
    /// spans of it sent with another environment's key are refused whole (<see cref="TraceOfAnotherEnvironmentException"/>),
    /// so one environment can neither add to nor overwrite another's traces.
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
        /// The one condition every read of annotations and other trace-keyed rows adds in accounts mode: the row's trace
        /// (<paramref name="traceIdColumn"/>) is stored in <c>@environment</c>. Empty for a null environment (single-developer
        /// mode: everything is in the one implicit environment); bind <c>@environment</c> with <see cref="Bind"/>.
        /// </summary>
        public static SqlText TraceVisible(string? environmentId, SqlText traceIdColumn) => environmentId is null
            ? SqlText.Empty
            : SqlText.Of($" AND {traceIdColumn} IN (SELECT t_env.trace_id FROM traces t_env WHERE t_env.environment_id = @environment)");

        /// <summary>The same for a table with its own <c>environment_id</c> (spans, functions), by the table's alias or name.</summary>
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

        /// <summary>Throws when any of the traces is stored in an environment other than <paramref name="environmentId"/> (inside the writer's transaction).</summary>
        public static void RequireOwn(TraceStore store, DbConnection connection, DbTransaction transaction, IEnumerable<string> traceIds, string environmentId)
        {
            using var command = SqlCommands.Create(connection, SqlText.Of($@"SELECT COUNT(*) FROM traces WHERE environment_id <> @environment
                AND {store.Engine.Sql.IsOneOf(SqlText.Of($"trace_id"), SqlText.Of($"@ids"))}"), transaction);
            command.Bind("@environment", environmentId).Bind("@ids", JsonSerializer.Serialize(traceIds));
            if (Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) > 0)
            {
                throw new TraceOfAnotherEnvironmentException();
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

        /// <summary>True when the trace is stored in <paramref name="environmentId"/> (a trace of another environment is, to the caller, not there).</summary>
        public static bool IsIn(TraceStore store, string traceId, string environmentId)
        {
            using var connection = store.Open();
            using var command = SqlCommands.Create(connection, SqlText.Of($"SELECT COUNT(*) FROM traces WHERE trace_id = @trace AND environment_id = @environment"));
            command.Bind("@trace", traceId).Bind("@environment", environmentId);
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) > 0;
        }
    }

    /// <summary>A batch has spans of a trace another environment owns: refused whole (409), nothing stored.</summary>
    internal sealed class TraceOfAnotherEnvironmentException : Exception
    {
        public const string Text = "a trace id in this batch belongs to another environment; no span of the batch was stored (trace ids must be unique)";

        public TraceOfAnotherEnvironmentException()
            : base(Text)
        {
        }
    }
}
