namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>The trace list's filters; every one that is set must match.</summary>
    internal sealed class TraceFilter
    {
        public const int DefaultLimit = 200;
        public const int MaxLimit = 1000;

        /// <summary>Part of the name of the root span or of any span in the trace (case-insensitive).</summary>
        public string? Name { get; init; }

        /// <summary>A tag (<c>mirascope.trace.tags</c>) of any span in the trace.</summary>
        public string? Tag { get; init; }

        /// <summary>The session id (<c>mirascope.ops.session.id</c>) of any span in the trace.</summary>
        public string? Session { get; init; }

        /// <summary>Only traces with at least one span whose status is error.</summary>
        public bool ErrorsOnly { get; init; }

        /// <summary>Traces that started at or after this time (Unix nanoseconds).</summary>
        public long? FromNs { get; init; }

        /// <summary>Traces that started at or before this time (Unix nanoseconds).</summary>
        public long? ToNs { get; init; }

        public int Limit { get; init; } = DefaultLimit;
    }
}
