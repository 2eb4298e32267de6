using System.Collections.Generic;
using System.Linq;

namespace Mirascope.Ops.Viewer.Storage.Postgres
{
    /// <summary>PostgreSQL's side of <see cref="SqlDialect"/> (compare <see cref="Sqlite.SqliteDialect"/>).</summary>
    internal sealed class PostgresDialect : SqlDialect
    {
        public static readonly PostgresDialect Instance = new PostgresDialect();

        private PostgresDialect()
        {
        }

        public override SqlText ReplaceSpanInto { get; } = SqlText.Of($"INSERT INTO spans");

        /// <summary>
        /// A span sent again replaces the stored copy and takes a new <c>seq</c>, as SQLite's REPLACE does (the page sees a
        /// change). Every column but the ids is the new copy's.
        /// </summary>
        public override SqlText ReplaceSpanConflict { get; } = SqlText.Of($@"ON CONFLICT (trace_id, span_id) DO UPDATE SET
            seq = nextval(pg_get_serial_sequence('spans', 'seq')), parent_span_id = excluded.parent_span_id, trace_state = excluded.trace_state,
            name = excluded.name, kind = excluded.kind, start_ns = excluded.start_ns, end_ns = excluded.end_ns, status_code = excluded.status_code,
            status_message = excluded.status_message, attributes = excluded.attributes, events = excluded.events, links = excluded.links,
            resource = excluded.resource, service_name = excluded.service_name, scope_name = excluded.scope_name, scope_version = excluded.scope_version,
            session_id = excluded.session_id, tags = excluded.tags, input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens,
            received_ms = excluded.received_ms, usage_source = excluded.usage_source, cache_read_tokens = excluded.cache_read_tokens,
            cache_write_tokens = excluded.cache_write_tokens, provider = excluded.provider, model = excluded.model, version_hash = excluded.version_hash,
            version_name = excluded.version_name, is_error = excluded.is_error, response_id = excluded.response_id, counted_by = NULL");

        /// <summary>PostgreSQL's LIKE is case-sensitive; ILIKE ignores case as SQLite's LIKE does.</summary>
        public override SqlText Like { get; } = SqlText.Of($"ILIKE");

        /// <summary>
        /// JSON columns are text (the API returns them byte for byte as stored), parsed as <c>json</c> where a query reads a
        /// key. The text searches read it only for the spans the text indexes found (<see cref="TextCandidates"/>).
        /// </summary>
        public override SqlText AttributeText(SqlText json, SqlText key) => SqlText.Of($"(CAST({json} AS json) ->> CAST({key} AS text))");

        /// <summary><c>-></c> is SQL NULL for a missing key and JSON <c>null</c> (not SQL NULL) for a key whose value is null.</summary>
        public override SqlText AttributeExists(SqlText json, SqlText key) => SqlText.Of($"((CAST({json} AS json) -> CAST({key} AS text)) IS NOT NULL)");

        public override string AttributeKey(string key) => key;

        public override SqlText JsonArrayTable(SqlText json, SqlText alias) => SqlText.Of($"json_array_elements_text(CAST({json} AS json)) AS {alias}(value)");

        /// <summary>array_to_json writes <c>["a",null]</c> as SQLite does (json_agg would add spaces).</summary>
        public override SqlText JsonArrayAgg(SqlText value) => SqlText.Of($"COALESCE(CAST(array_to_json(array_agg({value})) AS text), '[]')");

        public override SqlText JsonArrayLength(SqlText json) => SqlText.Of($"json_array_length(CAST({json} AS json))");

        /// <summary>
        /// The span's whole search text (<see cref="PostgresSpanText.Text"/>) ILIKE '%text%', which the <c>pg_trgm</c> index
        /// answers; one text for every column group (the exact test after it tells them apart). No ESCAPE clause: backslash
        /// is PostgreSQL's LIKE escape already, and the plain operator is what the index serves.
        /// </summary>
        public override IndexedCondition? TextCandidates(SqlText spans, SpanTextColumns columns, string text, SqlText parameter) =>
            PostgresSpanText.HasTrigram(text)
                ? new IndexedCondition(SqlText.Of($"{PostgresSpanText.Text(spans)} ILIKE {parameter}"), LikePattern.Containing(text))
                : null;

        /// <summary>
        /// The name's tokens (as <c>has_token</c> splits it) hold all the tokens, lower-cased as <c>has_token</c> lower-cases
        /// them: the GIN index <c>spans_by_name_token</c> answers it, exactly.
        /// </summary>
        public override IndexedCondition? NameTokenCandidates(SqlText spans, IReadOnlyList<string> tokens, SqlText parameter) =>
            PostgresSpanText.TokenArray(tokens) is { } array
                ? new IndexedCondition(SqlText.Of($"span_name_tokens({spans}.name) @> ARRAY(SELECT left(lower(u.t), 200) FROM unnest(CAST({parameter} AS text[])) AS u(t))"), array)
                : null;

        /// <summary>Exact unless a token is longer than the index keeps (<see cref="PostgresSpanText.IndexedTokenLength"/>).</summary>
        public override bool NameTokenCandidatesAreExact(IReadOnlyList<string> tokens) => tokens.All(t => t.Length <= PostgresSpanText.IndexedTokenLength);
    }
}
