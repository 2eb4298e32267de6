using System;

namespace Mirascope.Ops.Viewer.Storage.Retention
{
    /// <summary>
    /// How long and how much of one project's traces are kept: traces whose newest span arrived longer than
    /// <see cref="MaxAge"/> ago are deleted, then the oldest until the project's traces fit in <see cref="MaxBytes"/>
    /// (<see cref="TraceSizes"/>). Null: no limit of that kind.
    /// </summary>
    internal sealed record RetentionPolicy(TimeSpan? MaxAge, long? MaxBytes)
    {
        /// <summary>The largest age limit accepted (100 years), and the largest size (1 PiB): beyond is a typo.</summary>
        public static readonly TimeSpan LargestAge = TimeSpan.FromDays(36500);

        public const long LargestBytes = 1L << 50;
    }
}
