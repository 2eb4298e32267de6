using System;
using System.Diagnostics;

namespace Mirascope.Ops.Export
{
    /// <summary>Queue and batch limits of one <see cref="BatchingSpanProcessor"/>.</summary>
    internal sealed class BatchSettings
    {
        public BatchSettings(int maxQueueSize, int maxExportBatchSize, TimeSpan scheduledDelay, Func<Activity, bool>? accepts = null)
        {
            MaxQueueSize = maxQueueSize;
            MaxExportBatchSize = Math.Min(maxExportBatchSize, maxQueueSize);
            ScheduledDelay = scheduledDelay;
            Accepts = accepts;
        }

        public static BatchSettings From(OpsOptions options) =>
            new BatchSettings(options.MaxQueueSize, options.MaxExportBatchSize, options.ScheduledDelay, options.SpanFilter);

        public int MaxQueueSize { get; }

        public int MaxExportBatchSize { get; }

        public TimeSpan ScheduledDelay { get; }

        /// <summary>Which ended spans this processor takes (null: all); see <c>OpsOptions.SpanFilter</c>.</summary>
        public Func<Activity, bool>? Accepts { get; }
    }
}
