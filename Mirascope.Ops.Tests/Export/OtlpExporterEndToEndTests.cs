using System;
using System.Linq;
using System.Threading.Tasks;
using Mirascope.Ops.Tests.Export.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Export
{
    public class OtlpExporterEndToEndTests
    {
        [Fact]
        public async Task Traced_calls_arrive_over_OTLP_http_protobuf_with_every_attribute_parent_resource_and_scope()
        {
            await using var receiver = await TraceReceiver.StartAsync();
            using var pipeline = Pipelines.Build(o =>
            {
                o.ServiceName = "otlp-tests";
                o.ScheduledDelay = TimeSpan.FromMinutes(1);
                o.UseOtlp(receiver.OtlpEndpoint, "http/protobuf");
            });
            Assert.Equal(new[] { $"OTLP ({receiver.OtlpEndpoint}v1/traces, http/protobuf)" }, pipeline.Exporters);

            var work = new TracedWork();
            ExportedTraceAssertions.RunWorkload(work);
            work.Dispose();

            Assert.True(pipeline.ForceFlush(TimeSpan.FromSeconds(10)));
            var spans = await receiver.WaitForSpansAsync(work.TraceId, ExportedTraceAssertions.SpanCount);
            Assert.All(spans, s => Assert.Equal("otlp-protobuf", s.Protocol));
            ExportedTraceAssertions.AssertWorkloadArrived(spans, work, "otlp-tests");
            Assert.All(receiver.RequestsOf(work.TraceId), r => Assert.Equal("application/x-protobuf", r.ContentType));
        }

        [Fact]
        public async Task Traced_calls_arrive_over_OTLP_grpc_with_every_attribute_parent_resource_and_scope()
        {
            await using var receiver = await OtlpGrpcReceiver.StartAsync();
            using var pipeline = Pipelines.Build(o =>
            {
                o.ServiceName = "otlp-grpc-tests";
                o.ScheduledDelay = TimeSpan.FromMinutes(1);
                o.UseOtlp(receiver.Endpoint, "grpc");
            });

            var work = new TracedWork();
            ExportedTraceAssertions.RunWorkload(work);
            work.Dispose();

            Assert.True(pipeline.ForceFlush(TimeSpan.FromSeconds(10)));
            var spans = await receiver.WaitForSpansAsync(work.TraceId, ExportedTraceAssertions.SpanCount, TimeSpan.FromSeconds(10));
            ExportedTraceAssertions.AssertWorkloadArrived(spans, work, "otlp-grpc-tests");
            Assert.True(receiver.Requests >= 1);
        }

        [Fact]
        public async Task OTEL_EXPORTER_OTLP_ENDPOINT_alone_selects_the_OTLP_exporter_and_its_settings()
        {
            await using var receiver = await TraceReceiver.StartAsync();
            var environment = TestEnvironment.With(
                ("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.OtlpEndpoint.ToString()),
                ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
                ("OTEL_SERVICE_NAME", "from-env"),
                ("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=test"));
            using var pipeline = Pipelines.Build(o => o.ScheduledDelay = TimeSpan.FromMinutes(1), environment);
            Assert.Equal(new[] { $"OTLP ({receiver.OtlpEndpoint}v1/traces, http/protobuf)" }, pipeline.Exporters);

            string traceId;
            using (var work = new TracedWork())
            {
                traceId = work.TraceId;
                work.Call("Calc", "Multiply", 5, 7);
            }

            Assert.True(pipeline.ForceFlush(TimeSpan.FromSeconds(10)));
            var spans = await receiver.WaitForSpansAsync(traceId, 2);
            Assert.Equal(2, spans.Count);
            Assert.All(spans, s => Assert.Equal("from-env", s.Resource["service.name"]));
            Assert.All(spans, s => Assert.Equal("test", s.Resource["deployment.environment"]));
        }

        [Fact]
        public async Task OTLP_exporter_retries_a_503_instead_of_dropping_the_batch()
        {
            await using var receiver = await TraceReceiver.StartAsync();
            receiver.Script(Reply.WithStatus(503, retryAfter: "0"));
            using var pipeline = Pipelines.Build(o =>
            {
                o.ScheduledDelay = TimeSpan.FromMinutes(1);
                o.UseOtlp(receiver.OtlpEndpoint);
            });

            string traceId;
            using (var work = new TracedWork())
            {
                traceId = work.TraceId;
                work.Call("Calc", "Multiply", 5, 7);
            }

            pipeline.ForceFlush(TimeSpan.FromSeconds(10));
            var spans = await receiver.WaitForSpansAsync(traceId, 2);
            Assert.Equal(2, spans.Count);
            Assert.Equal(new[] { 503, 200 }, receiver.RequestsOf(traceId).Select(r => r.Status));
        }
    }
}
