using System;
using System.Collections.Generic;
using System.Data.Common;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>
    /// The one interface between the viewer's storage and a database engine: connections, transactions, the schema and the
    /// SQL fragments that differ (<see cref="SqlDialect"/>). Two engines: <see cref="Sqlite.SqliteEngine"/> (one file, the
    /// embedded default) and <see cref="Postgres.PostgresEngine"/> (a shared server several viewers use as one service).
    /// <para>
    /// Why an engine object and not one store implementation per engine: the queries (<see cref="TraceStore"/>,
    /// <see cref="FunctionStore"/>, <see cref="SpanSearchQuery"/>, ...) are about 95% the same SQL on both engines, so they
    /// are written once over <see cref="DbConnection"/> and every text is reviewed (and kept free of client text) once. What
    /// differs — upsert, JSON access, LIKE's case, write locks, the schema — is in one folder per engine, and the fragments
    /// in one file per engine (<c>Sqlite/SqliteDialect.cs</c>, <c>Postgres/PostgresDialect.cs</c>), side by side.
    /// </para>
    /// </summary>
    internal interface IStoreEngine
    {
        /// <summary>Where the spans are, for the banner and error messages: a file path, or a connection string without its password.</summary>
        string Description { get; }

        SqlDialect Sql { get; }

        /// <summary>An open connection with the engine's settings (the caller disposes it).</summary>
        DbConnection Open();

        /// <summary>
        /// Starts a write transaction that holds the locks named by <paramref name="lockNames"/> (trace ids, a registry's name)
        /// until it ends, so writers of the same thing (in this process or another) follow one another: SQLite takes the
        /// file's one write lock (BEGIN IMMEDIATE), PostgreSQL one transaction-scoped advisory lock per name, in one order.
        /// </summary>
        DbTransaction BeginWrite(DbConnection connection, IEnumerable<string> lockNames);

        /// <summary>A transaction for reads that must see one state.</summary>
        DbTransaction BeginRead(DbConnection connection);

        /// <summary>
        /// Creates the schema or brings it to the current version in one transaction that no other viewer runs at the same
        /// time; when stored spans were filled in by the migration, <paramref name="recomputeTraces"/> runs inside it.
        /// </summary>
        void CreateOrMigrate(Action<DbConnection, DbTransaction> recomputeTraces);

        /// <summary>True for an error a retry can get past (a lock held too long, a lost connection): answered with 503.</summary>
        bool IsBusy(Exception exception);
    }
}
