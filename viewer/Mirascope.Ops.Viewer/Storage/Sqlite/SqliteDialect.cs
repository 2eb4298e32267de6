using System.Collections.Generic;

namespace Mirascope.Ops.Viewer.Storage.Sqlite
{
    /// <summary>SQLite's side of <see cref="SqlDialect"/> (compare <see cref="Postgres.PostgresDialect"/>).</summary>
    internal sealed class SqliteDialect : SqlDialect
    {
        public static readonly SqliteDialect Instance = new SqliteDialect();

        private SqliteDialect()
        {
        }

        /// <summary>REPLACE deletes the old row and inserts a new one, so a span sent again gets a new <c>seq</c> (the page sees a change).</summary>
        public override SqlText ReplaceSpanInto { get; } = SqlText.Of($"INSERT OR REPLACE INTO spans");

        public override SqlText ReplaceSpanConflict { get; } = SqlText.Empty;

        /// <summary>SQLite's LIKE ignores ASCII case already.</summary>
        public override SqlText Like { get; } = SqlText.Of($"LIKE");

        /// <summary>json_extract gives numbers and booleans (as 1/0) as numbers; the cast makes every value text, as in PostgreSQL.</summary>
        public override SqlText AttributeText(SqlText json, SqlText key) => SqlText.Of($"CAST(json_extract({json}, {key}) AS TEXT)");

        /// <summary>json_type is <c>'null'</c> for a key whose value is null and NULL for a missing key.</summary>
        public override SqlText AttributeExists(SqlText json, SqlText key) => SqlText.Of($"(json_type({json}, {key}) IS NOT NULL)");

        /// <summary>
        /// The JSON path <c>$."key"</c>. The key (checked when read to hold no <c>"</c>, <c>\</c> or control character, which a
        /// quoted path label cannot carry) only ever goes into a parameter value, never into SQL text.
        /// </summary>
        public override string AttributeKey(string key) => "$.\"" + key + "\"";

        public override SqlText JsonArrayTable(SqlText json, SqlText alias) => SqlText.Of($"json_each({json}) {alias}");

        public override SqlText JsonArrayAgg(SqlText value) => SqlText.Of($"json_group_array({value})");

        public override SqlText JsonArrayLength(SqlText json) => SqlText.Of($"json_array_length({json})");

        /// <summary>The span's <c>seq</c> among the rowids FTS5 finds in <c>span_text</c> (<see cref="SqliteSpanText"/>).</summary>
        public override IndexedCondition? TextCandidates(SqlText spans, SpanTextColumns columns, string text, SqlText parameter) =>
            SqliteSpanText.Substring(columns, text) is { } match ? new IndexedCondition(InSpanText(spans, parameter), match) : null;

        public override IndexedCondition? NameTokenCandidates(SqlText spans, IReadOnlyList<string> tokens, SqlText parameter) =>
            SqliteSpanText.NameTokens(tokens) is { } match ? new IndexedCondition(InSpanText(spans, parameter), match) : null;

        /// <summary>
        /// Read from the text index alone, which yields its rows one at a time (the spans condition would first collect
        /// every candidate's sequence number).
        /// </summary>
        public override SqlText CountTextCandidates(IndexedCondition candidates, SqlText parameter, SqlText cap) =>
            SqlText.Of($"SELECT COUNT(*) FROM (SELECT 1 FROM span_text WHERE span_text MATCH {parameter} LIMIT {cap}) c");

        /// <summary>False: the trigrams find names that contain each token; has_token then keeps those where it is a whole token.</summary>
        public override bool NameTokenCandidatesAreExact(IReadOnlyList<string> tokens) => false;

        private static SqlText InSpanText(SqlText spans, SqlText parameter) => SqlText.Of($"{spans}.seq IN (SELECT rowid FROM span_text WHERE span_text MATCH {parameter})");
    }
}
