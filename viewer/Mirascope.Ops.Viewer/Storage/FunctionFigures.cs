using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Data.Common;
using Mirascope.Ops.Viewer.Cost;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>
    /// The functions the spans show and their figures: every registered function and every version hash seen in spans
    /// (registered or not), each version's calls, error rate, latency percentiles, tokens and cost.
    /// </summary>
    internal sealed class FunctionFigures
    {
        /// <summary>Most functions listed; the list is computed whenever the page shows it.</summary>
        public const int MaxFunctions = 500;

        private readonly TraceStore _database;

        public FunctionFigures(TraceStore database)
        {
            _database = database;
        }

        /// <summary>
        /// Each function name with its version hashes (registered ones and those only seen in spans), of
        /// <paramref name="environmentId"/> only when one is given (accounts mode).
        /// </summary>
        public SortedDictionary<string, List<string>> Names(string? environmentId = null)
        {
            using var connection = _database.Open();
            using var command = connection.CreateCommand();
            var registered = TraceEnvironments.InEnvironment(environmentId, SqlText.Of($"functions"));
            command.SetText(SqlText.Of($@"SELECT name, hash FROM functions WHERE 1 = 1{registered}
                UNION
                SELECT COALESCE(s.version_name, s.name), s.version_hash FROM spans s
                WHERE s.version_hash IS NOT NULL AND s.version_hash NOT IN (SELECT hash FROM functions WHERE 1 = 1{registered}){TraceEnvironments.InEnvironment(environmentId, SqlText.Of($"s"))}
                LIMIT @max"));
            command.Bind("@max", MaxFunctions * 20);
            TraceEnvironments.Bind(command, environmentId);
            var names = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var name = reader.GetString(0);
                if (!names.TryGetValue(name, out var hashes))
                {
                    if (names.Count == MaxFunctions)
                    {
                        continue;
                    }

                    hashes = new List<string>();
                    names[name] = hashes;
                }

                hashes.Add(reader.GetString(1));
            }

            return names;
        }

        /// <summary>The figures of each hash on its own and of all of them together (key <c>""</c>), of the spans of <paramref name="environmentId"/> when one is given.</summary>
        public Dictionary<string, CallFigures> Figures(IReadOnlyList<string> hashes, string? environmentId = null)
        {
            var sql = _database.Engine.Sql;
            using var connection = _database.Open();
            var hashesJson = JsonSerializer.Serialize(hashes);
            var parameters = new List<KeyValuePair<string, object>> { new KeyValuePair<string, object>("@hashes", hashesJson) };
            if (environmentId is not null)
            {
                parameters.Add(new KeyValuePair<string, object>("@environment", environmentId));
            }

            var costs = UsageQueries.Costs(connection, UsageQueries.VersionCallSpans(sql, environmentId), parameters, _database.Prices);
            var figures = new Dictionary<string, CallFigures>(StringComparer.Ordinal);
            var all = new CostEstimate();
            foreach (var hash in hashes)
            {
                var cost = costs.TryGetValue(hash, out var found) ? found : new CostEstimate();
                all.Merge(cost);
                figures[hash] = Calls(connection, sql, JsonSerializer.Serialize(new[] { hash }), cost, environmentId);
            }

            figures[string.Empty] = Calls(connection, sql, hashesJson, all, environmentId);
            return figures;
        }

        private static CallFigures Calls(DbConnection connection, SqlDialect sql, string hashesJson, CostEstimate cost, string? environmentId)
        {
            var inEnvironment = TraceEnvironments.InEnvironment(environmentId, SqlText.Of($"spans"));
            long calls, errors;
            long? first = null, last = null;
            using (var command = connection.CreateCommand())
            {
                command.SetText(SqlText.Of($@"SELECT COUNT(*), COALESCE(SUM(is_error), 0), MIN(start_ns), MAX(start_ns) FROM spans
                    WHERE version_hash IN (SELECT j.value FROM {sql.JsonArrayTable(SqlText.Of($"@hashes"), SqlText.Of($"j"))}){inEnvironment}"));
                command.Bind("@hashes", hashesJson);
                TraceEnvironments.Bind(command, environmentId);
                using var reader = command.ExecuteReader();
                reader.Read();
                calls = reader.GetInt64(0);
                errors = reader.GetInt64(1);
                if (!reader.IsDBNull(2))
                {
                    first = reader.GetInt64(2);
                    last = reader.GetInt64(3);
                }
            }

            return new CallFigures
            {
                Calls = calls,
                Errors = errors,
                FirstSeenNs = first,
                LastSeenNs = last,
                P50Ms = Percentile(connection, sql, hashesJson, calls, 0.50, inEnvironment, environmentId),
                P95Ms = Percentile(connection, sql, hashesJson, calls, 0.95, inEnvironment, environmentId),
                Cost = cost,
            };
        }

        /// <summary>The nearest-rank percentile of the calls' durations (the value below which the fraction <paramref name="p"/> of calls fall).</summary>
        private static double? Percentile(DbConnection connection, SqlDialect sql, string hashesJson, long calls, double p, SqlText inEnvironment, string? environmentId)
        {
            if (calls == 0)
            {
                return null;
            }

            using var command = connection.CreateCommand();
            command.SetText(SqlText.Of($@"SELECT end_ns - start_ns FROM spans WHERE version_hash IN (SELECT j.value FROM {sql.JsonArrayTable(SqlText.Of($"@hashes"), SqlText.Of($"j"))}){inEnvironment}
                ORDER BY end_ns - start_ns LIMIT 1 OFFSET @rank"));
            command.Bind("@hashes", hashesJson);
            TraceEnvironments.Bind(command, environmentId);
            command.Bind("@rank", Math.Max(0, (long)Math.Ceiling(p * calls) - 1));
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) / 1e6;
        }
    }
}
