using System;

namespace Mirascope.Ops.Tests.Export.Infrastructure
{
    /// <summary>A scripted answer of the receiver: status, optional Retry-After and body, optional delay before answering.</summary>
    public sealed class Reply
    {
        public int Status { get; init; } = 200;
        public string? RetryAfter { get; init; }
        public string? Body { get; init; }
        public TimeSpan Delay { get; init; }

        public static Reply WithStatus(int status, string? retryAfter = null, string? body = null) =>
            new Reply { Status = status, RetryAfter = retryAfter, Body = body };

        public static Reply Slow(TimeSpan delay) => new Reply { Delay = delay };
    }
}
