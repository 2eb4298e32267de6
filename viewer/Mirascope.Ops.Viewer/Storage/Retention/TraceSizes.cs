namespace Mirascope.Ops.Viewer.Storage.Retention
{
    /// <summary>
    /// The size of a trace that retention by size counts (<c>traces.size_bytes</c>): the length of the text stored for each of
    /// its spans (name, attributes, events, links, resource; the JSON as sent) summed. Why this and not the engine's own
    /// figure: neither engine tells the bytes of some rows cheaply (SQLite has no per-row size, PostgreSQL's
    /// <c>pg_column_size</c> reads every row), and this is the same number on both engines, so a limit means the same on
    /// either. It counts characters, not encoded bytes, and leaves out indexes and the fixed columns: an estimate that
    /// grows with what a trace holds, which is what makes one chatty project use up its own limit and no one else's.
    /// Measured when spans are stored, inside their write transaction, from the stored rows (a span sent again is counted once).
    /// </summary>
    internal static class TraceSizes
    {
        /// <summary>The size of one span row <c>s</c>.</summary>
        public static readonly SqlText SpanSize = SqlText.Of($@"(LENGTH(s.name) + LENGTH(s.attributes) + LENGTH(s.events) + COALESCE(LENGTH(s.links), 0) + LENGTH(s.resource))");

        /// <summary>
        /// Sets the trace's size from its stored spans, as a statement of the writer's batch (<see cref="SqlBatch"/>: after the
        /// batch's span inserts and the trace's summary, in its transaction).
        /// </summary>
        public static void Measure(SqlBatch batch, string traceId) => batch.Add(MeasureText).Bind("@trace", traceId);

        private static readonly SqlText MeasureText = SqlText.Of($@"UPDATE traces SET size_bytes =
                COALESCE((SELECT SUM({SpanSize}) FROM spans s WHERE s.trace_id = @trace), 0) WHERE trace_id = @trace");
    }
}
