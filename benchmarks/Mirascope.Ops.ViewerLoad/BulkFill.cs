using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using Mirascope.Ops.Viewer.Ingest;
using Mirascope.Ops.Viewer.Storage;
using Mirascope.Ops.Viewer.Storage.Postgres;

namespace Mirascope.Ops.ViewerLoad
{
    /// <summary>One batch of seed spans as the viewer's ingest stored it: what a check replays through ingest.</summary>
    internal sealed record SeedBatch(IReadOnlyList<IngestSpan> Spans, DateTimeOffset ReceivedAt, string EnvironmentId);

    /// <summary>
    /// Traces the fill wrote one after another (their spans' sequence numbers follow one another): the seeds
    /// <see cref="Seeds"/> of seed batch <see cref="Batch"/>, each under <see cref="TraceId"/>, every time (spans, trace,
    /// received time) <see cref="ShiftMilliseconds"/> earlier. Replaying the runs in order through ingest gives the store
    /// the fill made (<c>BulkFillTests</c>).
    /// </summary>
    internal sealed record FillRun(int Batch, IReadOnlyList<string> Seeds, int FirstRound, string Marks, long ShiftMilliseconds)
    {
        public string TraceId(string seedTraceId) => FillTraceIds.WithMarks(FillTraceIds.FirstRound(seedTraceId, FirstRound), Marks);
    }

    /// <summary>What a fill wrote: the seed batches (through ingest), the runs in the order written, and where the time went.</summary>
    internal sealed record BulkFillReport(IReadOnlyList<SeedBatch> Seeds, IReadOnlyList<string> SeedTraceIds, IReadOnlyList<FillRun> Runs, int FirstRounds, int DoublingRounds, long Spans, TimeSpan Elapsed)
    {
        public double SpansPerSecond => Spans / Math.Max(Elapsed.TotalSeconds, 1e-9);
    }

    /// <summary>A mistake the fill can be told to make, so a test shows the comparison with ingest catches it.</summary>
    internal enum BulkFillFault
    {
        None,

        /// <summary>The doubling rounds' rollup rows copied without moving their time buckets.</summary>
        UnmovedRollups,
    }

    /// <summary>
    /// <c>--fill N</c>: about N spans into the store fast enough for 10 M (the viewer's own ingest path does a few hundred to a
    /// few thousand spans/s here, hours per 10 M), with every table the viewer reads exactly as ingest would leave it.
    /// <para>
    /// Three steps. (1) <b>Seeds</b>: a few hundred traces of the generator's shapes (<see cref="SpanBatchBuilder"/>: traced
    /// calls with arguments and outputs, chat spans with usage, failed calls, 5 services, the <c>[Version]</c> functions,
    /// spread over the given environments) go through the viewer's ingest code (<see cref="OtlpJsonReader"/> and
    /// <see cref="TraceStore.Store"/>), so their spans, trace summaries, repeated-call marks, sizes, environments and search
    /// index are whatever ingest makes today. (2) <b>First rounds</b>: copies of the seeds made inside the database
    /// (<see cref="FillCopier"/>) under new ids, moved back by less than an hour each (so the traces' times differ at every
    /// scale), with their rollups and counters added by the viewer's own <see cref="Rollups.Read"/>/<see cref="Rollups.Apply"/>
    /// as ingest adds them; until there are about N / 2^K traces. (3) <b>K doubling rounds</b>: each copies every trace of
    /// the fill so far inside the database, moved back a whole number of hours (64, 32, ... 1 within <c>--fill-days</c>, then
    /// 0), and adds the copies' rollups from the rollups of what it copied (<see cref="FillRollups.MovedBack"/>: exact, see
    /// there), so no span is read back for them. The dashboard's rollup rows (one per second a trace starts in: millions)
    /// are moved by one <c>INSERT ... SELECT</c> per table when the store held nothing before the fill (so every row is the
    /// fill's), else as rows through the viewer's <see cref="Rollups.Apply"/>. A round is copied in chunks of trace ids (a
    /// transaction each; the rollups with the first).
    /// </para>
    /// <para>
    /// Nothing of a trace depends on its id or on when it happened except the columns moved here (ids, start/end, received
    /// time, the newest sequence number) and the rollups, so a copy is what ingest would have stored for the same spans; the
    /// search index follows by itself (SQLite's triggers, PostgreSQL's expression indexes). The viewer's test
    /// With <c>rebuildIndexes</c> (the command line's fill, before any viewer runs) the secondary indexes of spans and traces
    /// are off during the doubling rounds and built once after them (<see cref="FillIndexes"/>).
    /// <c>BulkFillTests</c> replays <see cref="BulkFillReport.Runs"/> through ingest and compares every table and answer.
    /// The fill's traces are told from others by their ids (<see cref="FillTraceIds"/>): a store's other traces (random ids)
    /// are not copied unless one has the fill's pattern, about 1 in 10^13.
    /// </para>
    /// </summary>
    internal static class BulkFill
    {
        /// <summary>Seed traces: 2,000 spans, enough variety (genres, budgets, both versions, failures, sessions, 5 services).</summary>
        public const int SeedTraces = 200;

        /// <summary>The first rounds make at least this many traces per seed before doubling (time patterns within the hour).</summary>
        private const int FirstRoundTracesPerSeed = 4;

        /// <summary>Traces copied per transaction in a doubling round (one write lock held that long; ingest waits for it).</summary>
        public const int DoublingChunkTraces = 50_000;

        /// <summary>Spans written per transaction in the first rounds.</summary>
        private const int SpansPerTransaction = 40_000;

        private const int SeedTracesPerBatch = 10;
        private const int Services = 5;
        private const long Hour = 3_600_000;

        private static readonly string[] WriteLocks = { "mirascope-viewer-load-fill" };

        /// <summary>Fills <paramref name="store"/> with about <paramref name="spans"/> more spans (whole traces), the seed batches in the <paramref name="environments"/> in turn.</summary>
        public static BulkFillReport Run(TraceStore store, long spans, IReadOnlyList<string> environments, TimeSpan spread, TextWriter output,
            int seedTraces = SeedTraces, int chunkTraces = DoublingChunkTraces, bool rebuildIndexes = false, BulkFillFault fault = BulkFillFault.None)
        {
            if (environments.Count == 0)
            {
                throw new ArgumentException("at least one environment", nameof(environments));
            }

            var clock = Stopwatch.StartNew();
            // A store that held nothing holds only the fill's rows: the dashboard's rollups are then moved in the database.
            var onlyTheFill = store.Count() == (0, 0);
            var traces = Math.Max(1, spans / SpanBatchBuilder.SpansPerTrace);
            seedTraces = (int)Math.Min(seedTraces, traces);
            var doublings = 0;
            while (doublings < FillTraceIds.Marks && traces >> (doublings + 1) >= (long)seedTraces * FirstRoundTracesPerSeed)
            {
                doublings++;
            }

            var firstTraces = (int)((traces + (1L << doublings) - 1) >> doublings);
            var seeds = StoreSeeds(store, seedTraces, environments);
            var seedIds = seeds.SelectMany(s => s.Spans).Select(s => s.TraceId).Distinct(StringComparer.Ordinal).ToList();
            var perTrace = seeds.Sum(s => s.Spans.Count) / seedIds.Count;
            output.WriteLine($"  fill: {seedIds.Count:N0} seed traces ({seedIds.Count * perTrace:N0} spans) stored through the viewer's ingest code in {clock.Elapsed.TotalSeconds:0.0} s");

            var runs = new List<FillRun>();
            for (var b = 0; b < seeds.Count; b++)
            {
                runs.Add(new FillRun(b, SeedIdsOf(seeds[b]), 0, FillTraceIds.SeedPrefix, 0));
            }

            var copier = new FillCopier(store, environments);
            var timings = new Stopwatch[] { new(), new(), new() };   // copying, rollups, commits
            using var connection = store.Open();
            if (store.Engine is not PostgresEngine)
            {
                // A larger page cache for this connection only: the indexes' pages (trace ids are random) stay in memory
                // instead of being read again for every copy; what is written is the same.
                using var cache = connection.CreateCommand();
                cache.CommandText = "PRAGMA cache_size = -262144";
                cache.ExecuteNonQuery();
            }

            // (2) First rounds: whole rounds of every seed, then the first few seeds, moved back less than an hour.
            var firstRounds = (firstTraces - seedIds.Count + seedIds.Count - 1) / seedIds.Count;
            var fineMs = Math.Min((long)spread.TotalMilliseconds, Hour);
            var rounds = Enumerable.Range(1, Math.Max(0, firstRounds))
                .Select(r => (Number: r, Traces: Math.Min(seedIds.Count, firstTraces - r * seedIds.Count), ShiftMs: fineMs * r / (firstRounds + 1)))
                .ToList();
            foreach (var group in rounds.Chunk(Math.Max(1, SpansPerTransaction / (seedIds.Count * perTrace))))
            {
                using var transaction = store.Engine.BeginWrite(connection, WriteLocks);
                var newIds = new List<(string EnvironmentId, string TraceId)>();   // a copy is in its seed's environment
                foreach (var round in group)
                {
                    var copied = new HashSet<string>(seedIds.Take(round.Traces), StringComparer.Ordinal);
                    timings[0].Start();
                    copier.CopyFirstRound(connection, transaction, copied.ToList(), round.Number, round.ShiftMs);
                    timings[0].Stop();
                    for (var b = 0; b < seeds.Count; b++)
                    {
                        var batch = runs[b].Seeds.Where(copied.Contains).ToList();
                        if (batch.Count > 0)
                        {
                            runs.Add(new FillRun(b, batch, round.Number, FillTraceIds.SeedPrefix, round.ShiftMs));
                            newIds.AddRange(batch.Select(id => (seeds[b].EnvironmentId, FillTraceIds.FirstRound(id, round.Number))));
                        }
                    }
                }

                // The rollups and counters of the new traces, by the viewer's code, as ingest adds them for a new trace.
                timings[1].Start();
                foreach (var environment in newIds.GroupBy(t => t.EnvironmentId, StringComparer.Ordinal))
                {
                    Rollups.Apply(connection, transaction, new Dictionary<string, TraceRollup>(),
                        Rollups.Read(connection, transaction, store.Engine.Sql, environment.Key, environment.Select(t => t.TraceId).ToList()));
                }
                timings[1].Stop();
                timings[2].Start();
                transaction.Commit();
                timings[2].Stop();
            }

            long written = runs.Sum(r => (long)r.Seeds.Count) * perTrace;
            output.WriteLine($"  fill: {rounds.Count} first rounds, {written:N0} spans, {clock.Elapsed.TotalSeconds:0.0} s");

            // (3) Doubling rounds. The fill's rollups so far, by the viewer's code (read once), then moved for each round.
            var fillRollup = new TraceRollup();
            using (var read = store.Engine.BeginWrite(connection, WriteLocks))
            {
                var ids = runs.SelectMany(r => r.Seeds.Select(id => (seeds[r.Batch].EnvironmentId, TraceId: r.TraceId(id))));
                foreach (var environment in ids.GroupBy(t => t.EnvironmentId, StringComparer.Ordinal))
                {
                    foreach (var chunk in environment.Select(t => t.TraceId).Chunk(500))
                    {
                        foreach (var rollup in Rollups.Read(connection, read, store.Engine.Sql, environment.Key, chunk).Values)
                        {
                            fillRollup.Merge(rollup);
                        }
                    }
                }

                read.Commit();
            }

            if (onlyTheFill)
            {
                FillRollups.WithoutTimeKeyed(fillRollup);
            }

            var wholeHours = (long)(spread.TotalMilliseconds / Hour);
            var movingRounds = 0;
            while (movingRounds < doublings && (1L << (movingRounds + 1)) - 1 <= wholeHours)
            {
                movingRounds++;
            }

            var dropped = rebuildIndexes && doublings > 0 ? FillIndexes.Drop(store, connection) : new List<(string Name, string Definition)>();
            for (var round = 0; round < doublings; round++)
            {
                var shiftMs = round < movingRounds ? Hour << (movingRounds - 1 - round) : 0;
                var originals = runs.Sum(r => (long)r.Seeds.Count);
                var prefixLength = 0;
                while (prefixLength < round && originals >> prefixLength > chunkTraces)
                {
                    prefixLength++;
                }

                var delta = FillRollups.MovedBack(fillRollup, shiftMs * 1_000_000L, fault != BulkFillFault.UnmovedRollups);
                var copies = new List<FillRun>();
                var first = true;
                foreach (var prefix in FillTraceIds.Prefixes(prefixLength))
                {
                    using var transaction = store.Engine.BeginWrite(connection, WriteLocks);
                    timings[0].Start();
                    copier.CopyDoubling(connection, transaction, round, prefix, shiftMs);
                    timings[0].Stop();
                    if (first)
                    {
                        timings[1].Start();
                        Rollups.Apply(connection, transaction, new Dictionary<string, TraceRollup>(), new Dictionary<string, TraceRollup> { ["fill round"] = delta });
                        if (onlyTheFill)
                        {
                            copier.MoveRollups(connection, transaction, fault == BulkFillFault.UnmovedRollups ? 0 : shiftMs);
                        }

                        timings[1].Stop();
                        first = false;
                    }

                    timings[2].Start();
                    transaction.Commit();
                    timings[2].Stop();
                    foreach (var run in runs.Where(r => r.Marks.StartsWith(prefix, StringComparison.Ordinal)))
                    {
                        var copy = run with { Marks = FillTraceIds.Mark(run.Marks, round), ShiftMilliseconds = run.ShiftMilliseconds + shiftMs };
                        FillTraceIds.CheckSameShard(run.TraceId(run.Seeds[0]), copy.TraceId(copy.Seeds[0]));
                        copies.Add(copy);
                    }
                }

                runs.AddRange(copies);
                fillRollup.Merge(delta);
                written += originals * perTrace;
                output.WriteLine($"  fill: doubling round {round + 1} of {doublings} (back {shiftMs / Hour} h, {1 << prefixLength} chunks): {written:N0} spans, "
                    + $"{clock.Elapsed.TotalSeconds:0.0} s, {written / Math.Max(clock.Elapsed.TotalSeconds, 1e-9):N0} spans/s");
            }

            if (dropped.Count > 0)
            {
                var indexing = Stopwatch.StartNew();
                FillIndexes.Create(store, connection, dropped);
                output.WriteLine($"  fill: {dropped.Count} indexes of spans and traces built again in {indexing.Elapsed.TotalSeconds:0.0} s ({string.Join(", ", dropped.Select(i => i.Name))})");
            }

            output.WriteLine($"  fill: copying {timings[0].Elapsed.TotalSeconds:0.0} s, rollups {timings[1].Elapsed.TotalSeconds:0.0} s, commits {timings[2].Elapsed.TotalSeconds:0.0} s");
            return new BulkFillReport(seeds, seedIds, runs, rounds.Count, doublings, written, clock.Elapsed);
        }

        private static List<string> SeedIdsOf(SeedBatch batch) => batch.Spans.Select(s => s.TraceId).Distinct(StringComparer.Ordinal).ToList();

        /// <summary>The seed traces, through the viewer's ingest code: batches of <see cref="SeedTracesPerBatch"/> traces, the environments in turn.</summary>
        private static List<SeedBatch> StoreSeeds(TraceStore store, int traces, IReadOnlyList<string> environments)
        {
            var builders = Enumerable.Range(0, Services)
                .Select(i => new SpanBatchBuilder("fill-service-" + i.ToString(CultureInfo.InvariantCulture), seed: 1000 + i) { TraceIdPrefix = FillTraceIds.SeedPrefix })
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
    }
}
