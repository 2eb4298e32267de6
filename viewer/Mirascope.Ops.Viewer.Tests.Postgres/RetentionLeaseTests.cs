using System;
using System.Threading;
using System.Threading.Tasks;
using Mirascope.Ops.Viewer.Storage;
using Mirascope.Ops.Viewer.Storage.Retention;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Mirascope.Ops.Viewer.Tests.Retention;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests
{
    /// <summary>Several viewers on one PostgreSQL database: one runs retention at a time (a session advisory lock).</summary>
    public sealed class RetentionLeaseTests
    {
        private static readonly RetentionPolicy WeekOld = new RetentionPolicy(TimeSpan.FromDays(7), null);

        [Fact]
        public void While_one_viewer_runs_retention_another_on_the_same_database_skips_its_turn_and_runs_once_it_is_released()
        {
            var location = PostgresCluster.CreateDatabase();
            var first = new TraceStore(location);
            var second = new TraceStore(location);   // another viewer: its own engine and connection pool
            RetentionTests.SeedOldTraces(first, 50, spansPerTrace: 2, DateTimeOffset.UtcNow.AddDays(-30));

            var held = RetentionLease.TryTake(first.Engine);
            Assert.NotNull(held);
            Assert.Null(RetentionLease.TryTake(second.Engine));
            Assert.Null(new RetentionRun(second, new RetentionPolicies(second, WeekOld)).RunOnce(DateTimeOffset.UtcNow));
            Assert.Equal(50, second.Count().Traces);

            held!.Dispose();

            Assert.Equal(50, new RetentionRun(second, new RetentionPolicies(second, WeekOld)).RunOnce(DateTimeOffset.UtcNow));
            Assert.Equal((0, 0), second.Count());
        }

        [Fact]
        public async Task Two_viewers_starting_retention_together_delete_each_trace_once_one_of_them_doing_all_of_it()
        {
            var location = PostgresCluster.CreateDatabase();
            var first = new TraceStore(location);
            var second = new TraceStore(location);
            RetentionTests.SeedOldTraces(first, 400, spansPerTrace: 2, DateTimeOffset.UtcNow.AddDays(-30));
            using var firstBatchDone = new ManualResetEventSlim();
            var firstRun = new RetentionRun(first, new RetentionPolicies(first, WeekOld))
            {
                BatchSize = 10,
                Pause = TimeSpan.FromMilliseconds(20),
                BatchDeleted = (_, _) => firstBatchDone.Set(),
            };
            var secondRun = new RetentionRun(second, new RetentionPolicies(second, WeekOld)) { BatchSize = 10 };

            var running = Task.Run(() => firstRun.RunOnce(DateTimeOffset.UtcNow));
            Assert.True(firstBatchDone.Wait(TimeSpan.FromSeconds(30)), "the first viewer's retention deleted nothing");
            var meanwhile = secondRun.RunOnce(DateTimeOffset.UtcNow);   // while the first is still at it

            Assert.Null(meanwhile);
            Assert.Equal(400, await running);
            Assert.Equal((0, 0), second.Count());
            Assert.Equal(0, secondRun.RunOnce(DateTimeOffset.UtcNow));   // the lease is free again: nothing left to do
        }
    }
}
