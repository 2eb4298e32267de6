using System;

namespace Mirascope.Ops.Tests.Export.Infrastructure
{
    /// <summary>One request the receiver got, whatever it answered.</summary>
    public sealed class ReceivedRequest
    {
        public string Path { get; init; } = "";
        public string? Authorization { get; init; }
        public string? ContentType { get; init; }
        public int Status { get; init; }
        public int SpanCount { get; init; }
        public DateTime ReceivedUtc { get; init; }
        public string[] TraceIds { get; init; } = Array.Empty<string>();
    }
}
