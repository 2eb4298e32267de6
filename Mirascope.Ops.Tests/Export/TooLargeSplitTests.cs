using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Mirascope.Ops.Configuration;
using Mirascope.Ops.Tests.Export.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Export
{
    /// <summary>
    /// A receiver that answers 413 (payload too large) gets the batch again in halves, down to single spans: every span
    /// it can take arrives, and a span refused even alone is dropped and counted as too large. For the Mirascope Cloud
    /// export and for OTLP/HTTP alike.
    /// </summary>
    public class TooLargeSplitTests
    {
        private static readonly TimeSpan Flush = TimeSpan.FromSeconds(20);

        public static IEnumerable<object[]> Exports => new[] { new object[] { "cloud" }, new object[] { "otlp" } };

        [Theory]
        [MemberData(nameof(Exports))]
        public async Task A_receiver_refusing_batches_over_K_spans_with_413_gets_every_span_in_smaller_requests(string export)
        {
            await using var receiver = await TraceReceiver.StartAsync();
            receiver.MaxSpansPerRequest = 7;
            using var pipeline = Build(receiver, export);
            var processor = pipeline.Processors.Single();

            var traceId = SpanProducer.Produce(100);
            Assert.True(pipeline.ForceFlush(Flush));

            Assert.Equal(100, receiver.SpansOf(traceId).Select(s => s.SpanId).Distinct().Count());
            var requests = receiver.RequestsOf(traceId);
            Assert.Equal(413, requests[0].Status);
            Assert.Equal(100, requests[0].SpanCount);   // the whole batch first: only a refusal splits it
            Assert.All(requests.Where(r => r.Status == 200), r => Assert.True(r.SpanCount <= 7));
            Assert.All(requests.Where(r => r.Status == 413), r => Assert.True(r.SpanCount > 7));
            Assert.Equal(100, processor.Statistics.Exported);
            Assert.Equal(0, processor.Statistics.Dropped);
        }

        [Theory]
        [MemberData(nameof(Exports))]
        public async Task A_span_refused_with_413_even_alone_is_dropped_as_too_large_and_the_rest_arrive(string export)
        {
            await using var receiver = await TraceReceiver.StartAsync();
            receiver.TooLargeSpansNamed = new[] { "oversized" };
            var stderr = new StderrCapture();
            using var pipeline = Build(receiver, export, stderr);
            var processor = pipeline.Processors.Single();

            string traceId;
            using (var work = new TracedWork("oversized"))
            {
                traceId = work.TraceId;
                for (var i = 0; i < 19; i++)
                {
                    work.Call("Calc", "Multiply", i, 2);
                }
            }

            Assert.False(pipeline.ForceFlush(Flush));

            Assert.Equal(19, receiver.SpansOf(traceId).Count);
            Assert.DoesNotContain(receiver.SpansOf(traceId), s => s.Name == "oversized");
            var stats = processor.Statistics;
            Assert.Equal((19L, 1L, 1L, 0L), (stats.Exported, stats.DroppedTooLarge, stats.Dropped, stats.Pending));
            var total = Assert.Single(OpsExport.Statistics.Destinations, d => d.Destination == stats.Destination);
            Assert.Equal(1, total.DroppedTooLarge);
            Assert.Contains("a single span is larger than the receiver accepts", Assert.Single(stderr.WarningLines));

            pipeline.Shutdown(Flush);
            Assert.StartsWith($"Mirascope.Ops: 1 of 20 spans for {stats.Destination} not delivered: 1 too large.", Assert.Single(stderr.ExitLines));
        }

        private static OpsPipeline Build(TraceReceiver receiver, string export, StderrCapture? stderr = null) =>
            export == "cloud"
                ? Pipelines.Cloud(receiver, o => Capture(o, stderr))
                : Pipelines.Build(o =>
                {
                    o.ScheduledDelay = TimeSpan.FromMinutes(1);
                    o.Retry = Pipelines.FastRetry;
                    o.UseOtlp(receiver.OtlpEndpoint);
                    Capture(o, stderr);
                });

        private static void Capture(OpsOptions options, StderrCapture? stderr)
        {
            if (stderr is not null)
            {
                options.StandardError = () => stderr.Writer;
            }
        }
    }
}
