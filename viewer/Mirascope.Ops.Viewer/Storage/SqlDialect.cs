using System.Collections.Generic;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>
    /// The SQL fragments that differ between the engines; every other part of every query is written once. Each member is
    /// <see cref="SqlText"/> made of literals and the <see cref="SqlText"/> it is given, so a fragment can carry no client
    /// text either. JSON columns are stored as text on both engines (the API returns them as sent).
    /// </summary>
    internal abstract class SqlDialect
    {
        /// <summary>The start of the statement that stores a span, replacing a stored copy with the same ids: <c>... INTO spans</c>.</summary>
        public abstract SqlText ReplaceSpanInto { get; }

        /// <summary>What follows the span's <c>VALUES (...)</c> in that statement (a conflict clause, or nothing).</summary>
        public abstract SqlText ReplaceSpanConflict { get; }

        /// <summary>
        /// One statement that stores a whole request's spans from one array per column (the parameters named as
        /// <see cref="SpanWrites"/> binds them, <c>@received</c> and <c>@environment</c> single values), replacing stored
        /// copies as <see cref="ReplaceSpanInto"/> does; null where the engine stores one span per statement.
        /// </summary>
        public virtual SqlText? ReplaceSpansFromArrays => null;

        /// <summary>Pattern matching that ignores ASCII case, as SQLite's <c>LIKE</c> does (PostgreSQL: <c>ILIKE</c>).</summary>
        public abstract SqlText Like { get; }

        /// <summary>
        /// The text of the top-level key named by parameter <paramref name="key"/> (whose value is <see cref="AttributeKey"/>)
        /// in the JSON object column <paramref name="json"/>: a string's value, other values as JSON text, NULL when absent.
        /// </summary>
        public abstract SqlText AttributeText(SqlText json, SqlText key);

        /// <summary>True when the JSON object column has the key named by parameter <paramref name="key"/> (its value may be null).</summary>
        public abstract SqlText AttributeExists(SqlText json, SqlText key);

        /// <summary>The parameter value that names one top-level key for <see cref="AttributeText"/> (a JSON path in SQLite).</summary>
        public abstract string AttributeKey(string key);

        /// <summary>A table (for FROM) of the elements of the JSON array text <paramref name="json"/>, column <c>value</c>, as <paramref name="alias"/>.</summary>
        public abstract SqlText JsonArrayTable(SqlText json, SqlText alias);

        /// <summary>
        /// True when <paramref name="column"/> is one of the texts of the JSON array <paramref name="jsonArray"/> (a parameter),
        /// in the form the engine's planner answers from an index on the column for a few values.
        /// </summary>
        public virtual SqlText IsOneOf(SqlText column, SqlText jsonArray) =>
            SqlText.Of($"{column} IN (SELECT j.value FROM {JsonArrayTable(jsonArray, SqlText.Of($"j"))})");

        /// <summary>The aggregate of <paramref name="value"/> as JSON array text, <c>[]</c> over no rows.</summary>
        public abstract SqlText JsonArrayAgg(SqlText value);

        /// <summary>The element count of the JSON array text (NULL for NULL).</summary>
        public abstract SqlText JsonArrayLength(SqlText json);

        /// <summary>
        /// The spans a text search can match, read from the engine's text index: a condition on the spans alias
        /// <paramref name="spans"/> that holds for every span whose <paramref name="columns"/> contain <paramref name="text"/>
        /// (ignoring ASCII case), and for few others, with the value to bind to <paramref name="parameter"/>. The caller keeps
        /// its exact test beside it, so results are the same with or without the index. Null when the index cannot narrow
        /// the search (a text shorter than three characters: both indexes are of trigrams).
        /// </summary>
        public abstract IndexedCondition? TextCandidates(SqlText spans, SpanTextColumns columns, string text, SqlText parameter);

        /// <summary>
        /// A query of one number: how many spans <see cref="TextCandidates"/> (on spans alias <c>s</c>, its value bound to
        /// <paramref name="parameter"/>) finds, counting no further than <paramref name="cap"/>, so it costs what
        /// <paramref name="cap"/> candidates cost however many there are. Tells a few matches from many before a query
        /// chooses how to read them.
        /// </summary>
        public virtual SqlText CountTextCandidates(IndexedCondition candidates, SqlText parameter, SqlText cap) =>
            SqlText.Of($"SELECT COUNT(*) FROM (SELECT 1 FROM spans s WHERE {candidates.Condition} LIMIT {cap}) c");

        /// <summary>
        /// The spans whose name can have every one of <paramref name="tokens"/> (lower case, letters and digits) as a whole
        /// token, read from an index; null when the index cannot narrow the search. See <see cref="NameTokenCandidatesAreExact"/>.
        /// </summary>
        public abstract IndexedCondition? NameTokenCandidates(SqlText spans, IReadOnlyList<string> tokens, SqlText parameter);

        /// <summary>True when <see cref="NameTokenCandidates"/> of these tokens holds exactly for the matching spans (no <c>has_token</c> test needed after it).</summary>
        public abstract bool NameTokenCandidatesAreExact(IReadOnlyList<string> tokens);

        /// <summary>
        /// Ends a subquery so that the planner keeps it a test run row by row (<c>EXISTS (SELECT ... {this})</c>), neither
        /// flattened into a join nor given a made-up share of matching rows. For the walks over many matches (the list's
        /// and the Cloud search's): PostgreSQL multiplies the estimates of a text's LIKE tests into a handful of rows, so it
        /// read every span and sorted them (2-3 s at a million spans) instead of walking an index in the page's order and
        /// stopping when the page is full (0.1 s); <c>OFFSET 0</c> is its documented fence. SQLite already walks: nothing.
        /// </summary>
        public virtual SqlText PerRowSubqueryEnd => SqlText.Empty;

        /// <summary>
        /// Whether <see cref="CountTextCandidates"/> stops at its cap (SQLite's FTS5 yields its rows one at a time), so asking
        /// it costs little even for a common text. PostgreSQL's trigram index answers through a bitmap of every posting
        /// first, whatever the cap; the list then tests the newest traces before asking it (<see cref="TraceListQuery"/>).
        /// </summary>
        public virtual bool TextCandidateCountStopsAtCap => true;
    }
}
