using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Mirascope.Ops.Viewer.Accounts;
using Mirascope.Ops.Viewer.Ingest;
using Mirascope.Ops.Viewer.Storage;
using Mirascope.Ops.Viewer.Storage.Retention;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests.Retention
{
    /// <summary>Retention per project by age and by size (on either engine), in bounded batches that ingest never waits behind.</summary>
    public sealed class RetentionTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "mirascope-viewer-tests", Guid.NewGuid().ToString("N"));

        private readonly Xunit.Abstractions.ITestOutputHelper _output;

        public RetentionTests(Xunit.Abstractions.ITestOutputHelper output) => _output = output;

        /// <summary>One retention pass over <paramref name="store"/> with <paramref name="defaults"/> for every project without its own limits.</summary>
        internal static int RunOnce(TraceStore store, RetentionPolicy defaults, DateTimeOffset now) =>
            new RetentionRun(store, new RetentionPolicies(store, defaults)).RunOnce(now) ?? throw new InvalidOperationException("another viewer held the retention lease");

        [Fact]
        public void A_chatty_project_beyond_its_size_limit_loses_its_own_oldest_traces_and_no_other_projects()
        {
            var store = new TraceStore(TestStore.NewLocation(_folder));
            var (chatty, chattyEnvironment) = Project(store, "chatty");
            var (quiet, quietEnvironment) = Project(store, "quiet");
            var start = DateTimeOffset.UtcNow.AddHours(-1);
            store.Store(Trace("quiet-old", 1_000), start, quietEnvironment);
            store.Store(Trace("quiet-new", 1_000), start.AddSeconds(1), quietEnvironment);
            for (var i = 0; i < 30; i++)
            {
                store.Store(Trace("chatty-" + i, 1_000), start.AddSeconds(10 + i), chattyEnvironment);   // 30 KB in all
            }

            var deleted = RunOnce(store, new RetentionPolicy(null, 10_000), DateTimeOffset.UtcNow);

            var (chattyTraces, chattyBytes) = RetentionUsage.Of(store, chatty);
            Assert.InRange(chattyBytes, 9_000, 10_000);   // the newest that fit, not fewer
            Assert.Equal(30 - chattyTraces, deleted);
            Assert.Equal(Enumerable.Range(30 - (int)chattyTraces, (int)chattyTraces).Select(i => "chatty-" + i).OrderBy(n => n, StringComparer.Ordinal), RootNames(store, chattyEnvironment));
            Assert.Equal(new[] { "quiet-new", "quiet-old" }, RootNames(store, quietEnvironment));
            Assert.Equal(2, RetentionUsage.Of(store, quiet).Traces);
        }

        [Fact]
        public void A_size_run_deletes_what_was_over_when_it_started_and_ends_while_spans_keep_arriving()
        {
            var store = new TraceStore(TestStore.NewLocation(_folder));
            var (busy, busyEnvironment) = Project(store, "busy");
            var start = DateTimeOffset.UtcNow.AddHours(-1);
            for (var i = 0; i < 30; i++)
            {
                store.Store(Trace("busy-" + i.ToString("D2", System.Globalization.CultureInfo.InvariantCulture), 1_000), start.AddSeconds(i), busyEnvironment);
            }

            // What was over the limit when the run starts: the oldest traces whose sizes cover the excess.
            const long limit = 10_000;
            var (_, before) = RetentionUsage.Of(store, busy);
            var sizes = TraceSizesOldestFirst(store, busyEnvironment);
            var over = 0;
            for (var excess = before - limit; excess > 0; over++)
            {
                excess -= sizes[over];
            }

            var arrived = 0;
            var policies = new RetentionPolicies(store, new RetentionPolicy(null, limit));
            var run = new RetentionRun(store, policies)
            {
                BatchSize = 4,
                Pause = TimeSpan.Zero,
                // Ingest goes on during the run: after each batch another trace of the project arrives (at most 20, so a
                // run that chased them, one trace deleted for each that arrived, would still end and fail below).
                BatchDeleted = (_, _) =>
                {
                    if (arrived < 20)
                    {
                        var name = "arrived-" + Interlocked.Increment(ref arrived).ToString("D2", System.Globalization.CultureInfo.InvariantCulture);
                        store.Store(Trace(name, 1_000), DateTimeOffset.UtcNow, busyEnvironment);
                    }
                },
            };

            var deleted = run.RunOnce(DateTimeOffset.UtcNow);

            Assert.Equal(over, deleted);   // not more: what arrived during the run is not chased by this run
            Assert.True(arrived >= 4, $"only {arrived} batches ran");
            Assert.Equal(Enumerable.Range(over, 30 - over).Select(i => "busy-" + i.ToString("D2", System.Globalization.CultureInfo.InvariantCulture))
                .Concat(Enumerable.Range(1, arrived).Select(i => "arrived-" + i.ToString("D2", System.Globalization.CultureInfo.InvariantCulture))).OrderBy(n => n, StringComparer.Ordinal), RootNames(store, busyEnvironment));

            // The next run trims what arrived: the project fits again.
            Assert.NotNull(new RetentionRun(store, policies) { Pause = TimeSpan.Zero }.RunOnce(DateTimeOffset.UtcNow));
            Assert.InRange(RetentionUsage.Of(store, busy).Bytes, limit - 1_100, limit);
        }

        [Fact]
        public void Traces_past_their_projects_age_limit_are_deleted_and_a_project_with_a_longer_limit_of_its_own_keeps_them()
        {
            var store = new TraceStore(TestStore.NewLocation(_folder));
            var (_, shortEnvironment) = Project(store, "by-default");
            var (longer, longEnvironment) = Project(store, "kept-longer");
            var now = DateTimeOffset.UtcNow;
            var policies = new RetentionPolicies(store, new RetentionPolicy(TimeSpan.FromDays(7), null));
            policies.Set(longer, new RetentionPolicy(TimeSpan.FromDays(30), null), now);
            foreach (var (environment, name) in new[] { (shortEnvironment, "short"), (longEnvironment, "long") })
            {
                store.Store(Trace(name + "-ten-days", 10), now.AddDays(-10), environment);
                store.Store(Trace(name + "-two-days", 10), now.AddDays(-2), environment);
                store.Store(Trace(name + "-forty-days", 10), now.AddDays(-40), environment);
            }

            Assert.Equal(3, new RetentionRun(store, policies).RunOnce(now));

            Assert.Equal(new[] { "short-two-days" }, RootNames(store, shortEnvironment));
            Assert.Equal(new[] { "long-ten-days", "long-two-days" }, RootNames(store, longEnvironment));
            Assert.Equal((new RetentionPolicy(TimeSpan.FromDays(30), null), true), policies.Of(longer));
            policies.Reset(longer);
            Assert.Equal((policies.Defaults, false), policies.Of(longer));
        }

        [Fact]
        public void The_implicit_project_of_single_developer_mode_keeps_the_command_line_limits()
        {
            var store = new TraceStore(TestStore.NewLocation(_folder));
            var now = DateTimeOffset.UtcNow;
            store.Store(Trace("old", 10), now.AddDays(-4));
            store.Store(Trace("big-1", 3_000), now.AddMinutes(-3));
            store.Store(Trace("big-2", 3_000), now.AddMinutes(-2));
            store.Store(Trace("new", 10), now.AddMinutes(-1));
            var options = ViewerOptions.Parse(new[] { "--retention-days", "3", "--retention-size", "4KB" }, _ => null);

            Assert.Equal(2, RunOnce(store, new RetentionPolicy(options.RetentionAge, options.RetentionBytes), now));

            Assert.Equal(new[] { "big-2", "new" }, RootNames(store, TraceEnvironments.Implicit));
        }

        [Fact]
        public void A_trace_that_gets_a_span_after_retention_chose_it_is_kept()
        {
            var store = new TraceStore(TestStore.NewLocation(_folder));
            var now = DateTimeOffset.UtcNow;
            store.Store(Trace("revived", 2), now.AddDays(-10));
            store.Store(Trace("stale", 2), now.AddDays(-10));
            var chosenAt = ReceivedMs(store, "revived");
            store.Store(new[] { TraceStoreTests.Span(TraceStoreTests.TraceIdOf("revived"), 9, parent: 1) }, now);   // arrives in between

            var deleted = TraceDeletion.Delete(store, new[] { (TraceStoreTests.TraceIdOf("revived"), (long?)chosenAt), (TraceStoreTests.TraceIdOf("stale"), (long?)ReceivedMs(store, "stale")) });

            Assert.Equal(new[] { TraceStoreTests.TraceIdOf("stale") }, deleted);
            Assert.Equal(new[] { "revived" }, RootNames(store, TraceEnvironments.Implicit));
            Assert.Equal((1, 2), store.Count());   // the revived trace's first span and the one that arrived
        }

        [Fact]
        public async Task Ingest_is_acknowledged_within_about_one_batch_while_retention_deletes_thousands_of_traces()
        {
            await using var viewer = await RunningViewer.StartAsync();
            const int OldTraces = 6_000;
            SeedOldTraces(viewer.Store, OldTraces, spansPerTrace: 4, DateTimeOffset.UtcNow.AddDays(-30));
            Assert.Equal(OldTraces, viewer.Store.Count().Traces);
            var batches = new List<TimeSpan>();
            var run = new RetentionRun(viewer.Store, new RetentionPolicies(viewer.Store, new RetentionPolicy(TimeSpan.FromDays(7), null)))
            {
                BatchSize = 100,
                Pause = TimeSpan.FromMilliseconds(10),
                BatchDeleted = (_, took) => { lock (batches) { batches.Add(took); } },
            };

            var sent = 0;
            Task SendOne()
            {
                var trace = RichSpans.TraceId("during-deletion-" + sent++);
                return RichSpans.SendAsync(viewer,
                    new RichSpan(trace, RichSpans.SpanId(1), null, "Shop.Checkout", DateTime.UtcNow, 5),
                    new RichSpan(trace, RichSpans.SpanId(2), RichSpans.SpanId(1), "chat", DateTime.UtcNow, 3));
            }

            // The first requests pay for JIT and the connection (seconds on a loaded CI machine, which once left no
            // acknowledgement inside the deletion at all): paid before, so the waits measured are the deletion's alone.
            for (var i = 0; i < 3; i++)
            {
                await SendOne();
            }

            var clock = Stopwatch.StartNew();
            var deletion = Task.Run(() => run.RunOnce(DateTimeOffset.UtcNow));
            var acks = new List<TimeSpan>();
            while (!deletion.IsCompleted)
            {
                var ack = Stopwatch.StartNew();
                await SendOne();
                if (!deletion.IsCompleted)
                {
                    acks.Add(ack.Elapsed);
                }
            }

            var deleted = await deletion;
            var total = clock.Elapsed;
            Assert.Equal(OldTraces, deleted);
            Assert.Equal(sent, viewer.Store.Count().Traces);   // every old trace gone, every acknowledged one there
            Assert.True(batches.Count >= OldTraces / 100, $"{batches.Count} batches");
            Assert.True(acks.Count >= 5, $"only {acks.Count} batches were acknowledged during a deletion of {total.TotalMilliseconds:0} ms");
            var slowest = acks.Max();
            var longestBatch = batches.Max();
            _output.WriteLine($"deleted {deleted} traces in {batches.Count} batches, {total.TotalMilliseconds:0} ms; longest batch {longestBatch.TotalMilliseconds:0} ms; "
                + $"{acks.Count} ingest acks during it, slowest {slowest.TotalMilliseconds:0} ms, median {acks.OrderBy(a => a).ElementAt(acks.Count / 2).TotalMilliseconds:0} ms");
            // Blocked for the whole deletion, a batch would wait about all of it; one deletion batch (which on a busy machine can
            // be a quarter of a short deletion on its own) is what it may wait. The bound below says "one batch".
            Assert.True(slowest < total / 2, $"an ingest batch waited {slowest.TotalMilliseconds:0} ms, half the whole deletion ({total.TotalMilliseconds:0} ms) or more");
            Assert.True(slowest < longestBatch + TimeSpan.FromSeconds(1),
                $"an ingest batch waited {slowest.TotalMilliseconds:0} ms; the longest deletion batch took {longestBatch.TotalMilliseconds:0} ms");
        }

        /// <summary>Writes old traces straight into the tables (thousands in a second), as the store would have: each with its spans and rollups, in the implicit environment.</summary>
        internal static void SeedOldTraces(TraceStore store, int traces, int spansPerTrace, DateTimeOffset received)
        {
            using var connection = store.Open();
            using var transaction = store.Engine.BeginWrite(connection, Array.Empty<string>());
            using (var command = SqlCommands.Create(connection, SqlText.Of($@"
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @spans)
                INSERT INTO spans (trace_id, span_id, name, kind, start_ns, end_ns, status_code, attributes, events, resource, received_ms)
                SELECT 'old-' || ((i - 1) / @perTrace + 1), 'span-' || i, 'Shop.Old', 1, 1000, 2000, 0, @attributes, '[]', '{{}}', @received FROM n"), transaction))
            {
                command.Bind("@spans", traces * spansPerTrace).Bind("@perTrace", spansPerTrace).Bind("@received", received.ToUnixTimeMilliseconds())
                    .Bind("@attributes", "{\"mirascope.trace.output\":\"" + new string('x', 500) + "\"}").ExecuteNonQuery();
            }

            using (var command = SqlCommands.Create(connection, SqlText.Of($@"
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @traces)
                INSERT INTO traces (trace_id, root_name, root_status, start_ns, end_ns, span_count, error_count, last_seq, received_ms, size_bytes)
                SELECT 'old-' || i, 'Shop.Old', 0, 1000, 2000, @perTrace, 0, 0, @received, 2048 FROM n"), transaction))
            {
                command.Bind("@traces", traces).Bind("@perTrace", spansPerTrace).Bind("@received", received.ToUnixTimeMilliseconds()).ExecuteNonQuery();
            }

            Rollups.Rebuild(connection, transaction, store.Engine.Sql);   // as the store keeps them (a migration builds them so)
            transaction.Commit();
        }

        /// <summary>A project with one environment in the store's account tables.</summary>
        internal static (string ProjectId, string EnvironmentId) Project(TraceStore store, string name)
        {
            var accounts = new AccountStore(store.Engine);
            var now = DateTimeOffset.UtcNow;
            var organization = accounts.CreateOrganization("org-" + name, now);
            var project = accounts.CreateProject(organization.Id, name, now);
            return (project.Id, accounts.CreateEnvironment(project.Id, "production", now).Id);
        }

        /// <summary>A trace of one span named <paramref name="name"/> whose stored text is about <paramref name="bytes"/> long.</summary>
        internal static List<IngestSpan> Trace(string name, int bytes)
        {
            var padding = Math.Max(0, bytes - name.Length - "[]".Length - "{}".Length - "{\"p\":\"\"}".Length);
            return new List<IngestSpan>
            {
                new IngestSpan
                {
                    TraceId = TraceStoreTests.TraceIdOf(name), SpanId = RichSpans.SpanId(1), Name = name, Kind = 1,
                    StartNs = 1_735_689_600_000_000_000, EndNs = 1_735_689_600_000_000_500,
                    AttributesJson = "{\"p\":\"" + new string('x', padding) + "\"}", EventsJson = "[]", ResourceJson = "{}",
                },
            };
        }

        private static List<long> TraceSizesOldestFirst(TraceStore store, string environmentId)
        {
            using var connection = store.Open();
            using var command = SqlCommands.Create(connection, SqlText.Of($"SELECT size_bytes FROM traces WHERE environment_id = @environment ORDER BY received_ms, trace_id"));
            command.Bind("@environment", environmentId);
            using var reader = command.ExecuteReader();
            var sizes = new List<long>();
            while (reader.Read())
            {
                sizes.Add(reader.GetInt64(0));
            }

            return sizes;
        }

        private static long ReceivedMs(TraceStore store, string name)
        {
            using var connection = store.Open();
            using var command = SqlCommands.Create(connection, SqlText.Of($"SELECT received_ms FROM traces WHERE trace_id = @trace"));
            command.Bind("@trace", TraceStoreTests.TraceIdOf(name));
            return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        private static string[] RootNames(TraceStore store, string environmentId)
        {
            using var connection = store.Open();
            using var command = SqlCommands.Create(connection, SqlText.Of($"SELECT root_name FROM traces WHERE environment_id = @environment ORDER BY root_name"));
            command.Bind("@environment", environmentId);
            using var reader = command.ExecuteReader();
            var names = new List<string>();
            while (reader.Read())
            {
                names.Add(reader.GetString(0));
            }

            return names.OrderBy(n => n, StringComparer.Ordinal).ToArray();
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
