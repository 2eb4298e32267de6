using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using Mirascope.Ops.Viewer.Ingest;
using Mirascope.Ops.Viewer.Storage;
using Mirascope.Ops.Viewer.Storage.Postgres;

namespace Mirascope.Ops.ViewerLoad
{
    /// <summary>One batch of seed spans as the viewer's ingest stored it: what a check replays through ingest.</summary>
    internal sealed record SeedBatch(IReadOnlyList<IngestSpan> Spans, DateTimeOffset ReceivedAt, string EnvironmentId);

    /// <summary>What a fill wrote: the seed batches (through ingest) and the copies made of them, round by round.</summary>
    internal sealed record BulkFillReport(IReadOnlyList<SeedBatch> Seeds, IReadOnlyList<string> SeedTraceIds, IReadOnlyList<CloneRound> Rounds, long Spans, TimeSpan Elapsed)
    {
        public double SpansPerSecond => Spans / Math.Max(Elapsed.TotalSeconds, 1e-9);
    }

    /// <summary>
    /// Round <see cref="Number"/> copies the first <see cref="Traces"/> seed traces, each under the trace id
    /// <see cref="BulkFill.CloneTraceId"/>, every time (spans, trace, received time) <see cref="ShiftMilliseconds"/> earlier.
    /// </summary>
    internal sealed record CloneRound(int Number, int Traces, long ShiftMilliseconds);

    /// <summary>
    /// <c>--fill N</c>: N spans into the store fast enough for 10 M (the viewer's own ingest path does a few hundred to a few
    /// thousand spans/s here, hours per 10 M), with every table the viewer reads exactly as ingest would leave it.
    /// <para>
    /// How: a few hundred <b>seed</b> traces of the generator's shapes (<see cref="SpanBatchBuilder"/>: traced calls with
    /// arguments and outputs, chat spans with usage, failed calls, 5 services, the <c>[Version]</c> functions, spread over the
    /// given environments) go through the viewer's ingest code (<see cref="OtlpJsonReader"/> and <see cref="TraceStore.Store"/>),
    /// so their spans, trace summaries, repeated-call marks, sizes, environments and search index are whatever ingest makes
    /// today. Then each <b>round</b> copies the seed traces inside the database (<c>INSERT ... SELECT</c>: no row travels to
    /// this process, which is what COPY would save on PostgreSQL) under new trace ids and with every time moved back, so
    /// the copies spread over <c>--fill-days</c>. Nothing of a trace depends on its id or on when it happened except the
    /// columns moved here (ids, start/end, received time, the newest sequence number), so a copy is what ingest would have
    /// stored for the same spans; the search index follows by itself (SQLite's triggers, PostgreSQL's expression indexes).
    /// What does depend on time and on the trace id's shard — the rollup tables and counters — is added by the viewer's own
    /// <see cref="Rollups.Read"/>/<see cref="Rollups.Apply"/> for the new traces, as ingest adds them, in the same transaction.
    /// The viewer's test <c>BulkFillTests</c> stores the same traces through ingest and compares every table.
    /// </para>
    /// <para>
    /// The copy statements are built here from the store's own column list (read from the catalog, never from a client), so
    /// a column another change adds is copied as it is; a column that depends on the id or the time is one this class must
    /// learn, and the test comparing with ingest is what says so.
    /// </para>
    /// </summary>
    internal static class BulkFill
    {
        /// <summary>Seed traces: 2,000 spans, enough variety (genres, budgets, both versions, failures, sessions, 5 services).</summary>
        public const int SeedTraces = 200;

        /// <summary>Spans written per transaction (one write lock held that long; ingest waits for it).</summary>
        private const int SpansPerTransaction = 40_000;

        private const int SeedTracesPerBatch = 10;
        private const int Services = 5;

        /// <summary>The trace id of seed <paramref name="seedTraceId"/>'s copy in round <paramref name="round"/>: the round in its first 8 hex digits.</summary>
        public static string CloneTraceId(string seedTraceId, int round) => round.ToString("x8", CultureInfo.InvariantCulture) + seedTraceId.Substring(8);

        /// <summary>Fills <paramref name="store"/> to about <paramref name="spans"/> more spans (whole traces), the seed batches in the <paramref name="environments"/> in turn.</summary>
        public static BulkFillReport Run(TraceStore store, long spans, IReadOnlyList<string> environments, TimeSpan spread, TextWriter output, int seedTraces = SeedTraces)
        {
            if (environments.Count == 0)
            {
                throw new ArgumentException("at least one environment", nameof(environments));
            }

            var clock = Stopwatch.StartNew();
            seedTraces = (int)Math.Max(1, Math.Min(seedTraces, spans / SpanBatchBuilder.SpansPerTrace));
            var seeds = StoreSeeds(store, seedTraces, environments);
            var seedIds = seeds.SelectMany(s => s.Spans).Select(s => s.TraceId).Distinct(StringComparer.Ordinal).ToList();
            var seedSpans = seeds.Sum(s => s.Spans.Count);
            var seedEnvironments = new Dictionary<string, string>(StringComparer.Ordinal);   // a copy is in its seed's environment
            foreach (var seed in seeds)
            {
                foreach (var span in seed.Spans)
                {
                    seedEnvironments[span.TraceId] = seed.EnvironmentId;
                }
            }

            output.WriteLine($"  fill: {seedTraces:N0} seed traces ({seedSpans:N0} spans) stored through the viewer's ingest code in {clock.Elapsed.TotalSeconds:0.0} s");

            // Copies: whole rounds of every seed trace, then one round of the first few for the rest.
            var perTrace = seedSpans / seedIds.Count;
            var copiedTraces = Math.Max(0, (spans - seedSpans) / perTrace);
            var fullRounds = (int)(copiedTraces / seedIds.Count);
            var rest = (int)(copiedTraces % seedIds.Count);
            var roundCount = fullRounds + (rest > 0 ? 1 : 0);
            var spreadMs = (long)spread.TotalMilliseconds;
            var rounds = Enumerable.Range(1, roundCount)
                .Select(r => new CloneRound(r, r <= fullRounds ? seedIds.Count : rest, roundCount == 0 ? 0 : spreadMs * r / roundCount))
                .ToList();

            var copier = new TraceCopier(store);
            var roundsPerTransaction = Math.Max(1, SpansPerTransaction / seedSpans);
            long written = seedSpans;
            var nextReport = Math.Max(500_000, spans / 10);
            var copying = new Stopwatch();
            var rollingUp = new Stopwatch();
            var committing = new Stopwatch();
            using var connection = store.Open();
            if (store.Engine is not PostgresEngine)
            {
                // A larger page cache for this connection only: the indexes' pages (trace ids are random) stay in memory
                // instead of being read again for every copy; what is written is the same.
                using var cache = connection.CreateCommand();
                cache.CommandText = "PRAGMA cache_size = -262144";
                cache.ExecuteNonQuery();
            }

            foreach (var group in rounds.Chunk(roundsPerTransaction))
            {
                using var transaction = store.Engine.BeginWrite(connection, new[] { "mirascope-viewer-load-fill" });
                var newIds = new List<(string EnvironmentId, string TraceId)>();
                foreach (var round in group)
                {
                    var ids = seedIds.Take(round.Traces).ToList();
                    copying.Start();
                    copier.Copy(connection, transaction, ids, round);
                    copying.Stop();
                    newIds.AddRange(ids.Select(id => (seedEnvironments[id], CloneTraceId(id, round.Number))));
                    written += (long)round.Traces * perTrace;
                }

                // The rollups and counters of the new traces, by the viewer's code, as ingest adds them for a new trace.
                rollingUp.Start();
                foreach (var environment in newIds.GroupBy(t => t.EnvironmentId, StringComparer.Ordinal))
                {
                    Rollups.Apply(connection, transaction, new Dictionary<string, TraceRollup>(),
                        Rollups.Read(connection, transaction, store.Engine.Sql, environment.Key, environment.Select(t => t.TraceId).ToList()));
                }

                rollingUp.Stop();
                committing.Start();
                transaction.Commit();
                committing.Stop();
                if (written >= nextReport)
                {
                    output.WriteLine($"  fill: {written:N0} spans, {written / Math.Max(clock.Elapsed.TotalSeconds, 1e-9):N0} spans/s");
                    nextReport = written + Math.Max(500_000, spans / 10);
                }
            }

            output.WriteLine($"  fill: copying {copying.Elapsed.TotalSeconds:0.0} s, rollups {rollingUp.Elapsed.TotalSeconds:0.0} s, commits {committing.Elapsed.TotalSeconds:0.0} s");
            return new BulkFillReport(seeds, seedIds, rounds, written, clock.Elapsed);
        }

        /// <summary>The seed traces, through the viewer's ingest code: batches of <see cref="SeedTracesPerBatch"/> traces, the environments in turn.</summary>
        private static List<SeedBatch> StoreSeeds(TraceStore store, int traces, IReadOnlyList<string> environments)
        {
            var builders = Enumerable.Range(0, Services)
                .Select(i => new SpanBatchBuilder("fill-service-" + i.ToString(CultureInfo.InvariantCulture), seed: 1000 + i))
                .ToArray();
            var seeds = new List<SeedBatch>();
            for (var stored = 0; stored < traces; stored += SeedTracesPerBatch)
            {
                var take = Math.Min(SeedTracesPerBatch, traces - stored);
                var (body, _, _) = builders[seeds.Count % Services].Build(take * SpanBatchBuilder.SpansPerTrace);
                var batch = OtlpJsonReader.Read(body);
                // Whole milliseconds: the received time is stored in milliseconds, and a replay must give the same.
                var receivedAt = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                var seed = new SeedBatch(batch.Spans, receivedAt, environments[seeds.Count % environments.Count]);
                store.Store(seed.Spans, seed.ReceivedAt, seed.EnvironmentId);
                seeds.Add(seed);
            }

            return seeds;
        }

        /// <summary>The two copy statements (spans, then their traces), built once from the store's column lists.</summary>
        private sealed class TraceCopier
        {
            private readonly string _copySpans;
            private readonly string _copyTraces;

            public TraceCopier(TraceStore store)
            {
                var postgres = store.Engine is PostgresEngine;
                // The copy's trace id, the same as CloneTraceId: the round as 8 lower-case hex digits, then the seed id's rest.
                string NewId(string column) => postgres
                    ? $"(lpad(to_hex(CAST(@round AS integer)), 8, '0') || substr({column}, 9))"
                    : $"(printf('%08x', @round) || substr({column}, 9))";
                var seedSet = store.Engine.Sql.JsonArrayTable(SqlText.Of($"@ids"), SqlText.Of($"j")).Text;
                using var connection = store.Open();

                var spanColumns = Columns(connection, postgres, "spans").Where(c => c != "seq").ToList();
                var spanValues = spanColumns.Select(c => c switch
                {
                    "trace_id" => NewId("s.trace_id"),
                    "start_ns" or "end_ns" => $"s.{c} - @shiftNs",
                    "received_ms" => "s.received_ms - @shiftMs",
                    _ => "s." + c,
                });
                // In the seed's order, so the copy's sequence numbers follow one another as a batch's do. The spans through their
                // traces: a span's key is (environment, trace id, span id), so they are found by their trace's key.
                _copySpans = $"INSERT INTO spans ({string.Join(", ", spanColumns)}) SELECT {string.Join(", ", spanValues)} FROM traces t0 "
                    + $"JOIN spans s ON s.environment_id = t0.environment_id AND s.trace_id = t0.trace_id "
                    + $"WHERE t0.trace_id IN (SELECT j.value FROM {seedSet}) ORDER BY s.seq";

                var traceColumns = Columns(connection, postgres, "traces");
                var traceValues = traceColumns.Select(c => c switch
                {
                    "trace_id" => NewId("t.trace_id"),
                    "start_ns" or "end_ns" => $"t.{c} - @shiftNs",
                    "received_ms" => "t.received_ms - @shiftMs",
                    "last_seq" => $"(SELECT MAX(x.seq) FROM spans x WHERE x.environment_id = t.environment_id AND x.trace_id = {NewId("t.trace_id")})",
                    _ => "t." + c,
                });
                _copyTraces = $"INSERT INTO traces ({string.Join(", ", traceColumns)}) SELECT {string.Join(", ", traceValues)} FROM traces t "
                    + $"WHERE t.trace_id IN (SELECT j.value FROM {seedSet})";
            }

            public void Copy(DbConnection connection, DbTransaction transaction, IReadOnlyList<string> seedIds, CloneRound round)
            {
                var ids = JsonSerializer.Serialize(seedIds);
                foreach (var text in new[] { _copySpans, _copyTraces })
                {
                    using var command = connection.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = text;   // the store's column names and our own text; values are parameters
                    command.Bind("@ids", ids).Bind("@round", round.Number)
                        .Bind("@shiftNs", round.ShiftMilliseconds * 1_000_000L).Bind("@shiftMs", round.ShiftMilliseconds);
                    command.ExecuteNonQuery();
                }
            }

            /// <summary>The table's stored (not generated) columns, in their order.</summary>
            private static List<string> Columns(DbConnection connection, bool postgres, string table)
            {
                using var command = connection.CreateCommand();
                command.CommandText = postgres
                    ? "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @table AND is_generated = 'NEVER' ORDER BY ordinal_position"
                    : "SELECT name FROM pragma_table_info(@table) ORDER BY cid";
                command.Bind("@table", table);
                var columns = new List<string>();
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    columns.Add(reader.GetString(0));
                }

                if (columns.Count == 0)
                {
                    throw new InvalidOperationException($"the store has no table {table}");
                }

                return columns;
            }
        }
    }
}
