using System;
using System.Collections.Generic;
using System.Data.Common;
using Mirascope.Ops.Viewer.Storage;
using Mirascope.Ops.Viewer.Storage.Postgres;

namespace Mirascope.Ops.ViewerLoad
{
    /// <summary>
    /// The secondary indexes of <c>spans</c> and <c>traces</c> taken off for the doubling rounds and built again after them
    /// (<see cref="BulkFill"/>, <c>--fill</c> before the viewers start): building an index once over the rows costs a
    /// fraction of keeping it through millions of inserts (PostgreSQL's trigram GIN index most of all). Each index is built
    /// again from its own definition as the store's catalog gives it (<c>pg_indexes</c>, <c>sqlite_master</c>), so the store
    /// ends with the indexes it had. Kept: the indexes of primary keys and unique constraints (the copies' own lookups and
    /// the writers' conflict tests use them). SQLite's search index (FTS5, kept by triggers) is not an index here and is kept.
    /// </summary>
    internal static class FillIndexes
    {
        /// <summary>Drops the indexes (one transaction) and returns their definitions, to give to <see cref="Create"/>.</summary>
        public static List<(string Name, string Definition)> Drop(TraceStore store, DbConnection connection)
        {
            var postgres = store.Engine is PostgresEngine;
            var indexes = new List<(string Name, string Definition)>();
            using (var list = connection.CreateCommand())
            {
                list.CommandText = postgres
                    ? @"SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() AND i.tablename IN ('spans', 'traces')
                        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = format('%I.%I', i.schemaname, i.indexname)::regclass) ORDER BY i.indexname"
                    : "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('spans', 'traces') AND sql IS NOT NULL ORDER BY name";
                using var reader = list.ExecuteReader();
                while (reader.Read())
                {
                    indexes.Add((reader.GetString(0), reader.GetString(1)));
                }
            }

            using var transaction = connection.BeginTransaction();
            foreach (var (name, _) in indexes)
            {
                using var drop = connection.CreateCommand();
                drop.Transaction = transaction;
                drop.CommandText = "DROP INDEX \"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";   // a name from the store's catalog
                drop.ExecuteNonQuery();
            }

            transaction.Commit();
            return indexes;
        }

        /// <summary>Builds the indexes again from their definitions (and, on PostgreSQL, gives the planner the tables' new statistics).</summary>
        public static void Create(TraceStore store, DbConnection connection, IEnumerable<(string Name, string Definition)> indexes)
        {
            var postgres = store.Engine is PostgresEngine;
            if (postgres)
            {
                Execute(connection, "SET maintenance_work_mem = '512MB'");
            }

            foreach (var (_, definition) in indexes)
            {
                Execute(connection, definition);   // the store's own definition, read from its catalog
            }

            if (postgres)
            {
                // What autovacuum would do after so many new rows; the viewers' first queries are planned with it.
                Execute(connection, "ANALYZE spans");
                Execute(connection, "ANALYZE traces");
            }
        }

        private static void Execute(DbConnection connection, string text)
        {
            using var command = connection.CreateCommand();
            command.CommandText = text;
            command.CommandTimeout = 0;
            command.ExecuteNonQuery();
        }
    }
}
