using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using Mirascope.Ops.Export;
using Mirascope.Ops.Tests.Export.Infrastructure;
using OpenTelemetry.Resources;
using Xunit;

namespace Mirascope.Ops.Tests.Export
{
    /// <summary>
    /// Counting drops costs the app nothing it can feel: once the stderr line is shown, a span dropped on a full queue
    /// allocates nothing, however many follow, and every one of them is counted.
    /// </summary>
    public class QueueFullAllocationTests
    {
        [Fact]
        public void Spans_dropped_on_a_full_queue_allocate_nothing_and_are_all_counted()
        {
            var destination = "allocation test " + Guid.NewGuid().ToString("N");
            var stderr = new StderrCapture();
            using var release = new ManualResetEventSlim(false);
            var exporter = new BlockingExporter(new ExportDiagnostics(destination, null, null, new StderrDropWarning(destination, () => stderr.Writer)), release);
            using var processor = new BatchingSpanProcessor(exporter, new BatchSettings(maxQueueSize: 1, maxExportBatchSize: 1, scheduledDelay: TimeSpan.FromMilliseconds(10)));
            var spans = new List<Activity>();
            for (var i = 0; i < 10_003; i++)
            {
                spans.Add(new Activity("span") { ActivityTraceFlags = ActivityTraceFlags.Recorded });
            }

            // One span is taken by the (blocked) export, one fills the queue, one is dropped: the line is shown.
            processor.OnEnd(spans[0]);
            Assert.True(SpinWait.SpinUntil(() => exporter.Started.IsSet, TimeSpan.FromSeconds(10)));
            processor.OnEnd(spans[1]);
            processor.OnEnd(spans[2]);
            Assert.Single(stderr.Lines);

            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 3; i < spans.Count; i++)
            {
                processor.OnEnd(spans[i]);
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(0, allocated);
            Assert.Equal(10_001, processor.Statistics.DroppedQueueFull);
            release.Set();
            processor.Shutdown(10_000);
            Assert.Equal(2, processor.Statistics.Exported);
            Assert.Equal(10_003, processor.Statistics.Exported + processor.Statistics.Dropped);
        }

        private sealed class BlockingExporter : SpanBatchExporter
        {
            private readonly ManualResetEventSlim _release;

            public BlockingExporter(ExportDiagnostics diagnostics, ManualResetEventSlim release)
                : base(diagnostics)
            {
                _release = release;
            }

            public ManualResetEventSlim Started { get; } = new ManualResetEventSlim(false);

            public override BatchOutcome Export(IReadOnlyList<Activity> batch, Resource resource, CancellationToken cancellation)
            {
                Started.Set();
                _release.Wait(cancellation);
                Statistics.AddExported(batch.Count);
                return BatchOutcome.Delivered;
            }
        }
    }
}
