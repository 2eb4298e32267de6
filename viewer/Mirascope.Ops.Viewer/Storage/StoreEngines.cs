using System;
using Mirascope.Ops.Viewer.Storage.Postgres;
using Mirascope.Ops.Viewer.Storage.Sqlite;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>Picks the engine a <c>--store</c> value names.</summary>
    internal static class StoreEngines
    {
        /// <summary>
        /// A PostgreSQL connection string (<c>Host=...;Database=...</c>: <c>key=value</c> pairs with a <c>Host</c>) selects
        /// <see cref="PostgresEngine"/>; anything else is a SQLite file path (<see cref="SqliteEngine"/>).
        /// </summary>
        public static IStoreEngine Create(string location) =>
            IsPostgres(location) ? new PostgresEngine(location) : new SqliteEngine(location);

        public static bool IsPostgres(string location) => PostgresEngine.IsConnectionString(location);

        /// <summary>The store as it may be shown: a SQLite file's full path, a PostgreSQL connection string without its password.</summary>
        public static string Describe(string location) =>
            IsPostgres(location) ? PostgresEngine.Redacted(new Npgsql.NpgsqlConnectionStringBuilder(location)) : System.IO.Path.GetFullPath(location);

        /// <summary>True when a retry can get past the error (on either engine): the request is answered with 503 and Retry-After.</summary>
        public static bool IsBusy(Exception exception) => SqliteEngine.IsBusyError(exception) || PostgresEngine.IsBusyError(exception);
    }
}
