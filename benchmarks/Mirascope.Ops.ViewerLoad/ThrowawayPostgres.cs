using System;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Mirascope.Ops.ViewerLoad
{
    /// <summary>
    /// A PostgreSQL cluster for one run (<c>--postgres</c>): <c>initdb</c> into a temporary folder (as the <c>postgres</c>
    /// user when run as root, since the server refuses root), started with <c>pg_ctl</c> on a free port listening on
    /// 127.0.0.1 only, with the server's durable defaults (fsync and synchronous commit on: an acknowledged batch is on
    /// disk, as in production), stopped and deleted on <see cref="Dispose"/>.
    /// </summary>
    internal sealed class ThrowawayPostgres : IDisposable
    {
        private const string Role = "viewer";

        private readonly string _bin;
        private readonly string _root;
        private readonly bool _asRoot;
        private bool _keep;

        private ThrowawayPostgres(string bin, string root, bool asRoot, int port)
        {
            _bin = bin;
            _root = root;
            _asRoot = asRoot;
            Port = port;
        }

        public int Port { get; }

        public string DataDirectory => Path.Combine(_root, "data");

        /// <summary>The database the viewers share (trust authentication on loopback).</summary>
        public string ConnectionString => $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username={Role};Database=viewer_load";

        /// <summary>The postmaster's process id (its children are the server's other processes).</summary>
        public int ServerProcessId => int.Parse(File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);

        /// <summary>
        /// Starts a cluster in a new temporary folder, or in <paramref name="keepAt"/> (a folder that must not exist yet), which
        /// is then kept: stopped cleanly at the end, not deleted (<c>--postgres-keep</c>: a filled store to measure again).
        /// </summary>
        public static ThrowawayPostgres Start(TextWriter output, bool statementStatistics = false, string? keepAt = null)
        {
            var bin = PostgresServerTools.FindBin();
            if (bin is null)
            {
                throw new InvalidOperationException("--postgres needs the PostgreSQL server (initdb, pg_ctl in /usr/lib/postgresql/<version>/bin): apt-get install postgresql.");
            }

            if (keepAt is not null && Directory.Exists(keepAt))
            {
                throw new InvalidOperationException($"--postgres-keep {keepAt}: the folder exists already; give a new one");
            }

            var root = keepAt is null ? Path.Combine(Path.GetTempPath(), "mirascope-viewer-load-pg-" + Guid.NewGuid().ToString("N")) : Path.GetFullPath(keepAt);
            Directory.CreateDirectory(Path.Combine(root, "sockets"));
            var asRoot = PostgresServerTools.AsRoot;
            if (asRoot)
            {
                PostgresServerTools.Run("chown", "-R", "postgres:postgres", root);
            }

            var port = PostgresServerTools.FreePort();
            var server = new ThrowawayPostgres(bin, root, asRoot, port) { _keep = keepAt is not null };
            try
            {
                server.RunServerTool("initdb", "-D", server.DataDirectory, "-U", Role, "--auth=trust", "--encoding=UTF8", "--locale=C");
                server.RunServerTool("pg_ctl", "-D", server.DataDirectory, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60",
                    "-o", $"-k {Path.Combine(root, "sockets")} -p {port.ToString(CultureInfo.InvariantCulture)} -c listen_addresses=127.0.0.1 -c max_connections=200"
                        + (statementStatistics ? " -c shared_preload_libraries=pg_stat_statements" : string.Empty),
                    "start");
                server.RunServerTool("createdb", "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-U", Role, "viewer_load");
                if (statementStatistics)
                {
                    server.Execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
                }

                output.WriteLine($"postgres: {(keepAt is null ? "throwaway" : "kept")} cluster {Path.GetFileName(Path.GetDirectoryName(bin))} at 127.0.0.1:{port} in {root} (fsync on)");
                return server;
            }
            catch
            {
                server.Dispose();
                throw;
            }
        }

        /// <summary>Forgets the statement statistics gathered so far (<c>--pg-statements</c>: the warm-up is not measured).</summary>
        public void ResetStatementStatistics() => Execute("SELECT pg_stat_statements_reset()");

        /// <summary>
        /// The statements that took the server's time since the last reset, most first (<c>--pg-statements</c>): calls,
        /// total and mean execution time and rows, and the statement's first words. Execution only: parsing, planning and
        /// the protocol are not in these figures (the CPU per span is).
        /// </summary>
        public void WriteStatementStatistics(TextWriter output, int top = 12)
        {
            using var connection = new Npgsql.NpgsqlConnection(ConnectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = @"SELECT calls, total_exec_time, mean_exec_time, rows, regexp_replace(query, '\s+', ' ', 'g') FROM pg_stat_statements
                WHERE query NOT LIKE '%pg_stat_statements%' ORDER BY total_exec_time DESC LIMIT " + top.ToString(CultureInfo.InvariantCulture);
            using var reader = command.ExecuteReader();
            output.WriteLine("  PostgreSQL statements by execution time (pg_stat_statements, since the warm-up):");
            output.WriteLine("       calls    total ms    mean ms        rows  statement");
            while (reader.Read())
            {
                var text = reader.GetString(4).Trim();
                output.WriteLine(string.Format(CultureInfo.InvariantCulture, "  {0,10:N0}  {1,10:N0}  {2,9:0.000}  {3,10:N0}  {4}",
                    reader.GetInt64(0), reader.GetDouble(1), reader.GetDouble(2), reader.GetInt64(3), text.Length > 110 ? text.Substring(0, 110) + "..." : text));
            }
        }

        private void Execute(string sql)
        {
            using var connection = new Npgsql.NpgsqlConnection(ConnectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }

        public void Dispose()
        {
            try
            {
                if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
                {
                    RunServerTool("pg_ctl", "-D", DataDirectory, "-m", _keep ? "fast" : "immediate", "-w", "-t", "300", "stop");
                }
            }
            catch (InvalidOperationException)
            {
            }

            if (_keep)
            {
                return;
            }

            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        private void RunServerTool(string tool, params string[] args) => PostgresServerTools.Run(_asRoot, Path.Combine(_bin, tool), args);
    }
}
