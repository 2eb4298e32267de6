using System;

namespace Mirascope.Ops.Export
{
    /// <summary>Queue and batch limits of one <see cref="BatchingSpanProcessor"/>.</summary>
    internal sealed class BatchSettings
    {
        public BatchSettings(int maxQueueSize, int maxExportBatchSize, TimeSpan scheduledDelay)
        {
            MaxQueueSize = maxQueueSize;
            MaxExportBatchSize = Math.Min(maxExportBatchSize, maxQueueSize);
            ScheduledDelay = scheduledDelay;
        }

        public static BatchSettings From(OpsOptions options) =>
            new BatchSettings(options.MaxQueueSize, options.MaxExportBatchSize, options.ScheduledDelay);

        public int MaxQueueSize { get; }

        public int MaxExportBatchSize { get; }

        public TimeSpan ScheduledDelay { get; }
    }
}
