using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Mirascope.Ops.Configuration;
using Mirascope.Ops.Export;
using Mirascope.Ops.Tests.Export.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Mirascope.Ops.Tests.Export
{
    /// <summary>
    /// Issue 17: against loopback receivers that never answer, fail, refuse the key, reject spans or cannot keep up,
    /// every span the exporter is given is exported or counted as dropped with its reason (exported + dropped ==
    /// produced, exactly); the rate-limited reports add up to the same count; the first drop writes one stderr line
    /// naming the endpoint and never the key; ForceFlush and Shutdown say whether everything was delivered. Each
    /// pipeline takes only its own test's spans (see <see cref="Pipelines"/>), so the counts are exact in parallel.
    /// </summary>
    public class DropAccountingTests
    {
        private static readonly TimeSpan Flush = TimeSpan.FromSeconds(20);
        private readonly ITestOutputHelper _output;

        public DropAccountingTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Fact]
        public async Task Receiver_that_accepts_and_never_answers_gets_200000_spans_all_counted_as_dropped_reported_in_full_and_Shutdown_says_false()
        {
            const int Produced = 200_000;
            await using var receiver = await TraceReceiver.StartAsync();
            receiver.Delay = TimeSpan.FromHours(1);
            receiver.KeepAttributes = false;
            using var events = new OpsEvents();
            var stderr = new StderrCapture();
            using var pipeline = Pipelines.Cloud(receiver, o =>
            {
                o.ExportTimeout = TimeSpan.FromMilliseconds(200);
                o.ShutdownTimeout = TimeSpan.FromMilliseconds(500);
                o.StandardError = () => stderr.Writer;
            });
            var cloud = pipeline.Processors.Single();
            var destination = cloud.Exporter.Diagnostics.Destination;

            SpanProducer.Produce(Produced);
            var delivered = pipeline.Shutdown(pipeline.ShutdownTimeout);

            var stats = cloud.Statistics;
            _output.WriteLine(stats.ToString());
            _output.WriteLine(stderr.Text);
            Assert.False(delivered);
            Assert.Equal(0, stats.Exported);
            Assert.Equal(Produced, stats.Dropped);
            Assert.Equal(0, stats.Pending);
            Assert.True(stats.DroppedQueueFull > Produced - 10_000, stats.ToString());
            Assert.True(stats.DroppedRetriesExhausted + stats.DroppedAtShutdown > 0, stats.ToString());
            Assert.Equal(0, stats.DroppedRejected + stats.DroppedExportError);
            Assert.True(stats.HighWaterMark <= 2048, stats.ToString());

            // The rate-limited reports (failed batches, queue full, unsent at shutdown) account for every span.
            var reported = Sum(events.PayloadsOf(100, destination), 1) + Sum(events.PayloadsOf(101, destination), 2) + Sum(events.PayloadsOf(105, destination), 2);
            Assert.Equal(Produced, reported);
            Assert.Equal(stats.DroppedQueueFull, Sum(events.PayloadsOf(101, destination), 2));
            var summary = Assert.Single(events.PayloadsOf(106, destination));
            Assert.Equal(
                new object[] { destination, 0L, (long)Produced, stats.DroppedQueueFull, 0L, stats.DroppedRetriesExhausted, stats.DroppedAtShutdown, 0L, 0L, 0L },
                summary);

            var line = Assert.Single(stderr.WarningLines);
            Assert.Contains(destination, line);
            Assert.DoesNotContain(receiver.ApiKey, line);
            var exit = Assert.Single(stderr.ExitLines);
            Assert.StartsWith($"Mirascope.Ops: 200,000 of 200,000 spans for {destination} not delivered: {stats.DroppedQueueFull:N0} queue full", exit);
            Assert.Contains("never answered", exit);
        }

        [Fact]
        public async Task Receiver_answering_500_to_five_batches_gets_reports_that_add_up_to_five_failures_and_every_span()
        {
            await using var receiver = await TraceReceiver.StartAsync();
            receiver.Script(Enumerable.Range(0, 5).Select(_ => Reply.WithStatus(500, body: "{\"error\":\"database down\"}")).ToArray());
            using var events = new OpsEvents();
            using var pipeline = Pipelines.Cloud(receiver);
            var cloud = pipeline.Processors.Single();
            var destination = cloud.Exporter.Diagnostics.Destination;

            for (var batch = 0; batch < 5; batch++)
            {
                SpanProducer.Produce(3);
                Assert.False(pipeline.ForceFlush(Flush));   // each flush reports the batch it lost
            }

            // Shutdown reports on what was dropped since the last ForceFlush: nothing, everything since was delivered.
            Assert.True(pipeline.Shutdown(Flush));

            Assert.Equal(new[] { 500, 500, 500, 500, 500 }, receiver.Requests.Select(r => r.Status));   // 500 is not retried
            Assert.Equal(15, cloud.Statistics.DroppedRejected);
            Assert.Equal(15, cloud.Statistics.Dropped);
            Assert.Equal(0, cloud.Statistics.Exported);
            var failures = events.PayloadsOf(100, destination);
            Assert.True(failures.Count >= 2, "the four failures held back by the rate limit are reported at shutdown");
            Assert.Equal(0L, failures[0][3]);   // the first report covers the first failure alone
            Assert.Equal(15, Sum(failures, 1));
            Assert.Equal(5, failures.Sum(f => 1 + Convert.ToInt64(f[3])));   // each report: one failure and "N similar"
            Assert.All(failures, f => Assert.Contains("HTTP 500", (string)f[2]!));
            Assert.Single(events.PayloadsOf(106, destination));
        }

        [Fact]
        public async Task Wrong_api_key_401_writes_one_stderr_line_with_the_endpoint_and_no_key_and_Shutdown_says_false()
        {
            await using var receiver = await TraceReceiver.StartAsync();
            var wrongKey = TraceReceiver.NewApiKey();
            var stderr = new StderrCapture();
            using var pipeline = Pipelines.Cloud(receiver, o =>
            {
                o.ApiKey = wrongKey;
                o.StandardError = () => stderr.Writer;
            });
            var cloud = pipeline.Processors.Single();

            for (var batch = 0; batch < 3; batch++)
            {
                SpanProducer.Produce(2);
                Assert.False(pipeline.ForceFlush(Flush));
            }

            SpanProducer.Produce(2);
            Assert.False(pipeline.Shutdown(Flush));

            Assert.All(receiver.Requests, r => Assert.Equal(401, r.Status));
            Assert.Equal(4, receiver.Requests.Count);
            Assert.Equal(8, cloud.Statistics.DroppedRejected);
            Assert.Equal(0, cloud.Statistics.Exported + cloud.Statistics.Pending);
            var line = Assert.Single(stderr.WarningLines);
            Assert.StartsWith($"Mirascope.Ops: export to {receiver.BaseUrl}/traces is refused: HTTP 401 Unauthorized", line);
            Assert.Contains("refused the API key", line);
            Assert.Equal($"Mirascope.Ops: 8 of 8 spans for Mirascope Cloud ({receiver.BaseUrl}/traces) not delivered: 8 rejected by the receiver.", Assert.Single(stderr.ExitLines).Split(" Last failure:")[0]);
            Assert.DoesNotContain(wrongKey, line);
            Assert.DoesNotContain(receiver.ApiKey, line);
        }

        [Fact]
        public async Task Forbidden_403_on_every_batch_is_counted_as_rejected_and_shown_once()
        {
            await using var receiver = await TraceReceiver.StartAsync();
            receiver.Script(Enumerable.Range(0, 4).Select(_ => Reply.WithStatus(403, body: "{\"error\":\"key lacks ingest scope\"}")).ToArray());
            var stderr = new StderrCapture();
            using var pipeline = Pipelines.Cloud(receiver, o => o.StandardError = () => stderr.Writer);
            var cloud = pipeline.Processors.Single();

            for (var batch = 0; batch < 4; batch++)
            {
                SpanProducer.Produce(5);
                Assert.False(pipeline.ForceFlush(Flush));
            }

            pipeline.Shutdown(Flush);
            Assert.Equal(new[] { 403, 403, 403, 403 }, receiver.Requests.Select(r => r.Status));
            Assert.Equal(20, cloud.Statistics.DroppedRejected);
            Assert.Equal(20, cloud.Statistics.Exported + cloud.Statistics.Dropped);
            var line = Assert.Single(stderr.WarningLines);
            Assert.Contains($"{receiver.BaseUrl}/traces", line);
            Assert.Contains("HTTP 403 Forbidden", line);
            Assert.Contains("key lacks ingest scope", line);
            Assert.DoesNotContain(receiver.ApiKey, line);
        }

        [Fact]
        public async Task Partial_success_rejections_are_counted_and_ForceFlush_is_false_only_for_the_flush_that_lost_spans()
        {
            await using var receiver = await TraceReceiver.StartAsync();
            receiver.RejectSpansNamed = new[] { "Calc.Multiply" };
            using var events = new OpsEvents();
            var stderr = new StderrCapture();
            using var pipeline = Pipelines.Cloud(receiver, o => o.StandardError = () => stderr.Writer);
            var cloud = pipeline.Processors.Single();
            var destination = cloud.Exporter.Diagnostics.Destination;

            var rejectedTrace = SpanProducer.Produce(4);   // the root is accepted, its three calls rejected
            Assert.False(pipeline.ForceFlush(Flush));
            Assert.True(pipeline.ForceFlush(Flush));       // nothing dropped since the previous flush

            receiver.RejectSpansNamed = Array.Empty<string>();
            var acceptedTrace = SpanProducer.Produce(4);
            Assert.True(pipeline.ForceFlush(Flush));
            Assert.True(pipeline.Shutdown(Flush));

            var stats = cloud.Statistics;
            Assert.Equal(5, stats.Exported);
            Assert.Equal(3, stats.DroppedRejected);
            Assert.Equal(8, stats.Exported + stats.Dropped);
            Assert.Single(receiver.SpansOf(rejectedTrace));
            Assert.Equal(4, receiver.SpansOf(acceptedTrace).Count);
            Assert.Equal(3, Sum(events.PayloadsOf(102, destination), 1));
            var line = Assert.Single(stderr.WarningLines);
            Assert.Contains("rejected 3 spans of a batch (partialSuccess)", line);
        }

        [Fact]
        public async Task Full_queue_drops_are_counted_reported_in_full_and_the_rest_is_delivered()
        {
            const int Produced = 1000;
            await using var receiver = await TraceReceiver.StartAsync();
            receiver.Delay = TimeSpan.FromMilliseconds(300);
            receiver.KeepAttributes = false;
            using var events = new OpsEvents();
            var stderr = new StderrCapture();
            using var pipeline = Pipelines.Cloud(receiver, o =>
            {
                o.MaxQueueSize = 50;
                o.MaxExportBatchSize = 50;
                o.StandardError = () => stderr.Writer;
            });
            var cloud = pipeline.Processors.Single();
            var destination = cloud.Exporter.Diagnostics.Destination;

            var traceId = SpanProducer.Produce(Produced);
            Assert.False(pipeline.Shutdown(Flush));

            var stats = cloud.Statistics;
            Assert.True(stats.DroppedQueueFull > 0, stats.ToString());
            Assert.True(stats.Exported >= 50, stats.ToString());
            Assert.Equal(Produced, stats.Exported + stats.DroppedQueueFull);
            Assert.Equal(stats.Exported, receiver.SpansOf(traceId).Count);
            Assert.Equal(stats.DroppedQueueFull, Sum(events.PayloadsOf(101, destination), 2));
            var line = Assert.Single(stderr.WarningLines);
            Assert.Contains("the export queue (MaxQueueSize 50) is full", line);
        }

        [Fact]
        public async Task Healthy_receiver_gets_everything_ForceFlush_and_Shutdown_say_true_and_nothing_is_written_to_stderr()
        {
            await using var receiver = await TraceReceiver.StartAsync();
            var stderr = new StderrCapture();
            using var events = new OpsEvents();
            using var pipeline = Pipelines.Cloud(receiver, o => o.StandardError = () => stderr.Writer);
            var cloud = pipeline.Processors.Single();

            var first = SpanProducer.Produce(100);
            Assert.True(pipeline.ForceFlush(Flush));
            var second = SpanProducer.Produce(10);
            Assert.True(pipeline.Shutdown(Flush));

            Assert.Equal(110, cloud.Statistics.Exported);
            Assert.Equal(0, cloud.Statistics.Dropped + cloud.Statistics.Pending);
            Assert.Equal(100, receiver.SpansOf(first).Count);
            Assert.Equal(10, receiver.SpansOf(second).Count);
            Assert.Empty(stderr.Text);
            Assert.Empty(events.PayloadsOf(106, cloud.Exporter.Diagnostics.Destination));
        }

        [Fact]
        public async Task OpsExport_Statistics_reports_each_destination_by_reason_and_keeps_the_totals_after_shutdown()
        {
            await using var receiver = await TraceReceiver.StartAsync();
            receiver.RejectSpansNamed = new[] { "Calc.Multiply" };
            var destination = $"Mirascope Cloud ({receiver.BaseUrl}/traces)";
            using (var pipeline = Pipelines.Cloud(receiver))
            {
                SpanProducer.Produce(6);
                pipeline.ForceFlush(Flush);
                var live = Assert.Single(OpsExport.Statistics.Destinations, d => d.Destination == destination);
                Assert.Equal((1L, 5L, 5L, 0L), (live.Exported, live.DroppedRejected, live.Dropped, live.Pending));
            }

            var snapshot = OpsExport.Statistics;
            var retired = Assert.Single(snapshot.Destinations, d => d.Destination == destination);
            Assert.Equal(1, retired.Exported);
            Assert.Equal(5, retired.DroppedRejected);
            Assert.Equal(0, retired.DroppedQueueFull + retired.DroppedRetriesExhausted + retired.DroppedAtShutdown + retired.DroppedExportError);
            Assert.Empty(retired.Destinations);
            Assert.Null(snapshot.Destination);
            Assert.Equal(snapshot.Destinations.Sum(d => d.Exported), snapshot.Exported);
            Assert.Equal(snapshot.Destinations.Sum(d => d.Dropped), snapshot.Dropped);
            Assert.Equal(
                $"{destination}: 1 exported, 5 dropped (queue full 0, rejected 5, retries exhausted 0, at shutdown 0, export error 0, too large 0), 0 pending",
                retired.ToString());
        }

        [Fact]
        public void Receiver_that_is_down_gets_its_spans_counted_as_retries_exhausted()
        {
            var port = TraceReceiver.UnusedPort();
            var stderr = new StderrCapture();
            using var pipeline = Pipelines.Build(o =>
            {
                o.ApiKey = TraceReceiver.NewApiKey();
                o.BaseUrl = new Uri($"http://127.0.0.1:{port}/api/v2");
                o.ScheduledDelay = TimeSpan.FromMinutes(1);
                o.Retry = Pipelines.FastRetry;
                o.StandardError = () => stderr.Writer;
            });
            var cloud = pipeline.Processors.Single();

            SpanProducer.Produce(7);
            Assert.False(pipeline.ForceFlush(Flush));
            Assert.True(pipeline.Shutdown(Flush));

            Assert.Equal(7, cloud.Statistics.DroppedRetriesExhausted);
            Assert.Equal(7, cloud.Statistics.Dropped);
            Assert.Equal(Pipelines.FastRetry.MaxAttempts, cloud.Statistics.Requests);
            var line = Assert.Single(stderr.WarningLines);
            Assert.Contains($"http://127.0.0.1:{port}/api/v2/traces", line);
            Assert.Contains("connection failed", line);
            Assert.Contains("gave up after 4 attempts", line);
        }

        [Fact]
        public void Console_that_cannot_be_written_counts_its_spans_as_export_errors()
        {
            var stderr = new StderrCapture();
            using var pipeline = Pipelines.Build(o =>
            {
                o.UseConsole(new BrokenWriter());
                o.StandardError = () => stderr.Writer;
            });
            var console = pipeline.Processors.Single();

            SpanProducer.Produce(3);
            Assert.False(pipeline.Shutdown(Flush));

            Assert.Equal(3, console.Statistics.DroppedExportError);
            Assert.Equal(0, console.Statistics.Exported + console.Statistics.Pending);
            Assert.Contains("the console could not be written: IOException: the pipe is closed", Assert.Single(stderr.WarningLines));
        }

        private sealed class BrokenWriter : System.IO.StringWriter
        {
            public override void Write(string? value) => throw new System.IO.IOException("the pipe is closed");
        }

        private static long Sum(IReadOnlyList<object?[]> payloads, int field) => payloads.Sum(p => Convert.ToInt64(p[field]));
    }
}
