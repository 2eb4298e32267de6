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

        /// <summary>Text in any span's name, arguments, output or gen_ai messages (case-insensitive for ASCII).</summary>
        public string? Text { get; init; }

        /// <summary>Only traces that took at least this long (nanoseconds, first start to last end).</summary>
        public long? MinDurationNs { get; init; }

        public long? MaxDurationNs { get; init; }

        /// <summary>Only traces without any failed span (the opposite of <see cref="ErrorsOnly"/>).</summary>
        public bool OkOnly { get; init; }

        /// <summary>The service name (<c>service.name</c>) of any span, exactly.</summary>
        public string? Service { get; init; }

        /// <summary>A function's name: traces with a span of any of its versions.</summary>
        public string? Function { get; init; }

        /// <summary>A version hash (<c>mirascope.version.hash</c>) of any span.</summary>
        public string? Version { get; init; }

        /// <summary>True: only traces with an annotation; false: only traces without; null: both.</summary>
        public bool? Annotated { get; init; }

        public int Limit { get; init; } = DefaultLimit;

        /// <summary>Only traces of this environment (accounts mode: the request's); null: all (single-developer mode).</summary>
        public string? EnvironmentId { get; set; }

        /// <summary>
        /// How many matching traces, newest first, to skip (paging past the first <see cref="Limit"/>). Kept for clients that
        /// page by number; <see cref="After"/> is the fast way (an offset reads every trace it skips).
        /// </summary>
        public int Offset { get; init; }

        /// <summary>Only traces after this one in the list's order (the previous page's <c>nextCursor</c>): keyset paging.</summary>
        public TraceListCursor? After { get; init; }

        public const int MaxOffset = 100_000;
    }
}
