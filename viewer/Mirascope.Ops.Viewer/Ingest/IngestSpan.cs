namespace Mirascope.Ops.Viewer.Ingest
{
    /// <summary>
    /// One span as the viewer stores it, whichever wire format it came in: ids as lowercase hex, times as Unix
    /// nanoseconds, attributes, events, links and resource as plain JSON (an int64 stays a JSON number, a string a string).
    /// </summary>
    internal sealed class IngestSpan
    {
        public required string TraceId { get; init; }

        public required string SpanId { get; init; }

        public string? ParentSpanId { get; init; }

        public string? TraceState { get; init; }

        public required string Name { get; init; }

        /// <summary>The OTLP SpanKind number (0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer).</summary>
        public int Kind { get; init; }

        public long StartNs { get; init; }

        public long EndNs { get; init; }

        /// <summary>The OTLP status code: 0 unset, 1 ok, 2 error.</summary>
        public int StatusCode { get; init; }

        public string? StatusMessage { get; init; }

        /// <summary>A JSON object, key to value.</summary>
        public required string AttributesJson { get; init; }

        /// <summary>A JSON array of <c>{name, timeUnixNano, attributes}</c>.</summary>
        public required string EventsJson { get; init; }

        /// <summary>A JSON array of <c>{traceId, spanId, attributes}</c>, or null when the span has no links.</summary>
        public string? LinksJson { get; init; }

        /// <summary>The resource attributes as a JSON object.</summary>
        public required string ResourceJson { get; init; }

        public string? ServiceName { get; init; }

        public string? ScopeName { get; init; }

        public string? ScopeVersion { get; init; }

        /// <summary>
        /// What the lists and figures use, read by the decoder from the attributes it has just written (the same JSON as
        /// <see cref="AttributesJson"/>); null when the span was made another way: the store reads them from the text then.
        /// </summary>
        public Storage.SpanFacts? Facts { get; init; }
    }
}
