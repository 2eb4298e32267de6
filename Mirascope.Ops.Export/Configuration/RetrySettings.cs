using System;

namespace Mirascope.Ops.Configuration
{
    /// <summary>
    /// How a failed export is retried: exponential backoff with jitter from <see cref="InitialBackoff"/> up to
    /// <see cref="MaxBackoff"/>, at most <see cref="MaxAttempts"/> attempts, a server's <c>Retry-After</c> honoured up
    /// to <see cref="MaxRetryAfter"/> (a longer one gives the batch up at once).
    /// </summary>
    internal sealed class RetrySettings
    {
        public static readonly RetrySettings Default = new RetrySettings(
            maxAttempts: 5,
            initialBackoff: TimeSpan.FromMilliseconds(200),
            maxBackoff: TimeSpan.FromSeconds(5),
            maxRetryAfter: TimeSpan.FromSeconds(30));

        public RetrySettings(int maxAttempts, TimeSpan initialBackoff, TimeSpan maxBackoff, TimeSpan maxRetryAfter)
        {
            MaxAttempts = maxAttempts;
            InitialBackoff = initialBackoff;
            MaxBackoff = maxBackoff;
            MaxRetryAfter = maxRetryAfter;
        }

        public int MaxAttempts { get; }

        public TimeSpan InitialBackoff { get; }

        public TimeSpan MaxBackoff { get; }

        public TimeSpan MaxRetryAfter { get; }
    }
}
