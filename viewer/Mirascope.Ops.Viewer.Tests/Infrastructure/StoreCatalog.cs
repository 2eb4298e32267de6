using System;
using System.Collections.Generic;
using Mirascope.Ops.Viewer.Storage;
using Mirascope.Ops.Viewer.Storage.Sqlite;

namespace Mirascope.Ops.Viewer.Tests.Infrastructure
{
    /// <summary>The tables of a store's database, their definitions and row counts, read from the engine's own catalog.</summary>
    internal static class StoreCatalog
    {
        /// <summary>Every table, index and function the viewer's schema has, with its definition.</summary>
        public static string[] Schema(TraceStore store) => Rows(store, store.Engine is SqliteEngine
            ? "SELECT type || ' ' || name || ' ' || COALESCE(sql, '') FROM sqlite_master ORDER BY name"
            : @"SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || COALESCE(column_default, '') FROM information_schema.columns WHERE table_schema = current_schema()
                UNION ALL SELECT 'index ' || indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = current_schema()
                UNION ALL SELECT 'function ' || p.proname || ' ' || pg_get_functiondef(p.oid) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema()
                ORDER BY 1");

        /// <summary>
        /// The row count of every table. SQLite's full-text shadow tables (<c>span_text_data</c>, <c>_idx</c>, ...) are left
        /// out: they are the index's own storage, whose rows FTS5 merges as it likes; the virtual table itself is counted.
        /// </summary>
        public static Dictionary<string, long> Counts(TraceStore store)
        {
            var tables = Rows(store, store.Engine is SqliteEngine
                ? @"SELECT name FROM sqlite_master t WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                    AND NOT EXISTS (SELECT 1 FROM sqlite_master v WHERE v.type = 'table' AND v.sql LIKE 'CREATE VIRTUAL TABLE%' AND t.name LIKE v.name || '\_%' ESCAPE '\')
                    ORDER BY name"
                : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name");
            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            using var connection = store.Open();
            foreach (var table in tables)
            {
                using var count = connection.CreateCommand();
                count.CommandText = "SELECT COUNT(*) FROM \"" + table.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";   // names read from the test's own database
                counts[table] = Convert.ToInt64(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            }

            return counts;
        }

        private static string[] Rows(TraceStore store, string sql)
        {
            using var connection = store.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            var rows = new List<string>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                rows.Add(reader.GetString(0));
            }

            return rows.ToArray();
        }
    }
}
