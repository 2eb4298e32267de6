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
        /// <summary>The size of one span row <c>s</c>; the trace summary written with every stored request sums it over the trace's rows.</summary>
        public static readonly SqlText SpanSize = SqlText.Of($@"(LENGTH(s.name) + LENGTH(s.attributes) + LENGTH(s.events) + COALESCE(LENGTH(s.links), 0) + LENGTH(s.resource))");
    }
}
