using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Globalization;
using System.IO;
using Microsoft.Data.Sqlite;

namespace Mirascope.Ops.Viewer.Storage.Sqlite
{
    /// <summary>
    /// One SQLite file in WAL mode, the embedded default: the page reads while spans are written, and several processes
    /// may write the same file (each write waits for the file's one write lock up to the busy timeout).
    /// </summary>
    internal sealed class SqliteEngine : IStoreEngine
    {
        private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);

        private readonly string _connectionString;

        public SqliteEngine(string path)
        {
            Path = System.IO.Path.GetFullPath(path);
            var directory = System.IO.Path.GetDirectoryName(Path);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            _connectionString = new SqliteConnectionStringBuilder
            {
                DataSource = Path,
                Mode = SqliteOpenMode.ReadWriteCreate,
                Pooling = true,
                // Microsoft.Data.Sqlite retries a busy database for this long before it gives up.
                DefaultTimeout = (int)BusyTimeout.TotalSeconds,
            }.ToString();
        }

        /// <summary>The full path of the database file.</summary>
        public string Path { get; }

        public string Description => Path;

        public SqlDialect Sql => SqliteDialect.Instance;

        public DbConnection Open()
        {
            var connection = new SqliteConnection(_connectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            // busy_timeout makes SQLite itself wait for another process's lock; synchronous=FULL syncs the WAL at
            // every commit, so a batch acknowledged to its sender survives a power loss too, not only a killed process.
            command.SetText(SqlText.Of($"PRAGMA busy_timeout = 30000; PRAGMA synchronous = FULL; PRAGMA foreign_keys = OFF;"));   // BusyTimeout (a PRAGMA takes no parameter)
            command.ExecuteNonQuery();
            // The Cloud's hasToken(name_lower, t): t is a whole token of the name, tokens being runs of letters and digits.
            connection.CreateFunction("has_token", (string? text, string token) => text is not null && NameTokens.Contains(text, token), isDeterministic: true);
            return connection;
        }

        /// <summary>BEGIN IMMEDIATE: the file has one write lock, taken up front, so the names need no lock of their own.</summary>
        public DbTransaction BeginWrite(DbConnection connection, IEnumerable<string> lockNames) => ((SqliteConnection)connection).BeginTransaction(deferred: false);

        public DbTransaction BeginRead(DbConnection connection) => ((SqliteConnection)connection).BeginTransaction(deferred: true);

        public void CreateOrMigrate(Action<DbConnection, DbTransaction> recomputeTraces)
        {
            using var connection = Open();
            using var mode = connection.CreateCommand();
            // WAL lets readers (the page) run while a writer holds the lock, and lets several processes share the file.
            mode.SetText(SqlText.Of($"PRAGMA journal_mode = WAL;"));
            var journal = Convert.ToString(mode.ExecuteScalar(), CultureInfo.InvariantCulture);
            if (!string.Equals(journal, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"The span database {Path} could not be switched to WAL mode (journal mode is {journal}); is it on a network file system?");
            }

            using var transaction = ((SqliteConnection)connection).BeginTransaction(deferred: false);
            if (SqliteSchema.Apply(connection, transaction, Path))
            {
                // Older files counted errors and tokens by other rules: their summaries are computed again, once.
                recomputeTraces(connection, transaction);
            }

            transaction.Commit();
        }

        public bool IsBusy(Exception exception) => IsBusyError(exception);

        /// <summary>SQLITE_BUSY or SQLITE_LOCKED past the busy timeout.</summary>
        public static bool IsBusyError(Exception exception) => exception is SqliteException { SqliteErrorCode: 5 or 6 };
    }
}
