using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
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
            // The names seen in spans from the rollups (Rollups: one row per hash, name, environment and shard), not the spans.
            command.SetText(SqlText.Of($@"SELECT name, hash FROM functions WHERE 1 = 1{registered}
                UNION
                SELECT c.name, c.version_hash FROM function_calls c
                WHERE c.version_hash NOT IN (SELECT hash FROM functions WHERE 1 = 1{registered}){TraceEnvironments.InEnvironment(environmentId, SqlText.Of($"c"))}
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

        /// <summary>
        /// The figures of each hash on its own and of all of them together (key <c>""</c>), from the rollups (<see cref="Rollups"/>),
        /// of the spans of <paramref name="environmentId"/> when one is given.
        /// </summary>
        public Dictionary<string, CallFigures> Figures(IReadOnlyList<string> hashes, string? environmentId = null) => FiguresOf(new[] { hashes }, eachHash: true, environmentId)[0];

        /// <summary>
        /// The figures of each group of hashes together (a function's versions; key <c>""</c>), read in one transaction (the
        /// functions list), of the spans of <paramref name="environmentId"/> when one is given.
        /// </summary>
        public List<CallFigures> TotalsOf(IReadOnlyList<IReadOnlyList<string>> groups, string? environmentId = null) =>
            FiguresOf(groups, eachHash: false, environmentId).Select(f => f[string.Empty]).ToList();

        private List<Dictionary<string, CallFigures>> FiguresOf(IReadOnlyList<IReadOnlyList<string>> groups, bool eachHash, string? environmentId)
        {
            var sql = _database.Engine.Sql;
            using var connection = _database.Open();
            // One state for every read: a batch committed between two of them would make calls and percentiles disagree.
            using var transaction = _database.Engine.BeginRead(connection);
            var allHashes = groups.SelectMany(g => g).Distinct(StringComparer.Ordinal).ToList();
            var allJson = JsonSerializer.Serialize(allHashes);
            var inEnvironment = InEnvironment(environmentId);
            var inHashes = SqlText.Of($"version_hash IN (SELECT j.value FROM {sql.JsonArrayTable(SqlText.Of($"@hashes"), SqlText.Of($"j"))}){inEnvironment}");

            var counts = new Dictionary<string, (long Calls, long Errors)>(StringComparer.Ordinal);
            using (var command = SqlCommands.Create(connection, SqlText.Of($"SELECT version_hash, SUM(calls), SUM(errors) FROM function_calls WHERE {inHashes} GROUP BY version_hash"), transaction))
            {
                command.Bind("@hashes", allJson);
                TraceEnvironments.Bind(command, environmentId);
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    counts[reader.GetString(0)] = (reader.GetInt64(1), reader.GetInt64(2));
                }
            }

            var histograms = new Dictionary<string, SortedDictionary<int, long>>(StringComparer.Ordinal);
            using (var command = SqlCommands.Create(connection, SqlText.Of($"SELECT version_hash, bucket, SUM(calls) FROM function_durations WHERE {inHashes} GROUP BY version_hash, bucket"), transaction))
            {
                command.Bind("@hashes", allJson);
                TraceEnvironments.Bind(command, environmentId);
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    var hash = reader.GetString(0);
                    if (!histograms.TryGetValue(hash, out var histogram))
                    {
                        histogram = new SortedDictionary<int, long>();
                        histograms[hash] = histogram;
                    }

                    histogram[reader.GetInt32(1)] = reader.GetInt64(2);
                }
            }

            var costs = Costs(connection, transaction, inHashes, allJson, environmentId);
            var seen = new Dictionary<string, (long? First, long? Last)>(StringComparer.Ordinal);
            foreach (var hash in allHashes)
            {
                seen[hash] = counts.TryGetValue(hash, out var c) && c.Calls > 0 ? Seen(connection, transaction, hash, inEnvironment, environmentId) : (null, null);
            }

            var result = new List<Dictionary<string, CallFigures>>();
            foreach (var hashes in groups)
            {
                var figures = new Dictionary<string, CallFigures>(StringComparer.Ordinal);
                var all = new CostEstimate();
                var allHistogram = new SortedDictionary<int, long>();
                long allCalls = 0, allErrors = 0;
                long? allFirst = null, allLast = null;
                foreach (var hash in hashes.Distinct(StringComparer.Ordinal))
                {
                    var cost = costs.TryGetValue(hash, out var found) ? found : new CostEstimate();
                    all.Merge(cost);
                    var (calls, errors) = counts.TryGetValue(hash, out var c) ? c : (0, 0);
                    var histogram = histograms.TryGetValue(hash, out var h) ? h : new SortedDictionary<int, long>();
                    foreach (var (bucket, n) in histogram)
                    {
                        allHistogram[bucket] = allHistogram.GetValueOrDefault(bucket) + n;
                    }

                    var (first, last) = seen[hash];
                    allCalls += calls;
                    allErrors += errors;
                    allFirst = Min(allFirst, first);
                    allLast = Max(allLast, last);
                    if (eachHash)
                    {
                        figures[hash] = Figure(connection, transaction, sql, new[] { hash }, calls, errors, first, last, histogram, cost, environmentId);
                    }
                }

                // The hashes together count each once, as the query over spans with version_hash IN (...) did.
                figures[string.Empty] = Figure(connection, transaction, sql, hashes.Distinct(StringComparer.Ordinal).ToList(), allCalls, allErrors, allFirst, allLast, allHistogram, all, environmentId);
                result.Add(figures);
            }

            return result;
        }

        /// <summary>
        /// The environment condition for the unaliased tables these queries read (spans and the function rollups all have
        /// <c>environment_id</c>); empty outside accounts mode.
        /// </summary>
        private static SqlText InEnvironment(string? environmentId) => environmentId is null ? SqlText.Empty : SqlText.Of($" AND environment_id = @environment");

        private static long? Min(long? a, long? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);

        private static long? Max(long? a, long? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

        private static CallFigures Figure(DbConnection connection, DbTransaction transaction, SqlDialect sql, IReadOnlyList<string> hashes, long calls, long errors, long? first, long? last,
            SortedDictionary<int, long> histogram, CostEstimate cost, string? environmentId) => new CallFigures
        {
            Calls = calls,
            Errors = errors,
            FirstSeenNs = first,
            LastSeenNs = last,
            P50Ms = Percentile(connection, transaction, sql, hashes, histogram, calls, 0.50, environmentId),
            P95Ms = Percentile(connection, transaction, sql, hashes, histogram, calls, 0.95, environmentId),
            Cost = cost,
        };

        /// <summary>The first and last start of the hash's calls: two seeks in <c>spans_by_version_start</c>.</summary>
        private static (long?, long?) Seen(DbConnection connection, DbTransaction transaction, string hash, SqlText inEnvironment, string? environmentId)
        {
            using var command = SqlCommands.Create(connection, SqlText.Of($@"SELECT (SELECT MIN(start_ns) FROM spans WHERE version_hash = @hash{inEnvironment}),
                (SELECT MAX(start_ns) FROM spans WHERE version_hash = @hash{inEnvironment})"), transaction);
            command.Bind("@hash", hash);
            TraceEnvironments.Bind(command, environmentId);
            using var reader = command.ExecuteReader();
            reader.Read();
            return reader.IsDBNull(0) ? (null, null) : (reader.GetInt64(0), reader.GetInt64(1));
        }

        /// <summary>
        /// Token counts below each version's calls by usage source and model (<see cref="UsageQueries"/>'s rule, per version:
        /// its model calls when it has any, else the traced methods that returned a response).
        /// </summary>
        private Dictionary<string, CostEstimate> Costs(DbConnection connection, DbTransaction transaction, SqlText inHashes, string hashesJson, string? environmentId)
        {
            using var command = SqlCommands.Create(connection, SqlText.Of($@"SELECT version_hash, usage_source, provider, model, SUM(input_tokens), SUM(output_tokens),
                    SUM(cache_read_tokens), SUM(cache_write_tokens)
                FROM function_usage WHERE {inHashes} GROUP BY version_hash, usage_source, provider, model"), transaction);
            command.Bind("@hashes", hashesJson);
            TraceEnvironments.Bind(command, environmentId);
            var rows = new List<(string Hash, int Source, TokenUsage Usage)>();
            var hasModelCalls = new HashSet<string>(StringComparer.Ordinal);
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    var hash = reader.GetString(0);
                    var source = reader.GetInt32(1);
                    string? Named(int i) => reader.GetString(i) is { Length: > 0 } text ? text : null;   // '' is a missing provider or model
                    rows.Add((hash, source, new TokenUsage(Named(2), Named(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7))));
                    if (source == (int)UsageSource.GenAi)
                    {
                        hasModelCalls.Add(hash);
                    }
                }
            }

            var costs = new Dictionary<string, CostEstimate>(StringComparer.Ordinal);
            foreach (var (hash, source, usage) in rows.OrderBy(r => r.Hash, StringComparer.Ordinal).ThenBy(r => r.Source).ThenBy(r => r.Usage.Provider, StringComparer.Ordinal).ThenBy(r => r.Usage.Model, StringComparer.Ordinal))
            {
                if (hasModelCalls.Contains(hash) && source != (int)UsageSource.GenAi)
                {
                    continue;
                }

                if (!costs.TryGetValue(hash, out var cost))
                {
                    cost = new CostEstimate();
                    costs[hash] = cost;
                }

                cost.Add(usage, _database.Prices.Cost(usage));
            }

            return costs;
        }

        /// <summary>
        /// The nearest-rank percentile of the calls' durations, exact: the histogram says which bucket holds the rank, and the
        /// value is read from the calls in that bucket only (<c>spans_by_version_duration</c>).
        /// </summary>
        private static double? Percentile(DbConnection connection, DbTransaction transaction, SqlDialect sql, IReadOnlyList<string> hashes, SortedDictionary<int, long> histogram, long calls, double p, string? environmentId)
        {
            if (calls == 0)
            {
                return null;
            }

            var rank = Math.Max(0, (long)Math.Ceiling(p * calls) - 1);
            foreach (var (bucket, count) in histogram)
            {
                if (rank >= count)
                {
                    rank -= count;
                    continue;
                }

                var (low, high) = DurationBuckets.Bounds(bucket);
                // One version (every row of the functions list whose function has one, every version's own figures): an
                // equality, so both planners read spans_by_version_duration from (hash, low). With the hashes as a list
                // PostgreSQL cannot tell how few they are and read the bucket of every version through spans_by_duration
                // instead (6.8 s per percentile at a million spans, against 0.1 s; over a minute for the functions list).
                var ofHashes = hashes.Count == 1
                    ? SqlText.Of($"version_hash = @hash")
                    : SqlText.Of($"version_hash IN (SELECT j.value FROM {sql.JsonArrayTable(SqlText.Of($"@hashes"), SqlText.Of($"j"))})");
                // The calls are stepped over from the bucket's nearer end (the index is read backwards as cheaply), so a
                // p95 steps over a twentieth of the bucket, not nineteen twentieths.
                var fromTop = rank >= count - rank;
                var direction = fromTop ? SqlText.Of($"DESC") : SqlText.Of($"ASC");
                using var command = SqlCommands.Create(connection, SqlText.Of($@"SELECT end_ns - start_ns FROM spans
                    WHERE {ofHashes} AND end_ns - start_ns >= @low AND end_ns - start_ns <= @high{InEnvironment(environmentId)}
                    ORDER BY end_ns - start_ns {direction} LIMIT 1 OFFSET @rank"), transaction);
                if (hashes.Count == 1)
                {
                    command.Bind("@hash", hashes[0]);
                }
                else
                {
                    command.Bind("@hashes", JsonSerializer.Serialize(hashes));
                }

                command.Bind("@low", low).Bind("@high", high).Bind("@rank", fromTop ? count - 1 - rank : rank);
                TraceEnvironments.Bind(command, environmentId);
                return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) / 1e6;
            }

            return null;
        }
    }
}
