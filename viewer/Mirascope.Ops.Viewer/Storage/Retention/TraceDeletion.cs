using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Linq;
using System.Text.Json;

namespace Mirascope.Ops.Viewer.Storage.Retention
{
    /// <summary>
    /// Deletes traces whole — their spans, the annotations of those spans, their summary and their share of the rollup
    /// tables (<see cref="Rollups.Subtract"/>) — in one write transaction that
    /// holds the traces' write locks, so a reader sees a trace or nothing and a writer of the same trace waits for this batch
    /// only. Used by retention (<see cref="RetentionRun"/>, many small batches) and by the page's delete
    /// (<see cref="Api.TraceDeleteEndpoints"/>, one trace). A trace is named by its key, (environment, trace id): another
    /// environment's trace of the same id is another trace and stays whole.
    /// </summary>
    internal static class TraceDeletion
    {
        /// <summary>
        /// Deletes those of <paramref name="traces"/> that are, inside the transaction, still as they were seen: a trace whose
        /// newest span arrived after <c>ReceivedMs</c> (spans came in since it was chosen) is kept; null deletes it as it is.
        /// Returns the keys deleted.
        /// </summary>
        public static IReadOnlyList<(string EnvironmentId, string TraceId)> Delete(TraceStore store, IReadOnlyCollection<(string EnvironmentId, string TraceId, long? ReceivedMs)> traces)
        {
            if (traces.Count == 0)
            {
                return Array.Empty<(string, string)>();
            }

            var sql = store.Engine.Sql;
            var ids = SqlText.Of($"(SELECT j.value FROM {sql.JsonArrayTable(SqlText.Of($"@ids"), SqlText.Of($"j"))})");
            using var connection = store.Open();
            using var transaction = store.Engine.BeginWrite(connection, traces.Select(t => t.TraceId).Distinct(StringComparer.Ordinal));
            var doomed = new List<(string EnvironmentId, string TraceId)>();
            foreach (var environment in traces.GroupBy(t => t.EnvironmentId, StringComparer.Ordinal))
            {
                var seen = environment.ToDictionary(t => t.TraceId, t => t.ReceivedMs, StringComparer.Ordinal);
                using var select = SqlCommands.Create(connection, SqlText.Of($"SELECT trace_id, received_ms FROM traces WHERE environment_id = @environment AND trace_id IN {ids}"), transaction);
                select.Bind("@environment", environment.Key).Bind("@ids", JsonSerializer.Serialize(seen.Keys));
                using var reader = select.ExecuteReader();
                while (reader.Read())
                {
                    var id = reader.GetString(0);
                    if (seen[id] is not { } expected || reader.GetInt64(1) <= expected)
                    {
                        doomed.Add((environment.Key, id));
                    }
                }
            }

            foreach (var environment in doomed.GroupBy(t => t.EnvironmentId, StringComparer.Ordinal))
            {
                var traceIds = environment.Select(t => t.TraceId).ToList();
                // The rollup tables (the dashboard's, the functions' and the status counts) lose these traces in the same
                // transaction, before their spans go: Subtract reads the spans it takes away.
                Rollups.Subtract(connection, transaction, sql, environment.Key, traceIds);
                using var delete = SqlCommands.Create(connection, SqlText.Of($@"
                    DELETE FROM annotations WHERE environment_id = @environment AND otel_trace_id IN {ids};
                    DELETE FROM spans WHERE environment_id = @environment AND trace_id IN {ids};
                    DELETE FROM traces WHERE environment_id = @environment AND trace_id IN {ids};"), transaction);
                delete.Bind("@environment", environment.Key).Bind("@ids", JsonSerializer.Serialize(traceIds));
                delete.ExecuteNonQuery();
            }

            if (doomed.Count > 0)
            {
                transaction.Commit();
            }

            return doomed;
        }

        /// <summary>
        /// Deletes the traces of these ids in <paramref name="environmentId"/>; with none (single-developer mode), each id's
        /// trace as the page shows it (<see cref="TraceEnvironments.Resolve"/>). Returns the ids deleted.
        /// </summary>
        public static IReadOnlyList<string> Delete(TraceStore store, IReadOnlyCollection<(string TraceId, long? ReceivedMs)> traces, string? environmentId = null)
        {
            var keyed = new List<(string, string, long?)>();
            using (var connection = store.Open())
            {
                foreach (var (traceId, receivedMs) in traces)
                {
                    if (TraceEnvironments.Resolve(connection, traceId, environmentId) is { } environment)
                    {
                        keyed.Add((environment, traceId, receivedMs));
                    }
                }
            }

            return Delete(store, keyed).Select(t => t.TraceId).ToList();
        }
    }
}
