using System.Collections.Generic;
using System.Linq;

namespace Mirascope.Ops.Viewer.Storage.Postgres
{
    /// <summary>PostgreSQL's side of <see cref="SqlDialect"/> (compare <see cref="Sqlite.SqliteDialect"/>).</summary>
    internal sealed class PostgresDialect : SqlDialect
    {
        // Before Instance: the instance's statements are built from it when Instance is constructed.
        private static readonly SqlText Conflict = SqlText.Of($@"ON CONFLICT (environment_id, trace_id, span_id) DO UPDATE SET
            seq = nextval(pg_get_serial_sequence('spans', 'seq')), parent_span_id = excluded.parent_span_id, trace_state = excluded.trace_state,
            name = excluded.name, kind = excluded.kind, start_ns = excluded.start_ns, end_ns = excluded.end_ns, status_code = excluded.status_code,
            status_message = excluded.status_message, attributes = excluded.attributes, events = excluded.events, links = excluded.links,
            resource = excluded.resource, service_name = excluded.service_name, scope_name = excluded.scope_name, scope_version = excluded.scope_version,
            session_id = excluded.session_id, tags = excluded.tags, input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens,
            received_ms = excluded.received_ms, usage_source = excluded.usage_source, cache_read_tokens = excluded.cache_read_tokens,
            cache_write_tokens = excluded.cache_write_tokens, provider = excluded.provider, model = excluded.model, version_hash = excluded.version_hash,
            version_name = excluded.version_name, is_error = excluded.is_error, response_id = excluded.response_id, counted_by = NULL");

        public static readonly PostgresDialect Instance = new PostgresDialect();

        private PostgresDialect()
        {
        }

        public override SqlText ReplaceSpanInto { get; } = SqlText.Of($"INSERT INTO spans");

        /// <summary>
        /// A span sent again replaces the stored copy and takes a new <c>seq</c>, as SQLite's REPLACE does (the page sees a
        /// change). Every column but the ids is the new copy's.
        /// </summary>
        public override SqlText ReplaceSpanConflict => Conflict;

        /// <summary>
        /// The request's spans from arrays (<c>unnest</c>), in the request's order (so <c>seq</c> follows it as one insert
        /// per span did), with the same conflict clause. The casts name each array's type, whatever the driver inferred.
        /// </summary>
        public override SqlText? ReplaceSpansFromArrays { get; } = SqlText.Of($@"INSERT INTO spans {SpanWrites.Columns}
            SELECT u.trace_id, u.span_id, u.parent_span_id, u.trace_state, u.name, u.kind, u.start_ns, u.end_ns, u.status_code, u.status_message,
                u.attributes, u.events, u.links, u.resource, u.service_name, u.scope_name, u.scope_version, u.session_id, u.tags, u.input_tokens, u.output_tokens,
                CAST(@received AS bigint), u.usage_source, u.cache_read_tokens, u.cache_write_tokens, u.provider, u.model, u.version_hash, u.version_name, u.is_error,
                u.response_id, CAST(@environment AS text)
            FROM unnest(CAST(@trace AS text[]), CAST(@span AS text[]), CAST(@parent AS text[]), CAST(@state AS text[]), CAST(@name AS text[]),
                CAST(@kind AS integer[]), CAST(@start AS bigint[]), CAST(@end AS bigint[]), CAST(@status AS integer[]), CAST(@message AS text[]),
                CAST(@attributes AS text[]), CAST(@events AS text[]), CAST(@links AS text[]), CAST(@resource AS text[]), CAST(@service AS text[]),
                CAST(@scope AS text[]), CAST(@scopeVersion AS text[]), CAST(@session AS text[]), CAST(@tags AS text[]), CAST(@input AS bigint[]),
                CAST(@output AS bigint[]), CAST(@usageSource AS integer[]), CAST(@cacheRead AS bigint[]), CAST(@cacheWrite AS bigint[]),
                CAST(@provider AS text[]), CAST(@model AS text[]), CAST(@versionHash AS text[]), CAST(@versionName AS text[]), CAST(@isError AS integer[]),
                CAST(@responseId AS text[])) WITH ORDINALITY
                AS u(trace_id, span_id, parent_span_id, trace_state, name, kind, start_ns, end_ns, status_code, status_message, attributes, events, links,
                    resource, service_name, scope_name, scope_version, session_id, tags, input_tokens, output_tokens, usage_source, cache_read_tokens,
                    cache_write_tokens, provider, model, version_hash, version_name, is_error, response_id, ord)
            ORDER BY u.ord
            {Conflict}");

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

        /// <summary>
        /// <c>= ANY</c> of an array: an index scan of the column for the values. (<c>IN (SELECT ... FROM
        /// json_array_elements_text(...))</c> is planned as a hash join over the whole table while it is small, which the
        /// writer paid twice per request: 20–28 ms each at 20,000 spans.)
        /// </summary>
        public override SqlText IsOneOf(SqlText column, SqlText jsonArray) =>
            SqlText.Of($"{column} = ANY (ARRAY(SELECT json_array_elements_text(CAST({jsonArray} AS json))))");

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

        /// <summary><c>OFFSET 0</c>: PostgreSQL neither pulls such a subquery up into a join nor estimates what it keeps.</summary>
        public override SqlText PerRowSubqueryEnd { get; } = SqlText.Of($" OFFSET 0");

        /// <summary>False: a GIN index is read through a bitmap of every matching posting before the first row.</summary>
        public override bool TextCandidateCountStopsAtCap => false;
    }
}
