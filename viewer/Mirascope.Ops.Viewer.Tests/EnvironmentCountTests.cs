using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Mirascope.Ops.Viewer.Ingest;
using Mirascope.Ops.Viewer.Storage;
using Mirascope.Ops.Viewer.Storage.Retention;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests
{
    /// <summary>
    /// The traces and spans of each environment, kept at ingest (<c>environment_counts</c>): what accounts mode's
    /// <c>/api/status</c> and live-events number say, on either engine, always equal to counting the stored rows.
    /// </summary>
    public sealed class EnvironmentCountTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "mirascope-viewer-tests", Guid.NewGuid().ToString("N"));

        [Fact]
        public void Each_environments_counts_equal_its_stored_rows_after_ingest_resends_retention_and_delete()
        {
            var store = new TraceStore(TestStore.NewLocation(_folder));
            var (chatty, chattyEnvironment) = Retention.RetentionTests.Project(store, "chatty");
            var (_, quietEnvironment) = Retention.RetentionTests.Project(store, "quiet");
            var start = DateTimeOffset.UtcNow.AddHours(-1);
            for (var i = 0; i < 12; i++)
            {
                store.Store(Retention.RetentionTests.Trace("chatty-" + i, 1_000), start.AddSeconds(i), chattyEnvironment);
            }

            store.Store(TraceStoreTests.Trace("quiet-a", 4), start, quietEnvironment);
            store.Store(TraceStoreTests.Trace("implicit", 2), start, TraceEnvironments.Implicit);
            AssertCountsEqualRows(store, chattyEnvironment, quietEnvironment, TraceEnvironments.Implicit);

            // A trace that grows over two requests, and spans sent again (replaced, not counted twice), one twice in one request.
            var growing = TraceStoreTests.Trace("quiet-b", 5);
            store.Store(growing.Take(2).ToList(), start, quietEnvironment);
            store.Store(growing.Skip(1).Concat(growing.Skip(4)).ToList(), start, quietEnvironment);
            store.Store(TraceStoreTests.Trace("quiet-a", 4), start, quietEnvironment);
            Assert.Equal((2L, 9L), TraceEnvironments.Count(store, quietEnvironment));
            AssertCountsEqualRows(store, chattyEnvironment, quietEnvironment, TraceEnvironments.Implicit);

            // Retention by size deletes chatty's oldest traces, nobody else's.
            var deleted = Retention.RetentionTests.RunOnce(store, new RetentionPolicy(null, 5_000), DateTimeOffset.UtcNow);
            Assert.InRange(deleted, 1, 11);
            Assert.Equal(12 - deleted, RetentionUsage.Of(store, chatty).Traces);
            AssertCountsEqualRows(store, chattyEnvironment, quietEnvironment, TraceEnvironments.Implicit);

            // A trace deleted from the page.
            Assert.Single(TraceDeletion.Delete(store, new[] { (TraceStoreTests.TraceIdOf("quiet-a"), (long?)null) }, quietEnvironment));
            Assert.Equal((1L, 5L), TraceEnvironments.Count(store, quietEnvironment));
            Assert.Equal(5L, TraceEnvironments.Sequence(store, quietEnvironment));
            AssertCountsEqualRows(store, chattyEnvironment, quietEnvironment, TraceEnvironments.Implicit);
        }

        [Fact]
        public void A_store_of_the_schema_before_the_environment_counts_fills_them_from_its_traces()
        {
            var location = TestStore.NewLocation(_folder, "before-counts.db");
            var store = new TraceStore(location);
            var (_, first) = Retention.RetentionTests.Project(store, "first");
            var (_, second) = Retention.RetentionTests.Project(store, "second");
            for (var i = 0; i < 20; i++)
            {
                store.Store(TraceStoreTests.Trace("t-" + i, 1 + (i % 4)), DateTimeOffset.UtcNow, i % 3 == 0 ? first : i % 3 == 1 ? second : TraceEnvironments.Implicit);
            }

            // What the store was before the counts: no table, the schema number before it (SQLite 9, PostgreSQL 6).
            using (var connection = store.Open())
            {
                using var command = connection.CreateCommand();
                command.CommandText = LaterSchemaSteps.UndoEnvironmentCounts
                    + (TestStore.OnPostgres ? "UPDATE mirascope_viewer_schema SET version = 6;" : "PRAGMA user_version = 9;");
                command.ExecuteNonQuery();
            }

            var reopened = new TraceStore(location);

            Assert.Equal((7L, 18L), TraceEnvironments.Count(reopened, first));   // i = 0, 3, ..., 18: 1+4+3+2+1+4+3 spans
            AssertCountsEqualRows(reopened, first, second, TraceEnvironments.Implicit);
            reopened.Store(TraceStoreTests.Trace("after", 3), DateTimeOffset.UtcNow, second);
            AssertCountsEqualRows(reopened, first, second, TraceEnvironments.Implicit);
        }

        [Fact]
        public void A_store_that_kept_store_counts_loses_the_table_and_still_counts_every_trace_and_span()
        {
            var location = TestStore.NewLocation(_folder, "store-counts.db");
            var store = new TraceStore(location);
            var (_, environment) = Retention.RetentionTests.Project(store, "kept");
            for (var i = 0; i < 6; i++)
            {
                store.Store(TraceStoreTests.Trace("s-" + i, 1 + i), DateTimeOffset.UtcNow, i % 2 == 0 ? environment : TraceEnvironments.Implicit);
            }

            // The store as the viewer before the drop left it: store_counts there (with figures it kept), the schema before (SQLite 11, PostgreSQL 9).
            using (var connection = store.Open())
            {
                using var command = connection.CreateCommand();
                command.CommandText = LaterSchemaSteps.UndoStoreCountsDrop + "INSERT INTO store_counts (shard, traces, spans) VALUES (3, 6, 21);"
                    + (TestStore.OnPostgres ? "UPDATE mirascope_viewer_schema SET version = 10;" : "PRAGMA user_version = 12;");
                command.ExecuteNonQuery();
            }

            var reopened = new TraceStore(location);

            Assert.Equal(0L, Count(reopened, TestStore.OnPostgres
                ? "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'store_counts'"
                : "SELECT COUNT(*) FROM sqlite_master WHERE name = 'store_counts'", null));
            Assert.Equal((6L, 21L), reopened.Count());
            reopened.Store(TraceStoreTests.Trace("after", 3), DateTimeOffset.UtcNow, environment);
            Assert.Equal((7L, 24L), reopened.Count());
            AssertCountsEqualRows(reopened, environment, TraceEnvironments.Implicit);
        }

        /// <summary>The kept counts of each environment against a count of its stored traces and spans from scratch.</summary>
        private static void AssertCountsEqualRows(TraceStore store, params string[] environments)
        {
            foreach (var environment in environments)
            {
                var counted = (Count(store, "SELECT COUNT(*) FROM traces WHERE environment_id = @environment", environment),
                    Count(store, "SELECT COUNT(*) FROM spans WHERE environment_id = @environment", environment));
                Assert.Equal(counted, TraceEnvironments.Count(store, environment));
                Assert.Equal(counted.Item2, TraceEnvironments.Sequence(store, environment));
            }

            var all = (Count(store, "SELECT COUNT(*) FROM traces", null), Count(store, "SELECT COUNT(*) FROM spans", null));
            Assert.Equal(all, store.Count());
        }

        private static long Count(TraceStore store, string sql, string? environment)
        {
            using var connection = store.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            if (environment is not null)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = "@environment";
                parameter.Value = environment;
                command.Parameters.Add(parameter);
            }

            return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        public void Dispose()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
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
