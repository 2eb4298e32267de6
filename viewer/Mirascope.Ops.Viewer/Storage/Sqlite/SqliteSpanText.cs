using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Globalization;
using System.Text;

namespace Mirascope.Ops.Viewer.Storage.Sqlite
{
    /// <summary>
    /// SQLite's text index of spans (schema 6): an FTS5 table of trigrams, <c>span_text</c>, one row per span (rowid = the
    /// span's <c>seq</c>), columns <see cref="SpanTextColumns"/>. Contentless (the text stays in <c>spans</c> only) with
    /// deletes allowed. Triggers keep it in step with <c>spans</c> inside the writing statement's transaction, so a search
    /// never sees a span the list does not, and the write path needs no change. Trigrams answer both a substring (the
    /// trace list's <c>q</c>, the Cloud's message queries: LIKE '%text%') and a name token (its tokens are substrings too);
    /// the query keeps its exact test after the index, so results are the same as without it.
    /// </summary>
    internal static class SqliteSpanText
    {
        /// <summary>
        /// The table and its triggers. An INSERT OR REPLACE of a span sent again deletes the old row without running delete
        /// triggers (recursive_triggers is off), so the BEFORE INSERT trigger removes the old copy's entry first. The attribute
        /// texts are those the searches read (<see cref="SqliteDialect.AttributeText"/>), several keys joined by a newline.
        /// </summary>
        public static readonly SqlText Create = SqlText.Of($@"
            CREATE VIRTUAL TABLE IF NOT EXISTS span_text USING fts5(name, input, output, instructions,
                tokenize = 'trigram', content = '', contentless_delete = 1);
            CREATE TRIGGER IF NOT EXISTS span_text_before_insert BEFORE INSERT ON spans BEGIN
                DELETE FROM span_text WHERE rowid IN (SELECT seq FROM spans WHERE environment_id = new.environment_id AND trace_id = new.trace_id AND span_id = new.span_id);
            END;
            CREATE TRIGGER IF NOT EXISTS span_text_after_insert AFTER INSERT ON spans BEGIN
                INSERT INTO span_text (rowid, name, input, output, instructions)
                VALUES (new.seq, new.name, {Input(SqlText.Of($"new.attributes"))}, {Output(SqlText.Of($"new.attributes"))}, {Instructions(SqlText.Of($"new.attributes"))});
            END;
            CREATE TRIGGER IF NOT EXISTS span_text_after_update AFTER UPDATE OF name, attributes ON spans BEGIN
                DELETE FROM span_text WHERE rowid = old.seq;
                INSERT INTO span_text (rowid, name, input, output, instructions)
                VALUES (new.seq, new.name, {Input(SqlText.Of($"new.attributes"))}, {Output(SqlText.Of($"new.attributes"))}, {Instructions(SqlText.Of($"new.attributes"))});
            END;
            CREATE TRIGGER IF NOT EXISTS span_text_after_delete AFTER DELETE ON spans BEGIN
                DELETE FROM span_text WHERE rowid = old.seq;
            END;");

        /// <summary>Spans indexed per statement when a stored file gains the index (bounded work per statement).</summary>
        public const int FillBatch = 20_000;

        /// <summary>Indexes the spans stored before the index existed, <see cref="FillBatch"/> sequence numbers per statement.</summary>
        public static void Fill(DbConnection connection, DbTransaction transaction)
        {
            long last;
            using (var max = SqlCommands.Create(connection, SqlText.Of($"SELECT COALESCE(MAX(seq), 0) FROM spans"), transaction))
            {
                last = Convert.ToInt64(max.ExecuteScalar(), CultureInfo.InvariantCulture);
            }

            using var insert = SqlCommands.Create(connection, SqlText.Of($@"INSERT INTO span_text (rowid, name, input, output, instructions)
                SELECT seq, name, {Input(SqlText.Of($"attributes"))}, {Output(SqlText.Of($"attributes"))}, {Instructions(SqlText.Of($"attributes"))}
                FROM spans WHERE seq > @from AND seq <= @to"), transaction);
            var from = insert.AddParameter("@from");
            var to = insert.AddParameter("@to");
            for (long start = 0; start < last; start += FillBatch)
            {
                from.Value = start;
                to.Value = start + FillBatch;
                insert.ExecuteNonQuery();
            }
        }

        /// <summary>
        /// An FTS5 query: <paramref name="text"/> as one phrase (its trigrams in a row, that is the substring) in the
        /// <paramref name="columns"/>; null for a text shorter than three characters, which has no trigram.
        /// </summary>
        public static string? Substring(SpanTextColumns columns, string text)
        {
            if (!HasTrigram(text))
            {
                return null;
            }

            var names = new List<string>();
            foreach (var (column, name) in ColumnNames)
            {
                if ((columns & column) != 0)
                {
                    names.Add(name);
                }
            }

            return "{" + string.Join(" ", names) + "} : " + Phrase(text);
        }

        /// <summary>An FTS5 query for names holding each token of three characters or more (shorter ones have no trigram); null when none has.</summary>
        public static string? NameTokens(IReadOnlyList<string> tokens)
        {
            var phrases = new List<string>();
            foreach (var token in tokens)
            {
                if (HasTrigram(token))
                {
                    phrases.Add("name : " + Phrase(token));
                }
            }

            return phrases.Count == 0 ? null : string.Join(" AND ", phrases);
        }

        private static readonly (SpanTextColumns Column, string Name)[] ColumnNames =
        {
            (SpanTextColumns.Name, "name"), (SpanTextColumns.Input, "input"), (SpanTextColumns.Output, "output"), (SpanTextColumns.Instructions, "instructions"),
        };

        /// <summary>A FTS5 string: in double quotes, a quote doubled. U+0000 ends FTS5's reading of a query, so such a text is not looked up (null).</summary>
        private static string Phrase(string text) => "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

        /// <summary>Three Unicode characters or more (FTS5 counts code points), none of them U+0000.</summary>
        private static bool HasTrigram(string text)
        {
            if (text.Contains('\0', StringComparison.Ordinal))
            {
                return false;
            }

            var count = 0;
            foreach (var _ in text.EnumerateRunes())
            {
                if (++count == 3)
                {
                    return true;
                }
            }

            return false;
        }

        private static SqlText Input(SqlText a) => SqlText.Of($"concat_ws(char(10), {Value(a, InputMessages)}, {Value(a, InputMessagesDotted)}, {Value(a, ArgValues)})");

        private static SqlText Output(SqlText a) => SqlText.Of($"concat_ws(char(10), {Value(a, OutputMessages)}, {Value(a, OutputMessagesDotted)}, {Value(a, TraceOutput)})");

        private static SqlText Instructions(SqlText a) => Value(a, SystemInstructions);

        // The JSON paths of the keys (SpanTextColumns), as literals: the index's text is the same for every span.
        private static SqlText InputMessages => SqlText.Of($"'$.\"gen_ai.input_messages\"'");
        private static SqlText InputMessagesDotted => SqlText.Of($"'$.\"gen_ai.input.messages\"'");
        private static SqlText ArgValues => SqlText.Of($"'$.\"mirascope.trace.arg_values\"'");
        private static SqlText OutputMessages => SqlText.Of($"'$.\"gen_ai.output_messages\"'");
        private static SqlText OutputMessagesDotted => SqlText.Of($"'$.\"gen_ai.output.messages\"'");
        private static SqlText TraceOutput => SqlText.Of($"'$.\"mirascope.trace.output\"'");
        private static SqlText SystemInstructions => SqlText.Of($"'$.\"gen_ai.system_instructions\"'");

        private static SqlText Value(SqlText attributes, SqlText path) => SqliteDialect.Instance.AttributeText(attributes, path);
    }
}
