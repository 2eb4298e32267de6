using System;
using System.Linq;
using System.Threading.Tasks;
using Mirascope.Ops.Configuration;
using Mirascope.Ops.Export;
using Mirascope.Ops.Tests.Export.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Export
{
    /// <summary>
    /// What the app sees when the backend misbehaves: never an exception, a bounded queue, every span either
    /// delivered or counted, and delivery again once the backend recovers.
    /// </summary>
    public class CloudExporterFaultTests
    {
        private static readonly TimeSpan Flush = TimeSpan.FromSeconds(15);

        [Fact]
        public async Task Receiver_never_started_costs_the_app_nothing_drops_are_counted_and_spans_flow_once_it_starts()
        {
            var port = TraceReceiver.UnusedPort();
            var key = TraceReceiver.NewApiKey();
            using var events = new OpsEvents();
            using var pipeline = Pipelines.Build(o =>
            {
                o.ApiKey = key;
                o.BaseUrl = new Uri($"http://127.0.0.1:{port}/api/v2");
                o.MaxQueueSize = 64;
                o.ScheduledDelay = TimeSpan.FromMinutes(1);
                o.Retry = Pipelines.FastRetry;
            });
            var cloud = pipeline.Processors.Single();

            using (var work = new TracedWork())
            {
                for (var i = 0; i < 500; i++)
                {
                    Assert.Equal(i * 2, work.Call("Calc", "Multiply", i, 2));
                }
            }

            pipeline.ForceFlush(Flush);
            var stats = cloud.Statistics;
            Assert.Equal(0, stats.Exported);
            Assert.True(stats.DroppedQueueFull > 0, stats.ToString());
            Assert.True(stats.DroppedRetriesExhausted >= 64, stats.ToString());   // at least the first full queue was tried and given up
            Assert.True(stats.HighWaterMark <= 64, stats.ToString());
            Assert.Contains(events.TextsOf(100), t => t.Contains("Mirascope Cloud") && t.Contains("connection failed"));
            Assert.Contains(events.TextsOf(101), t => t.Contains("capacity 64"));

            await using var receiver = await TraceReceiver.StartAsync(key, port);
            string traceId;
            using (var work = new TracedWork())
            {
                traceId = work.TraceId;
                work.Call("Calc", "Multiply", 5, 7);
            }

            Assert.True(pipeline.ForceFlush(Flush));
            Assert.Equal(2, (await receiver.WaitForSpansAsync(traceId, 2)).Count);
        }

        [Fact]
        public async Task Receiver_that_stops_mid_run_and_comes_back_gets_the_spans_sent_after_it_returns()
        {
            var receiver = await TraceReceiver.StartAsync();
            using var pipeline = Pipelines.Cloud(receiver);
            var cloud = pipeline.Processors.Single();

            var before = Traced(w => w.Call("Calc", "Multiply", 1, 2));
            Assert.True(pipeline.ForceFlush(Flush));
            Assert.Equal(2, (await receiver.WaitForSpansAsync(before, 2)).Count);

            await receiver.StopAsync();
            var failedBefore = cloud.Statistics.DroppedRetriesExhausted;
            var during = Traced(w => w.Call("Calc", "Multiply", 3, 4));
            pipeline.ForceFlush(Flush);
            Assert.True(cloud.Statistics.DroppedRetriesExhausted >= failedBefore + 2, cloud.Statistics.ToString());

            await receiver.RestartAsync();
            var after = Traced(w => w.Call("Calc", "Multiply", 5, 6));
            Assert.True(pipeline.ForceFlush(Flush));
            Assert.Equal(2, (await receiver.WaitForSpansAsync(after, 2)).Count);
            Assert.Empty(receiver.SpansOf(during));
            Assert.Equal(2, receiver.SpansOf(before).Count);
            Assert.True(cloud.Statistics.HighWaterMark <= 2048);
            await receiver.DisposeAsync();
        }

        [Fact]
        public async Task Service_unavailable_with_Retry_After_is_retried_after_the_requested_delay()
        {
            await using var receiver = await TraceReceiver.StartAsync();
            receiver.Script(Reply.WithStatus(503, retryAfter: "1"));
            using var pipeline = Pipelines.Cloud(receiver);

            var traceId = Traced(w => w.Call("Calc", "Multiply", 5, 7));
            Assert.True(pipeline.ForceFlush(Flush));

            var requests = receiver.RequestsOf(traceId);
            Assert.Equal(new[] { 503, 200 }, requests.Select(r => r.Status));
            Assert.True(requests[1].ReceivedUtc - requests[0].ReceivedUtc >= TimeSpan.FromMilliseconds(900), "the retry waited for Retry-After");
            Assert.Equal(2, receiver.SpansOf(traceId).Count);
        }

        [Fact]
        public async Task Too_many_requests_is_retried_with_backoff_until_accepted()
        {
            await using var receiver = await TraceReceiver.StartAsync();
            receiver.Script(Reply.WithStatus(429), Reply.WithStatus(429));
            using var pipeline = Pipelines.Cloud(receiver);

            var traceId = Traced(w => w.Call("Calc", "Multiply", 5, 7));
            Assert.True(pipeline.ForceFlush(Flush));

            Assert.Equal(new[] { 429, 429, 200 }, receiver.RequestsOf(traceId).Select(r => r.Status));
            Assert.Equal(2, receiver.SpansOf(traceId).Count);
            Assert.True(pipeline.Processors.Single().Statistics.Retries >= 2);
        }

        [Fact]
        public async Task Bad_request_is_not_retried_and_the_batch_is_dropped_and_counted()
        {
            await using var receiver = await TraceReceiver.StartAsync();
            using var events = new OpsEvents();
            receiver.Script(Reply.WithStatus(400, body: "{\"error\":\"malformed span\"}"));
            using var pipeline = Pipelines.Cloud(receiver);

            var traceId = Traced(w => w.Call("Calc", "Multiply", 5, 7));
            pipeline.ForceFlush(Flush);

            Assert.Equal(new[] { 400 }, receiver.RequestsOf(traceId).Select(r => r.Status));
            Assert.Empty(receiver.SpansOf(traceId));
            Assert.True(pipeline.Processors.Single().Statistics.DroppedRejected >= 2);
            Assert.Contains(events.TextsOf(100), t => t.Contains("HTTP 400") && t.Contains("malformed span") && t.Contains("not retried"));
        }

        [Fact]
        public async Task Receiver_slower_than_the_export_timeout_is_abandoned_and_the_batch_retried()
        {
            await using var receiver = await TraceReceiver.StartAsync();
            receiver.Script(Reply.Slow(TimeSpan.FromSeconds(5)));
            using var events = new OpsEvents();
            using var pipeline = Pipelines.Cloud(receiver, o => o.ExportTimeout = TimeSpan.FromMilliseconds(300));

            var traceId = Traced(w => w.Call("Calc", "Multiply", 5, 7));
            Assert.True(pipeline.ForceFlush(Flush));

            Assert.Equal(2, (await receiver.WaitForSpansAsync(traceId, 2)).Count);
            Assert.True(pipeline.Processors.Single().Statistics.Retries >= 1);
            Assert.Contains(events.TextsOf(103), t => t.Contains("no answer within 300 ms"));
        }

        [Fact]
        public async Task Partial_success_counts_the_rejected_spans_reports_them_and_does_not_retry()
        {
            await using var receiver = await TraceReceiver.StartAsync();
            receiver.RejectSpansNamed = new[] { "Calc.Multiply" };
            using var events = new OpsEvents();
            using var pipeline = Pipelines.Cloud(receiver);

            var traceId = Traced(w =>
            {
                w.Call("Calc", "Multiply", 5, 7);
                w.Call("Nesting", "Inner", 1);
            });
            Assert.False(pipeline.ForceFlush(Flush));   // not everything was delivered: one span was rejected

            Assert.Equal(new[] { 200 }, receiver.RequestsOf(traceId).Select(r => r.Status));
            Assert.Equal(new[] { "Nesting.Inner", "export-test" }, receiver.SpansOf(traceId).Select(s => s.Name).OrderBy(n => n, StringComparer.Ordinal));
            Assert.Equal(1, pipeline.Processors.Single().Statistics.DroppedRejected);
            Assert.Contains(events.TextsOf(102), t => t.Contains($"Mirascope Cloud ({receiver.BaseUrl}/traces) rejected 1 spans") && t.Contains("spans were rejected due to errors"));
        }

        [Fact]
        public async Task Traced_calls_do_not_wait_for_an_export_stuck_on_a_slow_receiver()
        {
            await using var receiver = await TraceReceiver.StartAsync();
            receiver.Script(Reply.Slow(TimeSpan.FromSeconds(3)));
            using var pipeline = Pipelines.Cloud(receiver, o => o.MaxQueueSize = 100);

            Traced(w => w.Call("Calc", "Multiply", 1, 1));
            var flushing = Task.Run(() => pipeline.ForceFlush(Flush));
            await WaitUntil(() => receiver.Requests.Count == 0 && pipeline.Processors.Single().Statistics.Requests > 0);

            // The export thread is now blocked on the slow request; traced calls still complete, and spans beyond
            // the queue's capacity are dropped rather than held.
            Traced(w =>
            {
                for (var i = 0; i < 1000; i++)
                {
                    w.Call("Calc", "Multiply", i, 3);
                }
            });
            Assert.Empty(receiver.Requests);   // the stuck request has still not been answered
            var stats = pipeline.Processors.Single().Statistics;
            Assert.True(stats.DroppedQueueFull > 0, stats.ToString());
            Assert.True(stats.HighWaterMark <= 100, stats.ToString());
            await flushing;
        }

        private static string Traced(Action<TracedWork> body)
        {
            using var work = new TracedWork();
            body(work);
            return work.TraceId;
        }

        private static async Task WaitUntil(Func<bool> condition)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!condition() && DateTime.UtcNow < deadline)
            {
                await Task.Delay(5);
            }

            Assert.True(condition());
        }
    }
}
