using System;
using System.Linq;
using System.Threading.Tasks;
using Mirascope.Ops.Tests.Export.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Export
{
    public class CloudExporterEndToEndTests
    {
        [Fact]
        public async Task Traced_calls_arrive_at_Mirascope_Cloud_with_every_attribute_parent_resource_and_scope()
        {
            await using var receiver = await TraceReceiver.StartAsync();
            using var pipeline = Pipelines.Cloud(receiver);
            var work = new TracedWork();
            var traceId = work.TraceId;
            ExportedTraceAssertions.RunWorkload(work);
            work.Dispose();

            Assert.True(pipeline.ForceFlush(TimeSpan.FromSeconds(10)));
            var spans = await receiver.WaitForSpansAsync(traceId, ExportedTraceAssertions.SpanCount);
            ExportedTraceAssertions.AssertWorkloadArrived(spans, work, "export-tests");
            Assert.Empty(receiver.ContractErrors);
            var requests = receiver.RequestsOf(traceId);
            Assert.NotEmpty(requests);
            Assert.All(requests, r =>
            {
                Assert.Equal(TraceReceiver.CloudPath, r.Path);
                Assert.Equal("Bearer " + receiver.ApiKey, r.Authorization);
                Assert.StartsWith("application/json", r.ContentType);
                Assert.Equal(200, r.Status);
            });
        }

        [Fact]
        public async Task Base_url_with_a_trailing_slash_posts_to_the_same_traces_path()
        {
            await using var receiver = await TraceReceiver.StartAsync();
            using var pipeline = Pipelines.Cloud(receiver, o => o.BaseUrl = new Uri(receiver.BaseUrl + "/"));
            string traceId;
            using (var work = new TracedWork())
            {
                traceId = work.TraceId;
                work.Call("Calc", "Multiply", 5, 7);
            }

            Assert.True(pipeline.ForceFlush(TimeSpan.FromSeconds(10)));
            Assert.Equal(2, (await receiver.WaitForSpansAsync(traceId, 2)).Count);
        }

        [Fact]
        public async Task Wrong_api_key_gets_401_which_is_not_retried_and_the_batch_is_counted_as_failed()
        {
            await using var receiver = await TraceReceiver.StartAsync();
            using var events = new OpsEvents();
            var wrongKey = TraceReceiver.NewApiKey();
            using var pipeline = Pipelines.Cloud(receiver, o => o.ApiKey = wrongKey);
            string traceId;
            using (var work = new TracedWork())
            {
                traceId = work.TraceId;
                work.Call("Calc", "Multiply", 5, 7);
            }

            pipeline.ForceFlush(TimeSpan.FromSeconds(10));
            Assert.Empty(receiver.SpansOf(traceId));
            var cloud = pipeline.Processors.Single();
            Assert.True(cloud.Statistics.DroppedRejected >= 2);
            Assert.Equal(0, cloud.Statistics.Retries);
            Assert.All(receiver.Requests, r => Assert.Equal(401, r.Status));
            Assert.Contains(events.TextsOf(100), t => t.Contains("HTTP 401") && t.Contains("not retried"));
            Assert.DoesNotContain(events.Events, e => e.Text.Contains(wrongKey));
        }
    }
}
