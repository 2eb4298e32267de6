using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Data.Common;
using Mirascope.Ops.Viewer.Cost;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>
    /// The Cloud's <c>AnalyticsSummary</c> of the spans that started in a period (optionally only the calls of one function
    /// and what they called): counts, error rate, duration percentiles, tokens, cost, the top models and functions.
    /// The viewer adds <c>totalTraces</c> and what the cost leaves out (<c>costComplete</c>, <c>unpricedModels</c>).
    /// </summary>
    internal sealed class AnalyticsQuery
    {
        public const int TopCount = 10;

        private readonly TraceStore _database;

        public AnalyticsQuery(TraceStore database)
        {
            _database = database;
        }

        /// <param name="environmentId">Only spans of this environment (accounts mode); null: all (single-developer mode).</param>
        public void Write(Utf8JsonWriter json, long startNs, long endNs, string? functionHash, string? environmentId = null)
        {
            if (functionHash is null)
            {
                // The dashboard: from the rollups kept at ingest, seconds faster at millions of spans, the same figures.
                new DashboardFigures(_database).Write(json, startNs, endNs, environmentId);
            }
            else
            {
                WriteFromSpans(json, startNs, endNs, functionHash, environmentId);
            }
        }

        /// <summary>
        /// The summary computed from the spans themselves: a function's calls (they are found through the version hash
        /// index, and what is below them through parent links), and in tests the reference the rollups are compared with.
        /// </summary>
        internal void WriteFromSpans(Utf8JsonWriter json, long startNs, long endNs, string? functionHash, string? environmentId)
        {
            using var connection = _database.Open();
            var inEnvironment = environmentId is null ? SqlText.Empty : SqlText.Of($" AND environment_id = @environment");
            // The spans counted, as (trace key, seq): every span of the period, or the calls of the function and everything below
            // them. A trace is its environment's, so its key is the environment and the trace id (the id is the last 32 characters).
            var picked = functionHash is null
                ? SqlText.Of($"SELECT environment_id || ' ' || trace_id AS trace_id, seq FROM spans WHERE start_ns >= @start AND start_ns <= @end{inEnvironment}")
                : SqlText.Of($@"WITH RECURSIVE below(environment_id, trace_id, span_id, seq) AS (
                        SELECT environment_id, trace_id, span_id, seq FROM spans WHERE version_hash = @hash AND start_ns >= @start AND start_ns <= @end{inEnvironment}
                        UNION
                        SELECT s.environment_id, s.trace_id, s.span_id, s.seq FROM spans s
                        JOIN below b ON s.environment_id = b.environment_id AND s.trace_id = b.trace_id AND s.parent_span_id = b.span_id)
                    SELECT environment_id || ' ' || trace_id AS trace_id, seq FROM below");
            var parameters = new List<KeyValuePair<string, object>>
            {
                new KeyValuePair<string, object>("@start", startNs),
                new KeyValuePair<string, object>("@end", endNs),
            };
            if (environmentId is not null)
            {
                parameters.Add(new KeyValuePair<string, object>("@environment", environmentId));
            }

            if (functionHash is not null)
            {
                parameters.Add(new KeyValuePair<string, object>("@hash", functionHash));
            }

            var with = SqlText.Of($"WITH picked(trace_id, seq) AS ({picked}) ");
            long spans, traces, errors;
            double? average;
            using (var command = Command(connection, SqlText.Of($@"{with}SELECT COUNT(*), COUNT(DISTINCT p.trace_id), COALESCE(SUM(s.is_error), 0), AVG(CAST(s.end_ns - s.start_ns AS DOUBLE PRECISION))
                FROM picked p JOIN spans s ON s.seq = p.seq"), parameters))
            {
                using var reader = command.ExecuteReader();
                reader.Read();
                spans = reader.GetInt64(0);
                traces = reader.GetInt64(1);
                errors = reader.GetInt64(2);
                average = reader.IsDBNull(3) ? null : reader.GetDouble(3) / 1e6;
            }

            // Tokens and cost by trace, so a traced method's copy of its model call's usage is not counted twice.
            var costs = UsageQueries.Costs(connection, SqlText.Of($"SELECT trace_id, seq FROM ({picked}) period"), parameters, _database.Prices);
            var cost = new CostEstimate();
            foreach (var part in costs.Values)
            {
                cost.Merge(part);
            }

            json.WriteStartObject();
            json.WriteNumber("totalTraces", traces);
            json.WriteNumber("totalSpans", spans);
            Number(json, "avgDurationMs", average);
            Number(json, "p50DurationMs", Percentile(connection, with, parameters, spans, 0.50));
            Number(json, "p95DurationMs", Percentile(connection, with, parameters, spans, 0.95));
            Number(json, "p99DurationMs", Percentile(connection, with, parameters, spans, 0.99));
            json.WriteNumber("errorRate", spans == 0 ? 0 : (double)errors / spans);
            json.WriteNumber("totalTokens", cost.InputTokens + cost.OutputTokens);
            json.WriteNumber("totalInputTokens", cost.InputTokens);
            json.WriteNumber("totalOutputTokens", cost.OutputTokens);
            json.WriteNumber("totalCostUsd", cost.AnyPriced ? decimal.Round(cost.Usd, 8) : 0m);
            json.WriteBoolean("costComplete", cost.UnpricedModels.Count == 0);
            json.WriteStartArray("unpricedModels");
            foreach (var model in cost.UnpricedModels)
            {
                json.WriteStringValue(model);
            }

            json.WriteEndArray();
            Top(json, connection, SqlText.Of($"{with}SELECT s.model, COUNT(*) AS n FROM picked p JOIN spans s ON s.seq = p.seq WHERE s.model IS NOT NULL AND {ModelCall} GROUP BY s.model ORDER BY n DESC, s.model LIMIT @top"),
                parameters, "topModels", "model");
            Top(json, connection, SqlText.Of($@"{with}SELECT name, COUNT(*) AS n FROM (SELECT {FunctionSql.NameOf(SqlText.Of($"s"))} AS name FROM picked p JOIN spans s ON s.seq = p.seq WHERE s.version_hash IS NOT NULL) named
                GROUP BY name ORDER BY n DESC, name LIMIT @top"), parameters, "topFunctions", "functionName");
            json.WriteEndObject();
        }

        /// <summary>
        /// A span of <c>s</c> that is a model call, counted as cost is (<see cref="UsageQueries"/>): not one that repeats a call
        /// another layer's span counts, and a traced method that returned a response or an agent's total only where its trace has no model call span.
        /// </summary>
        private static readonly SqlText ModelCall = SqlText.Of($@"s.counted_by IS NULL
            AND (s.usage_source = 1 OR NOT EXISTS (SELECT 1 FROM spans g WHERE g.environment_id = s.environment_id AND g.trace_id = s.trace_id AND g.usage_source = 1))");

        private static DbCommand Command(DbConnection connection, SqlText sql, IEnumerable<KeyValuePair<string, object>> parameters)
        {
            var command = SqlCommands.Create(connection, sql);
            foreach (var (name, value) in parameters)
            {
                command.Bind(name, value);
            }

            return command;
        }

        private static double? Percentile(DbConnection connection, SqlText with, IEnumerable<KeyValuePair<string, object>> parameters, long count, double p)
        {
            if (count == 0)
            {
                return null;
            }

            using var command = Command(connection, SqlText.Of($"{with}SELECT s.end_ns - s.start_ns FROM picked p JOIN spans s ON s.seq = p.seq ORDER BY 1 LIMIT 1 OFFSET @rank"), parameters);
            command.Bind("@rank", Math.Max(0, (long)Math.Ceiling(p * count) - 1));
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) / 1e6;
        }

        private static void Top(Utf8JsonWriter json, DbConnection connection, SqlText sql, IEnumerable<KeyValuePair<string, object>> parameters, string name, string field)
        {
            using var command = Command(connection, sql, parameters);
            command.Bind("@top", TopCount);
            json.WriteStartArray(name);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                json.WriteStartObject();
                json.WriteString(field, reader.GetString(0));
                json.WriteNumber("count", reader.GetInt64(1));
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        /// <summary>A figure rounded to 3 decimals, or null when there is none (the dashboard writes its figures through this too).</summary>
        internal static void Number(Utf8JsonWriter json, string name, double? value)
        {
            if (value is { } number)
            {
                json.WriteNumber(name, Math.Round(number, 3));
            }
            else
            {
                json.WriteNull(name);
            }
        }
    }
}
