using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using Mirascope.Ops.ViewerLoad;
using Npgsql;

namespace Mirascope.Ops.Viewer.Tests.Infrastructure
{
    /// <summary>
    /// One throwaway PostgreSQL cluster per test run: <c>initdb</c> into a temporary folder (as the <c>postgres</c> user
    /// when the tests run as root, since the server refuses to run as root), started with <c>pg_ctl</c> on a free loopback
    /// port with fsync off (a test database need not survive a power cut), stopped and deleted when the test process
    /// exits. Each store a test opens is a schema of its own in one database (<see cref="CreateDatabase"/>): as empty as a
    /// new database to the viewer, which makes its tables in the connection's schema, but CREATE DATABASE copies ~7.5 MB
    /// per test (2.4 GB per run) where a schema costs nothing.
    /// </summary>
    internal static class PostgresCluster
    {
        /// <summary>The role the tests connect as (trust authentication on loopback: no password is checked).</summary>
        private const string Role = "viewer";

        /// <summary>
        /// Sent with every connection string: trust authentication ignores it, and the tests that read the viewer's output
        /// and logs check that it never appears there.
        /// </summary>
        public const string Password = "pg-password-never-shown";

        private static readonly Lazy<Server> Shared = new Lazy<Server>(Start, LazyThreadSafetyMode.ExecutionAndPublication);
        private static int _databases;

        /// <summary>Creates a new, empty store (a schema of its own) and returns the connection string that opens it.</summary>
        public static string CreateDatabase()
        {
            var server = Shared.Value;
            var name = "viewer_test_" + Interlocked.Increment(ref _databases).ToString(CultureInfo.InvariantCulture);
            using (var connection = new NpgsqlConnection(server.ConnectionString(null)))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "CREATE SCHEMA " + name;   // a name made above from a number
                command.ExecuteNonQuery();
            }

            return server.ConnectionString(name);
        }

        private static Server Start()
        {
            var bin = PostgresServerTools.FindBin();
            if (bin is null)
            {
                throw new InvalidOperationException(
                    "The PostgreSQL tests need the PostgreSQL server binaries (initdb, pg_ctl) in /usr/lib/postgresql/<version>/bin: "
                    + "install the distribution's package (apt-get install postgresql; .ci/run does this). They are not skipped without it.");
            }

            DeleteStoppedClusters();
            var root = Path.Combine(Path.GetTempPath(), "mirascope-viewer-pg-" + Guid.NewGuid().ToString("N"));
            var data = Path.Combine(root, "data");
            var sockets = Path.Combine(root, "sockets");
            Directory.CreateDirectory(sockets);
            var asRoot = PostgresServerTools.AsRoot;
            if (asRoot)
            {
                PostgresServerTools.Run("chown", "-R", "postgres:postgres", root);
            }

            PostgresServerTools.Run(asRoot, Path.Combine(bin, "initdb"), "-D", data, "-U", Role, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync");
            var port = PostgresServerTools.FreePort();
            PostgresServerTools.Run(asRoot, Path.Combine(bin, "pg_ctl"), "-D", data, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60",
                "-o", $"-k {sockets} -p {port.ToString(CultureInfo.InvariantCulture)} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=500",
                "start");
            var server = new Server(port);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAndDelete(asRoot, Path.Combine(bin, "pg_ctl"), data, root);
            using (var connection = new NpgsqlConnection(server.ConnectionString(null).Replace("Database=viewer_tests", "Database=postgres", StringComparison.Ordinal)))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "CREATE DATABASE viewer_tests";
                command.ExecuteNonQuery();
            }

            return server;
        }

        /// <summary>
        /// Stops the server and deletes its folder from a process of its own session: the test host may be ended before
        /// it could wait for either, and this process outlives it (a run cut off even before this is cleaned up by the
        /// next, <see cref="DeleteStoppedClusters"/>).
        /// </summary>
        private static void StopAndDelete(bool asRoot, string pgCtl, string data, string root)
        {
            var start = new ProcessStartInfo("setsid") { UseShellExecute = false };
            foreach (var arg in new[] { "sh", "-c", (asRoot ? "runuser -u postgres -- " : "") + "\"$1\" -D \"$2\" -m immediate -w stop >/dev/null 2>&1; rm -rf \"$3\"", "sh", pgCtl, data, root })
            {
                start.ArgumentList.Add(arg);
            }

            try
            {
                Process.Start(start)?.Dispose();
            }
            catch (System.ComponentModel.Win32Exception)
            {
            }
        }

        /// <summary>The folders of earlier runs whose server is not running (no postmaster.pid): a run cut off before it could delete them.</summary>
        private static void DeleteStoppedClusters()
        {
            foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), "mirascope-viewer-pg-*"))
            {
                try
                {
                    if (!File.Exists(Path.Combine(folder, "data", "postmaster.pid")) && Directory.GetLastWriteTimeUtc(folder) < DateTime.UtcNow.AddMinutes(-5))
                    {
                        Directory.Delete(folder, recursive: true);
                    }
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                {
                }
            }
        }

        private sealed class Server
        {
            private readonly int _port;

            public Server(int port)
            {
                _port = port;
            }

            /// <summary>The test database, with <paramref name="schema"/> as the only schema on the search path (null: the default path).</summary>
            public string ConnectionString(string? schema) => new NpgsqlConnectionStringBuilder
            {
                Host = "127.0.0.1",
                Port = _port,
                Username = Role,
                Password = Password,
                Database = "viewer_tests",
                SearchPath = schema,
                // Many short-lived viewers per run: idle connections are closed soon, so the cluster's limit is not reached.
                ConnectionIdleLifetime = 10,
                ConnectionPruningInterval = 5,
            }.ConnectionString;
        }
    }
}
