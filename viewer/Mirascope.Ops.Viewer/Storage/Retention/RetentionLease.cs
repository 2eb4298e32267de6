using System;
using System.Data.Common;
using Mirascope.Ops.Viewer.Storage.Postgres;

namespace Mirascope.Ops.Viewer.Storage.Retention
{
    /// <summary>
    /// The right to run retention, held by one viewer at a time among all those sharing a PostgreSQL store: a session
    /// advisory lock (<c>pg_try_advisory_lock</c>) on a connection kept open for the run, released when the run ends or
    /// the process dies (the server ends the session). Another viewer asking meanwhile gets none and skips its turn, so
    /// several instances never delete the same traces at once nor double the load. SQLite: every run gets one (the
    /// viewers sharing a file are on one machine, and deleting what is already deleted does nothing).
    /// <para>
    /// Advisory locks are per database, so the lock is named after the schema too: viewers of another store in another
    /// schema of the same database (as the tests make them) run their own retention.
    /// </para>
    /// </summary>
    internal sealed class RetentionLease : IDisposable
    {
        public const string LockName = "mirascope.viewer.retention";

        private readonly DbConnection? _connection;
        private readonly long _key;

        private RetentionLease(DbConnection? connection, long key)
        {
            _connection = connection;
            _key = key;
        }

        /// <summary>The lease, or null when another viewer holds it.</summary>
        public static RetentionLease? TryTake(IStoreEngine engine)
        {
            if (engine is not PostgresEngine)
            {
                return new RetentionLease(null, 0);
            }

            var connection = engine.Open();
            try
            {
                string schema;
                using (var current = SqlCommands.Create(connection, SqlText.Of($"SELECT current_schema()")))
                {
                    schema = current.ExecuteScalar() as string ?? string.Empty;
                }

                var key = PostgresEngine.LockKey(LockName + ":" + schema);
                using var command = SqlCommands.Create(connection, SqlText.Of($"SELECT pg_try_advisory_lock(@key)"));
                command.Bind("@key", key);
                if (command.ExecuteScalar() is true)
                {
                    return new RetentionLease(connection, key);
                }
            }
            catch
            {
                connection.Dispose();
                throw;
            }

            connection.Dispose();
            return null;
        }

        public void Dispose()
        {
            if (_connection is null)
            {
                return;
            }

            try
            {
                using var command = SqlCommands.Create(_connection, SqlText.Of($"SELECT pg_advisory_unlock(@key)"));
                command.Bind("@key", _key);
                command.ExecuteNonQuery();
            }
            finally
            {
                _connection.Dispose();
            }
        }
    }
}
