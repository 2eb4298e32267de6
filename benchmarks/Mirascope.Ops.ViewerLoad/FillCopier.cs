using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Linq;
using System.Text.Json;
using Mirascope.Ops.Viewer.Storage;
using Mirascope.Ops.Viewer.Storage.Postgres;

namespace Mirascope.Ops.ViewerLoad
{
    /// <summary>
    /// The fill's copy statements (<see cref="BulkFill"/>): spans, then their traces, copied inside the database
    /// (<c>INSERT ... SELECT</c>: no row travels to this process) under new ids (<see cref="FillTraceIds"/>) with every time
    /// moved back. Built once from the store's own column lists (read from the catalog, never from a client), so a column
    /// another change adds is copied as it is; a column that depends on the id or the time is one this class must learn, and
    /// the test comparing with ingest is what says so.
    /// </summary>
    internal sealed class FillCopier
    {
        private readonly bool _postgres;
        private readonly string _firstRoundSpans;
        private readonly string _firstRoundTraces;
        private readonly string _doublingSpans;
        private readonly string _doublingTraces;
        private readonly List<string> _movedRollups;
        private readonly string _environments;

        public FillCopier(TraceStore store, IReadOnlyList<string> environments)
        {
            _postgres = store.Engine is PostgresEngine;
            _environments = JsonSerializer.Serialize(environments.Distinct(StringComparer.Ordinal));
            // The fill's environments lead every test of the originals: the spans' key is (environment, trace id, span id),
            // so the trace id ranges below are index ranges only under an environment.
            string InFillEnvironments(string alias) => store.Engine.Sql.IsOneOf(alias == "s" ? SqlText.Of($"s.environment_id") : SqlText.Of($"t.environment_id"),
                SqlText.Of($"@environments")).Text + " AND ";
            using var connection = store.Open();
            var spanColumns = Columns(connection, "spans").Where(c => c != "seq").ToList();
            var traceColumns = Columns(connection, "traces");

            // First rounds: the seeds named in @ids, the round in digits 12-19 (FillTraceIds.FirstRound).
            string FirstRoundId(string column) => _postgres
                ? $"(substr({column}, 1, {FillTraceIds.Marks}) || lpad(to_hex(CAST(@round AS integer)), 8, '0') || substr({column}, {FillTraceIds.Marks + 9}))"
                : $"(substr({column}, 1, {FillTraceIds.Marks}) || printf('%08x', @round) || substr({column}, {FillTraceIds.Marks + 9}))";
            var seedSet = store.Engine.Sql.JsonArrayTable(SqlText.Of($"@ids"), SqlText.Of($"j")).Text;
            _firstRoundSpans = CopySpans(spanColumns, FirstRoundId, InFillEnvironments("s") + $"s.trace_id IN (SELECT j.value FROM {seedSet})");
            _firstRoundTraces = CopyTraces(traceColumns, FirstRoundId, InFillEnvironments("t") + $"t.trace_id IN (SELECT j.value FROM {seedSet})");

            // Doubling round @round: every trace of the fill whose marks from @round on are unset (the pattern) and whose
            // marks start with @prefix (a range of the trace id index, then the exact test), mark @round set.
            static string MarkedId(string column) => $"(substr({column}, 1, @round) || '{FillTraceIds.Marked}' || substr({column}, @round + 2))";
            string Originals(string column) => $"{column} >= @low AND {column} < @high AND substr({column}, 1, @prefixLength) = @prefix AND {column} "
                + (_postgres ? "~ @pattern" : "GLOB @pattern");
            _doublingSpans = CopySpans(spanColumns, MarkedId, InFillEnvironments("s") + Originals("s.trace_id"));
            _doublingTraces = CopyTraces(traceColumns, MarkedId, InFillEnvironments("t") + Originals("t.trace_id"));
            _movedRollups = FillRollups.TimeKeyedTables.Select(t => MoveRollups(connection, t)).ToList();
        }

        /// <summary>
        /// Adds to the dashboard's rollup tables a copy of every row, its bucket start <paramref name="shiftMs"/> earlier: the
        /// copies' rows when the tables hold only the fill's traces (<see cref="FillRollups"/> says why that is exact).
        /// </summary>
        public void MoveRollups(DbConnection connection, DbTransaction transaction, long shiftMs)
        {
            foreach (var text in _movedRollups)
            {
                using var command = Command(connection, transaction, text, shiftMs);
                command.ExecuteNonQuery();
            }
        }

        /// <summary>First round <paramref name="round"/>: copies of the seeds <paramref name="seedIds"/>, <paramref name="shiftMs"/> earlier.</summary>
        public void CopyFirstRound(DbConnection connection, DbTransaction transaction, IReadOnlyList<string> seedIds, int round, long shiftMs)
        {
            var ids = JsonSerializer.Serialize(seedIds);
            foreach (var text in new[] { _firstRoundSpans, _firstRoundTraces })
            {
                using var command = Command(connection, transaction, text, shiftMs);
                command.Bind("@ids", ids).Bind("@round", round).Bind("@environments", _environments);
                command.ExecuteNonQuery();
            }
        }

        /// <summary>Doubling round <paramref name="round"/> (0-based), the originals whose marks start with <paramref name="prefix"/>, <paramref name="shiftMs"/> earlier.</summary>
        public void CopyDoubling(DbConnection connection, DbTransaction transaction, int round, string prefix, long shiftMs)
        {
            var unmarked = new string(FillTraceIds.Unmarked, FillTraceIds.Marks - round);
            var pattern = _postgres
                ? "^[" + FillTraceIds.Unmarked + FillTraceIds.Marked + "]{" + round + "}" + unmarked
                : string.Concat(Enumerable.Repeat("[" + FillTraceIds.Unmarked + FillTraceIds.Marked + "]", round)) + unmarked + "*";
            foreach (var text in new[] { _doublingSpans, _doublingTraces })
            {
                using var command = Command(connection, transaction, text, shiftMs);
                // Trace ids are hex digits, all below '~': [prefix, prefix + '~') holds every id starting with the prefix.
                command.Bind("@environments", _environments).Bind("@round", round).Bind("@prefix", prefix).Bind("@prefixLength", prefix.Length)
                    .Bind("@low", prefix).Bind("@high", prefix + "~").Bind("@pattern", pattern);
                command.ExecuteNonQuery();
            }
        }

        private static DbCommand Command(DbConnection connection, DbTransaction transaction, string text, long shiftMs)
        {
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = text;   // the store's column names and our own text; values are parameters
            command.CommandTimeout = 0;   // a chunk of a doubling round writes hundreds of thousands of rows
            command.Bind("@shiftNs", shiftMs * 1_000_000L).Bind("@shiftMs", shiftMs);
            return command;
        }

        private static string CopySpans(List<string> columns, Func<string, string> newId, string originals)
        {
            var values = columns.Select(c => c switch
            {
                "trace_id" => newId("s.trace_id"),
                "start_ns" or "end_ns" => $"s.{c} - @shiftNs",
                "received_ms" => "s.received_ms - @shiftMs",
                _ => "s." + c,
            });
            // In the originals' order, so the copies' sequence numbers follow one another as the originals' do.
            return $"INSERT INTO spans ({string.Join(", ", columns)}) SELECT {string.Join(", ", values)} FROM spans s WHERE {originals} ORDER BY s.seq";
        }

        private static string CopyTraces(List<string> columns, Func<string, string> newId, string originals)
        {
            var values = columns.Select(c => c switch
            {
                "trace_id" => newId("t.trace_id"),
                "start_ns" or "end_ns" => $"t.{c} - @shiftNs",
                "received_ms" => "t.received_ms - @shiftMs",
                "last_seq" => $"(SELECT MAX(x.seq) FROM spans x WHERE x.environment_id = t.environment_id AND x.trace_id = {newId("t.trace_id")})",
                _ => "t." + c,
            });
            return $"INSERT INTO traces ({string.Join(", ", columns)}) SELECT {string.Join(", ", values)} FROM traces t WHERE {originals}";
        }

        /// <summary>
        /// <c>INSERT INTO t SELECT</c> every row with its <c>bucket</c> moved back, each key found already getting the
        /// values added (the tables are sums; a key is hit once: moving is one-to-one). Columns and key from the catalog.
        /// </summary>
        private string MoveRollups(DbConnection connection, string table)
        {
            var columns = Columns(connection, table);
            var key = KeyColumns(connection, table);
            var values = columns.Where(c => !key.Contains(c)).ToList();
            if (!key.Contains("bucket") || values.Count == 0)
            {
                throw new InvalidOperationException($"the rollup table {table} has no bucket in its key or no values");
            }

            // WHERE true: SQLite's parser needs it before an upsert's ON CONFLICT after a SELECT.
            return $"INSERT INTO {table} ({string.Join(", ", columns)}) SELECT {string.Join(", ", columns.Select(c => c == "bucket" ? "r.bucket - @shiftNs" : "r." + c))} "
                + $"FROM {table} r WHERE true ON CONFLICT ({string.Join(", ", key)}) DO UPDATE SET {string.Join(", ", values.Select(v => $"{v} = {table}.{v} + excluded.{v}"))}";
        }

        /// <summary>The table's primary key columns.</summary>
        private List<string> KeyColumns(DbConnection connection, string table)
        {
            using var command = connection.CreateCommand();
            command.CommandText = _postgres
                ? @"SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
                    WHERE i.indrelid = CAST(@table AS regclass) AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)"
                : "SELECT name FROM pragma_table_info(@table) WHERE pk > 0 ORDER BY pk";
            command.Bind("@table", table);
            var columns = new List<string>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                columns.Add(reader.GetString(0));
            }

            return columns;
        }

        /// <summary>The table's stored (not generated) columns, in their order.</summary>
        private List<string> Columns(DbConnection connection, string table)
        {
            using var command = connection.CreateCommand();
            command.CommandText = _postgres
                ? "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @table AND is_generated = 'NEVER' ORDER BY ordinal_position"
                : "SELECT name FROM pragma_table_info(@table) ORDER BY cid";
            command.Bind("@table", table);
            var columns = new List<string>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                columns.Add(reader.GetString(0));
            }

            if (columns.Count == 0)
            {
                throw new InvalidOperationException($"the store has no table {table}");
            }

            return columns;
        }
    }
}
