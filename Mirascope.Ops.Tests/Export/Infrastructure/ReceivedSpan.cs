using System.Collections.Generic;

namespace Mirascope.Ops.Tests.Export.Infrastructure
{
    /// <summary>
    /// A span as the test receiver decoded it, the same shape whichever protocol carried it, so both exporters are
    /// asserted by the same code. Attribute values: string, bool, long, double, or object?[] for arrays.
    /// </summary>
    public sealed class ReceivedSpan
    {
        public string Protocol { get; init; } = "";
        public string TraceId { get; init; } = "";
        public string SpanId { get; init; } = "";
        public string? ParentSpanId { get; init; }
        public string Name { get; init; } = "";
        public int Kind { get; init; }
        public ulong StartTimeUnixNano { get; init; }
        public ulong EndTimeUnixNano { get; init; }
        public IReadOnlyDictionary<string, object?> Attributes { get; init; } = new Dictionary<string, object?>();
        public int StatusCode { get; init; }
        public string? StatusMessage { get; init; }
        public IReadOnlyList<ReceivedEvent> Events { get; init; } = new List<ReceivedEvent>();
        public string ScopeName { get; init; } = "";
        public string? ScopeVersion { get; init; }
        public IReadOnlyDictionary<string, object?> Resource { get; init; } = new Dictionary<string, object?>();

        public object? this[string attribute] => Attributes.TryGetValue(attribute, out var value) ? value : null;

        public override string ToString() => $"{Name} {SpanId} parent {ParentSpanId}";
    }

    public sealed class ReceivedEvent
    {
        public string Name { get; init; } = "";
        public ulong TimeUnixNano { get; init; }
        public IReadOnlyDictionary<string, object?> Attributes { get; init; } = new Dictionary<string, object?>();
    }
}
