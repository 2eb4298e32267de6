using System;
using Mirascope.Ops.Configuration;

namespace Mirascope.Ops.Export
{
    /// <summary>
    /// When to try a failed export again: exponential backoff with jitter, or the server's <c>Retry-After</c>; null
    /// when the batch should be given up.
    /// </summary>
    internal sealed class RetrySchedule
    {
        private readonly RetrySettings _settings;
        private readonly Random _random = new Random();

        public RetrySchedule(RetrySettings settings)
        {
            _settings = settings;
        }

        /// <param name="nextAttempt">The number of the attempt about to be made (2 for the first retry).</param>
        /// <param name="retryAfter">The server's <c>Retry-After</c>, if it sent one.</param>
        public TimeSpan? DelayBefore(int nextAttempt, TimeSpan? retryAfter)
        {
            if (nextAttempt > _settings.MaxAttempts)
            {
                return null;
            }

            if (retryAfter is { } asked)
            {
                // A server that asks for longer than we are willing to hold a batch gets the batch dropped, not a hang.
                return asked > _settings.MaxRetryAfter ? null : asked < TimeSpan.Zero ? TimeSpan.Zero : asked;
            }

            var ceiling = Math.Min(
                _settings.MaxBackoff.TotalMilliseconds,
                _settings.InitialBackoff.TotalMilliseconds * Math.Pow(2, nextAttempt - 2));
            // Half fixed, half random: spreads many clients out without ever retrying instantly.
            return TimeSpan.FromMilliseconds(ceiling / 2 + _random.NextDouble() * ceiling / 2);
        }
    }
}
