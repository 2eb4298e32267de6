using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using Mirascope.Ops.Viewer.Cost;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>
    /// The dashboard's figures of a period (<see cref="AnalyticsQuery"/> without a function) from the rollups
    /// (<see cref="Rollups"/>): the period is covered by whole hour, minute and second buckets, and the spans of what is
    /// left at its ends (less than a second at each) are read as they are stored (<see cref="TimeBuckets.Cover"/>). The
    /// answer is the one a query over the period's spans gives:
    /// <list type="bullet">
    /// <item>Traces: those whose first span starts in the period (bucket counts) and those that started before it with a
    /// span in it; these start at most the longest trace's length before the period (<c>trace_lengths</c>), so only that
    /// window of traces is looked at.</item>
    /// <item>Percentiles: the histogram says which duration bucket holds the rank; the value is read from the period's
    /// spans in that bucket (<c>spans_by_duration</c>), so it is exact.</item>
    /// <item>Tokens and cost: a trace's model call spans when it has any, else its other spans with usage; a trace with a
    /// model call outside the period but none in it counts its other spans in the period, as a query over the period did
    /// (those traces have spans on both sides of one of its ends, and are read one by one).</item>
    /// </list>
    /// One difference: the cost of a (source, provider, model) is priced on the tokens summed over the period, where the
    /// query priced each trace's sum; they differ only for a span reporting more cache tokens than input tokens.
    /// </summary>
    internal sealed class DashboardFigures
    {
        private readonly TraceStore _database;

        public DashboardFigures(TraceStore database)
        {
            _database = database;
        }

        /// <summary>The period's figures; <paramref name="environmentId"/> null: every environment.</summary>
        public void Write(Utf8JsonWriter json, long startNs, long endNs, string? environmentId)
        {
            var sql = _database.Engine.Sql;
            using var connection = _database.Open();
            using var transaction = _database.Engine.BeginRead(connection);   // one state for every read below
            var buckets = new List<(int Level, long From, long To)>();
            var raw = new List<(long From, long To)>();
            TimeBuckets.Cover(startNs, endNs == long.MaxValue ? long.MaxValue : endNs + 1, buckets, raw);
            var scope = environmentId is null ? SqlText.Empty : SqlText.Of($" AND environment_id = @environment");

            long spans = 0, errors = 0, traces = 0;
            decimal durationSum = 0;
            var histogram = new SortedDictionary<int, long>();
            var usage = new Dictionary<(int Source, string Provider, string Model, bool TraceHasModelCalls), TokenUsageSum>();
            var functions = new Dictionary<(string Hash, string Name), long>();

            // The whole buckets.
            foreach (var (level, from, to) in buckets)
            {
                DbCommand Bucketed(SqlText text)
                {
                    var command = SqlCommands.Create(connection, text, transaction);
                    command.Bind("@level", level).Bind("@from", from).Bind("@to", to);
                    if (environmentId is not null)
                    {
                        command.Bind("@environment", environmentId);
                    }

                    return command;
                }

                var inBuckets = SqlText.Of($"level = @level AND bucket >= @from AND bucket < @to{scope}");
                using (var command = Bucketed(SqlText.Of($@"SELECT COALESCE(SUM(spans), 0), COALESCE(SUM(errors), 0), COALESCE(SUM(duration_high), 0), COALESCE(SUM(duration_low), 0),
                    COALESCE(SUM(traces_started), 0) FROM span_buckets WHERE {inBuckets}")))
                {
                    using var reader = command.ExecuteReader();
                    reader.Read();
                    spans += reader.GetInt64(0);
                    errors += reader.GetInt64(1);
                    durationSum += (decimal)reader.GetInt64(2) * 4294967296m + reader.GetInt64(3);
                    traces += reader.GetInt64(4);
                }

                using (var command = Bucketed(SqlText.Of($"SELECT duration_bucket, SUM(spans) FROM span_bucket_durations WHERE {inBuckets} GROUP BY duration_bucket")))
                {
                    using var reader = command.ExecuteReader();
                    while (reader.Read())
                    {
                        histogram[reader.GetInt32(0)] = histogram.GetValueOrDefault(reader.GetInt32(0)) + reader.GetInt64(1);
                    }
                }

                using (var command = Bucketed(SqlText.Of($@"SELECT usage_source, provider, model, trace_has_model_calls, SUM(spans), SUM(input_tokens), SUM(output_tokens),
                    SUM(cache_read_tokens), SUM(cache_write_tokens) FROM span_bucket_usage WHERE {inBuckets} GROUP BY usage_source, provider, model, trace_has_model_calls")))
                {
                    using var reader = command.ExecuteReader();
                    while (reader.Read())
                    {
                        Add(usage, (reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3) != 0),
                            new TokenUsageSum(reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8)));
                    }
                }

                using (var command = Bucketed(SqlText.Of($"SELECT version_hash, name, SUM(spans) FROM span_bucket_functions WHERE {inBuckets} GROUP BY version_hash, name")))
                {
                    using var reader = command.ExecuteReader();
                    while (reader.Read())
                    {
                        var key = (reader.GetString(0), reader.GetString(1));
                        functions[key] = functions.GetValueOrDefault(key) + reader.GetInt64(2);
                    }
                }
            }

            // The ends no whole second covers, from the spans (and the traces that start there, from the traces).
            foreach (var (from, to) in raw)
            {
                using (var command = SqlCommands.Create(connection, SqlText.Of($@"SELECT s.start_ns, s.end_ns, s.is_error, s.usage_source, s.provider, s.model, s.input_tokens, s.output_tokens,
                        s.cache_read_tokens, s.cache_write_tokens, s.counted_by, s.version_hash, COALESCE(s.version_name, s.name),
                        CASE WHEN EXISTS (SELECT 1 FROM spans g WHERE g.environment_id = s.environment_id AND g.trace_id = s.trace_id AND g.usage_source = 1) THEN 1 ELSE 0 END
                    FROM spans s WHERE s.start_ns >= @from AND s.start_ns < @to{(environmentId is null ? SqlText.Empty : SqlText.Of($" AND s.environment_id = @environment"))}"), transaction))
                {
                    command.Bind("@from", from).Bind("@to", to);
                    if (environmentId is not null)
                    {
                        command.Bind("@environment", environmentId);
                    }

                    using var reader = command.ExecuteReader();
                    while (reader.Read())
                    {
                        long Number(int i) => reader.IsDBNull(i) ? 0 : reader.GetInt64(i);
                        var duration = reader.GetInt64(1) - reader.GetInt64(0);
                        spans++;
                        errors += reader.GetInt32(2);
                        durationSum += duration;
                        var bucket = DurationBuckets.Of(duration);
                        histogram[bucket] = histogram.GetValueOrDefault(bucket) + 1;
                        var source = reader.GetInt32(3);
                        var model = reader.IsDBNull(5) ? null : reader.GetString(5);
                        if (reader.IsDBNull(10) && (source > 0 || model is not null))
                        {
                            Add(usage, (source, reader.IsDBNull(4) ? string.Empty : reader.GetString(4), model ?? string.Empty, reader.GetInt32(13) != 0),
                                new TokenUsageSum(1, Number(6), Number(7), Number(8), Number(9)));
                        }

                        if (!reader.IsDBNull(11))
                        {
                            var key = (reader.GetString(11), reader.GetString(12));
                            functions[key] = functions.GetValueOrDefault(key) + 1;
                        }
                    }
                }

                using (var command = SqlCommands.Create(connection, SqlText.Of($"SELECT COUNT(*) FROM traces WHERE start_ns >= @from AND start_ns < @to{scope}"), transaction))
                {
                    command.Bind("@from", from).Bind("@to", to);
                    if (environmentId is not null)
                    {
                        command.Bind("@environment", environmentId);
                    }

                    traces += Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
                }
            }

            var straddling = Straddling(connection, transaction, sql, startNs, endNs, environmentId, scope, out var startedBefore);
            traces += startedBefore;
            var cost = Cost(usage);
            foreach (var extra in TracesCountingTheirOtherSpans(connection, transaction, sql, straddling, startNs, endNs))
            {
                cost.Add(extra, _database.Prices.Cost(extra));
            }

            json.WriteStartObject();
            json.WriteNumber("totalTraces", traces);
            json.WriteNumber("totalSpans", spans);
            AnalyticsQuery.Number(json, "avgDurationMs", spans == 0 ? null : (double)(durationSum / spans) / 1e6);
            AnalyticsQuery.Number(json, "p50DurationMs", Percentile(connection, transaction, histogram, spans, 0.50, startNs, endNs, environmentId, scope));
            AnalyticsQuery.Number(json, "p95DurationMs", Percentile(connection, transaction, histogram, spans, 0.95, startNs, endNs, environmentId, scope));
            AnalyticsQuery.Number(json, "p99DurationMs", Percentile(connection, transaction, histogram, spans, 0.99, startNs, endNs, environmentId, scope));
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

            // A model call as the query counted one: not a repeat (the rows hold none), a model call span, or any span naming
            // a model in a trace without one.
            var models = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var ((source, _, model, traceHasModelCalls), sum) in usage)
            {
                if (model.Length > 0 && (source == (int)UsageSource.GenAi || !traceHasModelCalls))
                {
                    models[model] = models.GetValueOrDefault(model) + sum.Spans;
                }
            }

            Top(json, "topModels", "model", models);
            var registered = RegisteredNames(connection, transaction, sql, functions.Keys.Select(k => k.Hash).Distinct(StringComparer.Ordinal).ToList());
            var names = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var ((hash, name), count) in functions)
            {
                var shown = registered.TryGetValue(hash, out var registeredName) ? registeredName : name;
                names[shown] = names.GetValueOrDefault(shown) + count;
            }

            Top(json, "topFunctions", "functionName", names);
            json.WriteEndObject();
        }

        private readonly record struct TokenUsageSum(long Spans, long Input, long Output, long CacheRead, long CacheWrite);

        private static void Add<TKey>(Dictionary<TKey, TokenUsageSum> into, TKey key, TokenUsageSum sum)
            where TKey : notnull
        {
            var had = into.GetValueOrDefault(key);
            into[key] = new TokenUsageSum(had.Spans + sum.Spans, had.Input + sum.Input, had.Output + sum.Output, had.CacheRead + sum.CacheRead, had.CacheWrite + sum.CacheWrite);
        }

        /// <summary>The counted spans' tokens and cost: model call spans, and the others of traces without a model call span (<see cref="UsageQueries"/>).</summary>
        private CostEstimate Cost(Dictionary<(int Source, string Provider, string Model, bool TraceHasModelCalls), TokenUsageSum> usage)
        {
            var sums = new Dictionary<(int Source, string Provider, string Model), TokenUsageSum>();
            foreach (var ((source, provider, model, traceHasModelCalls), sum) in usage)
            {
                if (source > 0 && (source == (int)UsageSource.GenAi || !traceHasModelCalls))
                {
                    Add(sums, (source, provider, model), sum);
                }
            }

            var cost = new CostEstimate();
            foreach (var ((_, provider, model), sum) in sums.OrderBy(s => s.Key.Source).ThenBy(s => s.Key.Provider, StringComparer.Ordinal).ThenBy(s => s.Key.Model, StringComparer.Ordinal))
            {
                var tokens = new TokenUsage(provider.Length == 0 ? null : provider, model.Length == 0 ? null : model, sum.Input, sum.Output, sum.CacheRead, sum.CacheWrite);
                cost.Add(tokens, _database.Prices.Cost(tokens));
            }

            return cost;
        }

        /// <summary>
        /// The traces with spans both in the period and before or after it: they start at most the longest trace's length
        /// before the period's start (or end). <paramref name="startedBefore"/>: how many of them started before the period.
        /// </summary>
        private static List<(string EnvironmentId, string TraceId)> Straddling(DbConnection connection, DbTransaction transaction, SqlDialect sql, long startNs, long endNs, string? environmentId, SqlText scope,
            out long startedBefore)
        {
            int bits;
            using (var command = SqlCommands.Create(connection, SqlText.Of($"SELECT COALESCE(MAX(length_bits), 0) FROM trace_lengths WHERE traces > 0{scope}"), transaction))
            {
                if (environmentId is not null)
                {
                    command.Bind("@environment", environmentId);
                }

                bits = Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
            }

            startedBefore = 0;
            var straddling = new List<(string EnvironmentId, string TraceId)>();
            if (bits == 0)
            {
                return straddling;   // every trace's spans start at one instant: none is on both sides of anything
            }

            // A trace's spans start within 2^bits ns of its first (bits = the bit length of the longest span of starts).
            var reach = bits >= 63 ? long.MaxValue : 1L << bits;
            var inScope = environmentId is null ? SqlText.Empty : SqlText.Of($" AND t.environment_id = @environment");
            using (var command = SqlCommands.Create(connection, SqlText.Of($@"SELECT t.trace_id, 1, t.environment_id FROM traces t WHERE t.start_ns < @start AND t.start_ns >= @startReach{inScope}
                    AND EXISTS (SELECT 1 FROM spans s WHERE s.environment_id = t.environment_id AND s.trace_id = t.trace_id AND s.start_ns >= @start AND s.start_ns <= @end)
                UNION ALL
                SELECT t.trace_id, 0, t.environment_id FROM traces t WHERE t.start_ns >= @start AND t.start_ns <= @end AND t.start_ns > @endReach{inScope}
                    AND EXISTS (SELECT 1 FROM spans s WHERE s.environment_id = t.environment_id AND s.trace_id = t.trace_id AND s.start_ns > @end)"), transaction))
            {
                command.Bind("@start", startNs).Bind("@end", endNs)
                    .Bind("@startReach", startNs < long.MinValue + reach ? long.MinValue : startNs - reach)
                    .Bind("@endReach", endNs < long.MinValue + reach ? long.MinValue : endNs - reach);
                if (environmentId is not null)
                {
                    command.Bind("@environment", environmentId);
                }

                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    straddling.Add((reader.GetString(2), reader.GetString(0)));
                    startedBefore += reader.GetInt32(1);
                }
            }

            return straddling;
        }

        /// <summary>
        /// The usage the rollups leave out for traces on both sides of the period: a trace with a model call span, but none in
        /// the period, counts its other spans with usage in the period (the rollups count only its model calls).
        /// </summary>
        private static IEnumerable<TokenUsage> TracesCountingTheirOtherSpans(DbConnection connection, DbTransaction transaction, SqlDialect sql, List<(string EnvironmentId, string TraceId)> traces, long startNs, long endNs)
        {
            // Each environment's traces on their own: a trace is its environment's (another may hold the same id).
            var found = new List<TokenUsage>();
            foreach (var environment in traces.GroupBy(t => t.EnvironmentId, StringComparer.Ordinal))
            {
                found.AddRange(TracesCountingTheirOtherSpans(connection, transaction, sql, environment.Key, environment.Select(t => t.TraceId).ToList(), startNs, endNs));
            }

            return found;
        }

        private static List<TokenUsage> TracesCountingTheirOtherSpans(DbConnection connection, DbTransaction transaction, SqlDialect sql, string environmentId, List<string> traceIds, long startNs, long endNs)
        {
            using var command = SqlCommands.Create(connection, SqlText.Of($@"SELECT s.usage_source, s.provider, s.model, SUM(COALESCE(s.input_tokens, 0)), SUM(COALESCE(s.output_tokens, 0)),
                    SUM(COALESCE(s.cache_read_tokens, 0)), SUM(COALESCE(s.cache_write_tokens, 0))
                FROM spans s
                WHERE s.environment_id = @environment AND s.trace_id IN (SELECT j.value FROM {sql.JsonArrayTable(SqlText.Of($"@ids"), SqlText.Of($"j"))})
                    AND s.start_ns >= @start AND s.start_ns <= @end AND s.usage_source > 1 AND s.counted_by IS NULL
                    AND EXISTS (SELECT 1 FROM spans g WHERE g.environment_id = s.environment_id AND g.trace_id = s.trace_id AND g.usage_source = 1)
                    AND NOT EXISTS (SELECT 1 FROM spans g WHERE g.environment_id = s.environment_id AND g.trace_id = s.trace_id AND g.usage_source = 1 AND g.counted_by IS NULL AND g.start_ns >= @start AND g.start_ns <= @end)
                GROUP BY s.trace_id, s.usage_source, s.provider, s.model"), transaction);
            command.Bind("@environment", environmentId).Bind("@ids", JsonSerializer.Serialize(traceIds.Distinct(StringComparer.Ordinal))).Bind("@start", startNs).Bind("@end", endNs);
            var found = new List<TokenUsage>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                found.Add(new TokenUsage(reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6)));
            }

            return found;
        }

        /// <summary>The nearest-rank percentile of the period's span durations, exact (see the class comment).</summary>
        private static double? Percentile(DbConnection connection, DbTransaction transaction, SortedDictionary<int, long> histogram, long count, double p, long startNs, long endNs,
            string? environmentId, SqlText scope)
        {
            if (count == 0)
            {
                return null;
            }

            var rank = Math.Max(0, (long)Math.Ceiling(p * count) - 1);
            foreach (var (bucket, inBucket) in histogram)
            {
                if (rank >= inBucket)
                {
                    rank -= inBucket;
                    continue;
                }

                var (low, high) = DurationBuckets.Bounds(bucket);
                if (low == high)
                {
                    return low / 1e6;
                }

                var inPeriod = SqlText.Of($"end_ns - start_ns >= @low AND end_ns - start_ns <= @high AND start_ns >= @start AND start_ns <= @end{scope}");
                DbCommand Command(SqlText text)
                {
                    var command = SqlCommands.Create(connection, text, transaction);
                    command.Bind("@low", low).Bind("@high", high).Bind("@start", startNs).Bind("@end", endNs);
                    if (environmentId is not null)
                    {
                        command.Bind("@environment", environmentId);
                    }

                    return command;
                }

                // Spans of one duration (a generator's, a timeout's) fill one bucket: its first and last say so without reading it all.
                using (var ends = Command(SqlText.Of($@"SELECT (SELECT MIN(end_ns - start_ns) FROM spans WHERE {inPeriod}), (SELECT MAX(end_ns - start_ns) FROM spans WHERE {inPeriod})")))
                {
                    using var reader = ends.ExecuteReader();
                    reader.Read();
                    if (reader.GetInt64(0) == reader.GetInt64(1))
                    {
                        return reader.GetInt64(0) / 1e6;
                    }
                }

                using var command = Command(SqlText.Of($"SELECT end_ns - start_ns FROM spans WHERE {inPeriod} ORDER BY end_ns - start_ns LIMIT 1 OFFSET @rank"));
                command.Bind("@rank", rank);
                return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) / 1e6;
            }

            return null;
        }

        /// <summary>The registered function name of each hash that has one (a span's own name stands in for the others).</summary>
        private static Dictionary<string, string> RegisteredNames(DbConnection connection, DbTransaction transaction, SqlDialect sql, List<string> hashes)
        {
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            if (hashes.Count == 0)
            {
                return names;
            }

            using var command = SqlCommands.Create(connection, SqlText.Of($"SELECT hash, name FROM functions WHERE hash IN (SELECT j.value FROM {sql.JsonArrayTable(SqlText.Of($"@hashes"), SqlText.Of($"j"))})"), transaction);
            command.Bind("@hashes", JsonSerializer.Serialize(hashes));
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                names[reader.GetString(0)] = reader.GetString(1);
            }

            return names;
        }

        private static void Top(Utf8JsonWriter json, string name, string field, Dictionary<string, long> counts)
        {
            json.WriteStartArray(name);
            foreach (var (key, count) in counts.Where(c => c.Value > 0).OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Take(AnalyticsQuery.TopCount))
            {
                json.WriteStartObject();
                json.WriteString(field, key);
                json.WriteNumber("count", count);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

    }
}
