using System.Collections.Generic;
using System.Text.Json;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>
    /// One model call seen by two layers: our <c>IChatClient</c> span (<c>UseMirascopeOps</c>) or Microsoft.Extensions.AI's
    /// <c>UseOpenTelemetry</c> span outside, the provider SDK's own <c>chat</c> span inside, each with the call's
    /// <c>gen_ai.usage.*</c>. The inner span is marked <c>counted_by</c> = the outer span's id, and every sum of tokens and
    /// cost leaves marked spans out, so each call is counted once.
    /// <para>
    /// The rule: a span with <c>gen_ai.usage.*</c> repeats a call when an ancestor in the same trace (at most
    /// <see cref="MaxDepth"/> parent links up) also has <c>gen_ai.usage.*</c> and either both have a
    /// <c>gen_ai.response.id</c> and they are equal, or (one of them has none) the ancestor is its parent and both name the
    /// same model (both name one) with the same input and output tokens. It is counted by the nearest such ancestor. Where parent links
    /// loop, each span is the other's ancestor: the one that started first (then the one stored first) counts.
    /// </para>
    /// <para>
    /// The marks of a trace are computed again from its stored spans whenever spans of it arrive, so the result does not
    /// depend on the order spans arrive in (inner before outer, or after, in other requests) and a span sent again with
    /// other values moves the mark.
    /// </para>
    /// </summary>
    internal static class RepeatedCalls
    {
        /// <summary>How many parent links up an outer layer is looked for (the layers of one call are a few levels apart).</summary>
        public const int MaxDepth = 64;

        /// <summary>
        /// The marks of the traces of the JSON array <c>@ids</c>, all in one statement (one per request, not one per trace:
        /// issue 28); the rule's joins stay inside a trace (<c>trace_id</c> is carried along the parent links) and the parent
        /// links are followed in the traces' own spans (<c>mine</c>), never planned as a scan of the whole table.
        /// </summary>
        private static SqlText MarkText(SqlDialect sql) => SqlText.Of($@"
            WITH RECURSIVE
            mine AS (
                SELECT seq, trace_id, span_id, parent_span_id, usage_source, start_ns, model, input_tokens, output_tokens, response_id
                FROM spans WHERE environment_id = @environment AND {sql.IsOneOf(SqlText.Of($"trace_id"), SqlText.Of($"@ids"))}),
            calls AS (
                SELECT seq, trace_id, span_id, parent_span_id, start_ns, model, input_tokens, output_tokens, response_id
                FROM mine WHERE usage_source = 1),
            up(seq, trace_id, ancestor_id, depth) AS (
                SELECT seq, trace_id, parent_span_id, 1 FROM calls WHERE parent_span_id IS NOT NULL
                UNION ALL
                SELECT up.seq, up.trace_id, p.parent_span_id, up.depth + 1 FROM up JOIN mine p ON p.trace_id = up.trace_id AND p.span_id = up.ancestor_id
                WHERE p.parent_span_id IS NOT NULL AND up.depth < @maxDepth),
            same AS (
                SELECT c.seq, a.span_id AS counted_by, up.depth FROM up
                JOIN calls c ON c.seq = up.seq
                JOIN calls a ON a.trace_id = c.trace_id AND a.span_id = up.ancestor_id AND a.seq <> c.seq
                WHERE (CASE WHEN c.response_id IS NOT NULL AND a.response_id IS NOT NULL THEN c.response_id = a.response_id
                        ELSE up.depth = 1 AND a.model = c.model AND a.input_tokens IS NOT DISTINCT FROM c.input_tokens AND a.output_tokens IS NOT DISTINCT FROM c.output_tokens END)
                    AND (NOT EXISTS (SELECT 1 FROM up back WHERE back.seq = a.seq AND back.ancestor_id = c.span_id)
                        OR a.start_ns < c.start_ns OR (a.start_ns = c.start_ns AND a.seq < c.seq))),
            nearest AS (
                SELECT seq, counted_by FROM (SELECT seq, counted_by, ROW_NUMBER() OVER (PARTITION BY seq ORDER BY depth) AS rank FROM same) ranked
                WHERE rank = 1)
            UPDATE spans SET counted_by = (SELECT n.counted_by FROM nearest n WHERE n.seq = spans.seq)
            WHERE environment_id = @environment AND {sql.IsOneOf(SqlText.Of($"trace_id"), SqlText.Of($"@ids"))} AND (usage_source = 1 OR counted_by IS NOT NULL)
                AND counted_by IS DISTINCT FROM (SELECT n.counted_by FROM nearest n WHERE n.seq = spans.seq)");

        /// <summary>
        /// Sets <c>counted_by</c> of the spans of <paramref name="traceIds"/> in <paramref name="environmentId"/> by the rule
        /// above: one statement of the caller's write, in its transaction, whatever the number of traces. A trace is its
        /// environment's: another environment's spans under the same trace id are another trace.
        /// </summary>
        public static void Mark(SqlBatch batch, SqlDialect sql, string environmentId, IEnumerable<string> traceIds) =>
            batch.Add(MarkText(sql)).Bind("@environment", environmentId).Bind("@ids", JsonSerializer.Serialize(traceIds)).Bind("@maxDepth", MaxDepth);
    }
}
