using System.IO;

namespace Mirascope.Ops.Viewer.Tests.Infrastructure
{
    /// <summary>
    /// A new, empty store for one test: a SQLite file in the test's folder, or, in Mirascope.Ops.Viewer.Tests.Postgres
    /// (which compiles these same tests with <c>VIEWER_TESTS_POSTGRES</c>), a new database in the test run's PostgreSQL cluster.
    /// </summary>
    internal static class TestStore
    {
        /// <summary>The <c>--store</c> value of a new store; <paramref name="file"/> names the SQLite file (ignored on PostgreSQL).</summary>
        public static string NewLocation(string folder, string file = "spans.db") =>
#if VIEWER_TESTS_POSTGRES
            PostgresCluster.CreateDatabase();
#else
            Path.Combine(folder, file);
#endif

        /// <summary>True when the tests run against PostgreSQL.</summary>
        public const bool OnPostgres =
#if VIEWER_TESTS_POSTGRES
            true;
#else
            false;
#endif
    }
}
