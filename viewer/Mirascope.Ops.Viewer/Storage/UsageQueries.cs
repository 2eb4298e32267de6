using System.Collections.Generic;
using System.Data.Common;
using Mirascope.Ops.Viewer.Cost;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>
    /// Token counts and costs of groups of spans (a trace, a version's calls, a period). In a group, the model calls
    /// (<c>gen_ai.usage.*</c>) are counted when it has any; otherwise the traced methods that returned a response
    /// (<c>mirascope.response.usage</c>), which would otherwise count the same tokens twice. A span that repeats a call
    /// another span counts (<see cref="RepeatedCalls"/>) is never counted.
    /// </summary>
    internal static class UsageQueries
    {
        /// <summary>The per-model sums of the spans selected by <paramref name="spanSql"/>, a query of <c>(group_key, seq)</c>.</summary>
        public static Dictionary<string, CostEstimate> Costs(DbConnection connection, SqlText spanSql, IEnumerable<KeyValuePair<string, object>> parameters, PriceTable prices)
        {
            using var command = connection.CreateCommand();
            command.SetText(SqlText.Of($@"WITH picked(group_key, seq) AS ({spanSql})
                SELECT p.group_key, s.usage_source, s.provider, s.model, SUM(COALESCE(s.input_tokens, 0)), SUM(COALESCE(s.output_tokens, 0)),
                    SUM(COALESCE(s.cache_read_tokens, 0)), SUM(COALESCE(s.cache_write_tokens, 0))
                FROM picked p JOIN spans s ON s.seq = p.seq
                WHERE s.usage_source > 0 AND s.counted_by IS NULL
                GROUP BY p.group_key, s.usage_source, s.provider, s.model"));
            foreach (var (name, value) in parameters)
            {
                command.Bind(name, value);
            }

            var rows = new List<(string Key, int Source, TokenUsage Usage)>();
            var hasModelCalls = new HashSet<string>(System.StringComparer.Ordinal);
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    var key = reader.GetString(0);
                    var source = reader.GetInt32(1);
                    rows.Add((key, source, new TokenUsage(reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                        reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7))));
                    if (source == (int)UsageSource.GenAi)
                    {
                        hasModelCalls.Add(key);
                    }
                }
            }

            var costs = new Dictionary<string, CostEstimate>(System.StringComparer.Ordinal);
            foreach (var (key, source, usage) in rows)
            {
                if (hasModelCalls.Contains(key) && source != (int)UsageSource.GenAi)
                {
                    continue;
                }

                if (!costs.TryGetValue(key, out var cost))
                {
                    cost = new CostEstimate();
                    costs[key] = cost;
                }

                cost.Add(usage, prices.Cost(usage));
            }

            return costs;
        }

        /// <summary>The cost of each listed trace of the environment (traces without model calls are left out).</summary>
        public static Dictionary<string, CostEstimate> CostsOfTraces(DbConnection connection, string environmentId, IReadOnlyCollection<string> traceIds, PriceTable prices, SqlDialect sql)
        {
            if (traceIds.Count == 0)
            {
                return new Dictionary<string, CostEstimate>();
            }

            return Costs(connection, SqlText.Of($"SELECT trace_id, seq FROM spans WHERE environment_id = @environment AND trace_id IN (SELECT j.value FROM {sql.JsonArrayTable(SqlText.Of($"@ids"), SqlText.Of($"j"))}) AND usage_source > 0 AND counted_by IS NULL"),
                new[] { new KeyValuePair<string, object>("@environment", environmentId), new KeyValuePair<string, object>("@ids", System.Text.Json.JsonSerializer.Serialize(traceIds)) }, prices);
        }

        /// <summary>
        /// The spans of each call of a version: the span with the hash and everything below it (the model calls it made).
        /// A query of <c>(hash, seq)</c> for the hashes in the JSON array <c>@hashes</c>; UNION ends a loop of parent links.
        /// With an environment, only its spans (<c>@environment</c>; the spans below are of the same trace, so of the same environment).
        /// </summary>
        public static SqlText VersionCallSpans(SqlDialect sql, string? environmentId = null) => SqlText.Of($@"
            WITH RECURSIVE below(group_key, environment_id, trace_id, span_id, seq) AS (
                SELECT version_hash, environment_id, trace_id, span_id, seq FROM spans WHERE version_hash IN (SELECT j.value FROM {sql.JsonArrayTable(SqlText.Of($"@hashes"), SqlText.Of($"j"))}){TraceEnvironments.InEnvironment(environmentId, SqlText.Of($"spans"))}
                UNION
                SELECT b.group_key, s.environment_id, s.trace_id, s.span_id, s.seq FROM spans s
                JOIN below b ON s.environment_id = b.environment_id AND s.trace_id = b.trace_id AND s.parent_span_id = b.span_id)
            SELECT group_key, seq FROM below");
    }
}
