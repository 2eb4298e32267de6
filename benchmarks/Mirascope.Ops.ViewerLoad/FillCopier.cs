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

        public FillCopier(TraceStore store)
        {
            _postgres = store.Engine is PostgresEngine;
            using var connection = store.Open();
            var spanColumns = Columns(connection, "spans").Where(c => c != "seq").ToList();
            var traceColumns = Columns(connection, "traces");

            // First rounds: the seeds named in @ids, the round in digits 12-19 (FillTraceIds.FirstRound).
            string FirstRoundId(string column) => _postgres
                ? $"(substr({column}, 1, {FillTraceIds.Marks}) || lpad(to_hex(CAST(@round AS integer)), 8, '0') || substr({column}, {FillTraceIds.Marks + 9}))"
                : $"(substr({column}, 1, {FillTraceIds.Marks}) || printf('%08x', @round) || substr({column}, {FillTraceIds.Marks + 9}))";
            var seedSet = store.Engine.Sql.JsonArrayTable(SqlText.Of($"@ids"), SqlText.Of($"j")).Text;
            _firstRoundSpans = CopySpans(spanColumns, FirstRoundId, $"s.trace_id IN (SELECT j.value FROM {seedSet})");
            _firstRoundTraces = CopyTraces(traceColumns, FirstRoundId, $"t.trace_id IN (SELECT j.value FROM {seedSet})");

            // Doubling round @round: every trace of the fill whose marks from @round on are unset (the pattern) and whose
            // marks start with @prefix (a range of the trace id index, then the exact test), mark @round set.
            static string MarkedId(string column) => $"(substr({column}, 1, @round) || '{FillTraceIds.Marked}' || substr({column}, @round + 2))";
            string Originals(string column) => $"{column} >= @low AND {column} < @high AND substr({column}, 1, @prefixLength) = @prefix AND {column} "
                + (_postgres ? "~ @pattern" : "GLOB @pattern");
            _doublingSpans = CopySpans(spanColumns, MarkedId, Originals("s.trace_id"));
            _doublingTraces = CopyTraces(traceColumns, MarkedId, Originals("t.trace_id"));
        }

        /// <summary>First round <paramref name="round"/>: copies of the seeds <paramref name="seedIds"/>, <paramref name="shiftMs"/> earlier.</summary>
        public void CopyFirstRound(DbConnection connection, DbTransaction transaction, IReadOnlyList<string> seedIds, int round, long shiftMs)
        {
            var ids = JsonSerializer.Serialize(seedIds);
            foreach (var text in new[] { _firstRoundSpans, _firstRoundTraces })
            {
                using var command = Command(connection, transaction, text, shiftMs);
                command.Bind("@ids", ids).Bind("@round", round);
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
                command.Bind("@round", round).Bind("@prefix", prefix).Bind("@prefixLength", prefix.Length)
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
                "last_seq" => $"(SELECT MAX(x.seq) FROM spans x WHERE x.trace_id = {newId("t.trace_id")})",
                _ => "t." + c,
            });
            return $"INSERT INTO traces ({string.Join(", ", columns)}) SELECT {string.Join(", ", values)} FROM traces t WHERE {originals}";
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
