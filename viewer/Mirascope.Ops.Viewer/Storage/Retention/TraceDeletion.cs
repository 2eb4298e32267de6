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
    /// (<see cref="Api.TraceDeleteEndpoints"/>, one trace).
    /// </summary>
    internal static class TraceDeletion
    {
        /// <summary>
        /// Deletes those of <paramref name="traces"/> that are, inside the transaction, still as they were seen: a trace whose
        /// newest span arrived after <c>ReceivedMs</c> (spans came in since it was chosen) is kept; null deletes it as it is.
        /// With <paramref name="environmentId"/>, only traces of that environment are deleted. Returns the ids deleted.
        /// </summary>
        public static IReadOnlyList<string> Delete(TraceStore store, IReadOnlyCollection<(string TraceId, long? ReceivedMs)> traces, string? environmentId = null)
        {
            if (traces.Count == 0)
            {
                return Array.Empty<string>();
            }

            var sql = store.Engine.Sql;
            var ids = SqlText.Of($"(SELECT j.value FROM {sql.JsonArrayTable(SqlText.Of($"@ids"), SqlText.Of($"j"))})");
            using var connection = store.Open();
            using var transaction = store.Engine.BeginWrite(connection, traces.Select(t => t.TraceId));
            var seen = traces.ToDictionary(t => t.TraceId, t => t.ReceivedMs, StringComparer.Ordinal);
            var doomed = new List<string>();
            using (var select = SqlCommands.Create(connection, SqlText.Of($"SELECT trace_id, received_ms, environment_id FROM traces WHERE trace_id IN {ids}"), transaction))
            {
                select.Bind("@ids", JsonSerializer.Serialize(seen.Keys));
                using var reader = select.ExecuteReader();
                while (reader.Read())
                {
                    var id = reader.GetString(0);
                    var unchanged = seen[id] is not { } expected || reader.GetInt64(1) <= expected;
                    if (unchanged && (environmentId is null || reader.GetString(2) == environmentId))
                    {
                        doomed.Add(id);
                    }
                }
            }

            if (doomed.Count == 0)
            {
                return doomed;
            }

            // The rollup tables (the dashboard's, the functions' and the status counts) lose these traces in the same
            // transaction, before their spans go: Subtract reads the spans it takes away.
            Rollups.Subtract(connection, transaction, sql, doomed);
            using (var delete = SqlCommands.Create(connection, SqlText.Of($@"
                DELETE FROM annotations WHERE otel_trace_id IN {ids};
                DELETE FROM spans WHERE trace_id IN {ids};
                DELETE FROM traces WHERE trace_id IN {ids};"), transaction))
            {
                delete.Bind("@ids", JsonSerializer.Serialize(doomed));
                delete.ExecuteNonQuery();
            }

            transaction.Commit();
            return doomed;
        }
    }
}
