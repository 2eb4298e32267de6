using System.Collections.Generic;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>The Cloud's <c>SearchRequest</c> (<c>POST /api/v2/traces/search</c>), validated: every set condition must hold for a span.</summary>
    internal sealed class SpanSearch
    {
        public const int DefaultLimit = 50;
        public const int MaxLimit = 1000;
        public const int MaxOffset = 10_000;
        public const int MaxQueryLength = 500;
        public const int MaxListItems = 20;
        public const int MaxAttributeFilters = 10;

        public long StartNs { get; init; }

        /// <summary>Only spans of this environment (accounts mode: the request's); null: all (single-developer mode).</summary>
        public string? EnvironmentId { get; set; }

        public long EndNs { get; init; }

        /// <summary>Tokens (lower-cased, split on what is not a letter or digit) that must each be a whole token of the span's name.</summary>
        public IReadOnlyList<string> NameTokens { get; init; } = new List<string>();

        public string? InputMessagesQuery { get; init; }

        public string? OutputMessagesQuery { get; init; }

        public string? TraceId { get; init; }

        public string? SpanId { get; init; }

        public IReadOnlyList<string>? Models { get; init; }

        public IReadOnlyList<string>? Providers { get; init; }

        /// <summary>A registered function's id: its spans are those with its hash.</summary>
        public string? FunctionId { get; init; }

        public string? FunctionName { get; init; }

        public string? SpanNamePrefix { get; init; }

        public bool? HasError { get; init; }

        public long? MinTokens { get; init; }

        public long? MaxTokens { get; init; }

        public double? MinDurationMs { get; init; }

        public double? MaxDurationMs { get; init; }

        public IReadOnlyList<AttributeFilter> AttributeFilters { get; init; } = new List<AttributeFilter>();

        public int Limit { get; init; } = DefaultLimit;

        public int Offset { get; init; }

        /// <summary>Where the page starts instead of <see cref="Offset"/>: after this span of an earlier answer (keyset paging).</summary>
        public SpanSearchCursor? After { get; init; }

        /// <summary><c>start_time</c>, <c>duration_ms</c> or <c>total_tokens</c>.</summary>
        public string SortBy { get; init; } = "start_time";

        public bool Descending { get; init; } = true;

        public bool RootSpansOnly { get; init; }
    }

    /// <summary>One of <c>attributeFilters</c>: <c>{key, operator: eq | neq | contains | exists, value?}</c>.</summary>
    internal sealed record AttributeFilter(string Key, string Operator, string? Value);
}
