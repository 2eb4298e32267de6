using Mirascope.Ops.Viewer.Storage;
using Mirascope.Ops.Viewer.Storage.Postgres;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Npgsql;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests
{
    /// <summary>
    /// A schema step that fills a table from every stored span takes minutes at millions of spans (measured: 671 s at a
    /// million); under Npgsql's command timeout (30 s unless the connection string says otherwise) the viewer could never
    /// start on such a store again. The migration's statements have no timeout; everything else keeps the configured one.
    /// </summary>
    public sealed class MigrationTimeoutTests
    {
        [Fact]
        public void A_migration_statement_outlasts_the_connection_strings_command_timeout_that_other_statements_keep()
        {
            var store = new NpgsqlConnectionStringBuilder(PostgresCluster.CreateDatabase()) { CommandTimeout = 1 }.ConnectionString;
            using var engine = new PostgresEngine(store);
            var sleep = SqlText.Of($"SELECT pg_sleep(2)");

            using (var migration = engine.OpenForMigration())
            using (var command = SqlCommands.Create(migration, sleep))
            {
                command.ExecuteNonQuery();
            }

            using var connection = engine.Open();
            using var timed = SqlCommands.Create(connection, sleep);
            var refused = Assert.ThrowsAny<NpgsqlException>(() => timed.ExecuteNonQuery());
            Assert.True(refused.InnerException is System.TimeoutException || refused.IsTransient, refused.ToString());
        }
    }
}
