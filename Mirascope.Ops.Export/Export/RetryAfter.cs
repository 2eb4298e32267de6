using System;
using System.Net.Http;

namespace Mirascope.Ops.Export
{
    /// <summary>Reads a response's <c>Retry-After</c>, in seconds or as an HTTP date.</summary>
    internal static class RetryAfter
    {
        public static TimeSpan? Read(HttpResponseMessage response)
        {
            var header = response.Headers.RetryAfter;
            if (header is null)
            {
                return null;
            }

            if (header.Delta is { } delta)
            {
                return delta;
            }

            if (header.Date is { } date)
            {
                var wait = date - DateTimeOffset.UtcNow;
                return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
            }

            return null;
        }
    }
}
