using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Data.Common;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Mirascope.Ops.Viewer.Storage.Postgres
{
    /// <summary>
    /// A PostgreSQL database shared by any number of viewer processes, which together are one service: any of them takes
    /// ingest or serves the page. Writers of the same trace, and function registrations, follow one another across all of
    /// them through transaction-scoped advisory locks; an ingest request is answered after its transaction committed.
    /// </summary>
    internal sealed class PostgresEngine : IStoreEngine, IDisposable
    {
        private readonly NpgsqlDataSource _dataSource;

        /// <summary>The connection string the schema migration opens its connection with: no command timeout.</summary>
        private readonly string _migrationConnectionString;

        /// <param name="connectionString">An Npgsql connection string (<c>Host=...;Database=...;Username=...;Password=...</c>).</param>
        public PostgresEngine(string connectionString)
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            if (string.IsNullOrEmpty(builder.ApplicationName))
            {
                builder.ApplicationName = "Mirascope.Ops.Viewer";
            }

            Description = Redacted(builder);
            if (builder.MaxAutoPrepare == 0)
            {
                // Ingest runs the same few statements (a span's insert, a trace's summary) hundreds of times per request:
                // prepared once per connection, the server plans them once instead of every time (measured: the server's
                // CPU per stored span fell by more than half; docs/benchmarks.md). A connection string may set its own.
                builder.MaxAutoPrepare = AutoPreparedStatements;
            }

            _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
            // A migration step fills a new table from every stored span (a rollup, the counts per environment, an index):
            // minutes at millions of spans, far past Npgsql's 30 s command timeout, which would fail the start and roll the
            // step back every time. It runs in its own transaction under the schema lock; nothing waits on its answer.
            _migrationConnectionString = new NpgsqlConnectionStringBuilder(builder.ConnectionString) { CommandTimeout = 0 }.ConnectionString;
        }

        /// <summary>How many statements each connection keeps prepared (Npgsql prepares one after it ran 5 times).</summary>
        internal const int AutoPreparedStatements = 64;

        public string Description { get; }

        public SqlDialect Sql => PostgresDialect.Instance;

        /// <summary>True for <c>key=value;...</c> text with a <c>Host</c> key: what <c>--store</c> takes for PostgreSQL.</summary>
        public static bool IsConnectionString(string location)
        {
            if (!location.Contains('=', StringComparison.Ordinal))
            {
                return false;
            }

            try
            {
                return !string.IsNullOrEmpty(new NpgsqlConnectionStringBuilder(location).Host);
            }
            catch (ArgumentException)
            {
                return false;
            }
        }

        /// <summary>The connection string as it may be shown (banner, logs, errors): the password is never part of it.</summary>
        public static string Redacted(NpgsqlConnectionStringBuilder builder)
        {
            var shown = new NpgsqlConnectionStringBuilder(builder.ConnectionString) { Password = null };
            return "PostgreSQL " + shown.ConnectionString;
        }

        public DbConnection Open() => _dataSource.OpenConnection();

        /// <summary>The schema migration's connection: its statements have no command timeout (see the constructor).</summary>
        internal DbConnection OpenForMigration()
        {
            var connection = new NpgsqlConnection(_migrationConnectionString);
            connection.Open();
            return connection;
        }

        /// <summary>An open connection, without blocking a thread while it is made.</summary>
        public async System.Threading.Tasks.Task<DbConnection> OpenAsync(System.Threading.CancellationToken cancellation) =>
            await _dataSource.OpenConnectionAsync(cancellation).ConfigureAwait(false);

        /// <summary>
        /// One advisory lock per name, held to the transaction's end. Taken in one order (by key) by every writer, so two
        /// writers that need several of the same locks never wait for each other in a circle.
        /// </summary>
        public DbTransaction BeginWrite(DbConnection connection, IEnumerable<string> lockNames)
        {
            var transaction = connection.BeginTransaction();
            var keys = lockNames.Select(LockKey).Distinct().OrderBy(k => k).ToArray();
            if (keys.Length > 0)
            {
                using var command = SqlCommands.Create(connection, SqlText.Of($"SELECT pg_advisory_xact_lock(k) FROM unnest(@keys) WITH ORDINALITY AS u(k, i) ORDER BY i"), transaction);
                command.Bind("@keys", keys);
                command.ExecuteNonQuery();
            }

            return transaction;
        }

        public DbTransaction BeginRead(DbConnection connection) => connection.BeginTransaction();

        public void CreateOrMigrate(Action<DbConnection, DbTransaction> recomputeTraces)
        {
            using var connection = OpenForMigration();
            using var transaction = connection.BeginTransaction();
            // Two viewers starting at once: the second waits here until the first committed the schema, then finds it current.
            using (var command = SqlCommands.Create(connection, SqlText.Of($"SELECT pg_advisory_xact_lock(@key)"), transaction))
            {
                command.Bind("@key", LockKey("mirascope.viewer.schema"));
                command.ExecuteNonQuery();
            }

            if (PostgresSchema.Apply(connection, transaction, Description))
            {
                recomputeTraces(connection, transaction);
            }

            transaction.Commit();
        }

        public bool IsBusy(Exception exception) => IsBusyError(exception);

        /// <summary>
        /// A lost or refused connection, a serialization failure or deadlock, a lock or statement timeout: Npgsql marks these
        /// transient (a retry may succeed).
        /// </summary>
        public static bool IsBusyError(Exception exception) => exception is NpgsqlException { IsTransient: true };

        public void Dispose() => _dataSource.Dispose();

        /// <summary>The advisory lock key of a name: the first 8 bytes of its SHA-256 (the same in every process).</summary>
        internal static long LockKey(string name) => BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(name)));
    }
}
