using System;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using Mirascope.Ops.Export;
using Mirascope.Ops.Tests.Export.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Export
{
    /// <summary>
    /// The official OTLP exporter, configured from the environment alone, against real loopback receivers over both
    /// protocols: the documented default (http/protobuf) is what goes on the wire, the wrong protocol is told in one
    /// stderr line naming the endpoint and the fix, and OTLP is counted like the Cloud export (exported + dropped +
    /// pending == given, under a black hole and a 500).
    /// </summary>
    public class OtlpProtocolAndCountingTests
    {
        private static readonly TimeSpan Flush = TimeSpan.FromSeconds(20);

        [Fact]
        public async Task OTEL_EXPORTER_OTLP_ENDPOINT_alone_sends_http_protobuf_to_v1_traces_and_counts_every_span_exported()
        {
            await using var receiver = await TraceReceiver.StartAsync();
            using var pipeline = Pipelines.Build(o => o.ScheduledDelay = TimeSpan.FromMinutes(1), TestEnvironment.With(("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.OtlpEndpoint.ToString())));
            var otlp = pipeline.Processors.Single();

            var traceId = SpanProducer.Produce(25);
            Assert.True(pipeline.ForceFlush(Flush));

            Assert.Equal(25, (await receiver.WaitForSpansAsync(traceId, 25)).Count);
            Assert.All(receiver.RequestsOf(traceId), r => Assert.Equal(TraceReceiver.OtlpPath, r.Path));
            Assert.Equal($"OTLP ({receiver.OtlpEndpoint}v1/traces, http/protobuf)", otlp.Statistics.Destination);
            Assert.Equal(25, otlp.Statistics.Exported);
            Assert.Equal(0, otlp.Statistics.Dropped + otlp.Statistics.Pending);
            var total = Assert.Single(OpsExport.Statistics.Destinations, d => d.Destination == otlp.Statistics.Destination);
            Assert.Equal(25, total.Exported);
        }

        [Fact]
        public async Task OTEL_EXPORTER_OTLP_PROTOCOL_grpc_with_the_endpoint_sends_over_gRPC_and_counts_every_span_exported()
        {
            await using var receiver = await OtlpGrpcReceiver.StartAsync();
            using var pipeline = Pipelines.Build(
                o => o.ScheduledDelay = TimeSpan.FromMinutes(1),
                TestEnvironment.With(("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.Endpoint.ToString()), ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")));
            var otlp = pipeline.Processors.Single();

            var traceId = SpanProducer.Produce(25);
            Assert.True(pipeline.ForceFlush(Flush));

            Assert.Equal(25, (await receiver.WaitForSpansAsync(traceId, 25, TimeSpan.FromSeconds(10))).Count);
            Assert.Equal($"OTLP ({receiver.Endpoint}, grpc)", otlp.Statistics.Destination);
            Assert.Equal(25, otlp.Statistics.Exported);
        }

        [Fact]
        public async Task gRPC_to_an_HTTP1_only_endpoint_is_told_in_one_stderr_line_naming_the_endpoint_and_the_fix()
        {
            await using var receiver = await TraceReceiver.StartAsync();

            var (line, statistics) = SendThreeBatchesOfFour(("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.OtlpEndpoint.ToString()), ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"));

            Assert.Contains(receiver.OtlpEndpoint.ToString(), line);
            Assert.Contains("does not speak gRPC", line);
            Assert.Contains("OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf", line);
            Assert.Equal(12, statistics.DroppedRejected);   // a mismatch is not retried: it would fail the same way
            Assert.Equal(3, statistics.Requests);
        }

        [Fact]
        public async Task http_protobuf_to_a_gRPC_port_is_told_in_one_stderr_line_naming_the_endpoint_and_the_fix()
        {
            await using var receiver = await OtlpGrpcReceiver.StartAsync();

            var (line, statistics) = SendThreeBatchesOfFour(("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.Endpoint.ToString()));

            Assert.Contains(receiver.Endpoint + "v1/traces", line);
            Assert.True(line.Contains("speaks gRPC"), line);
            Assert.Contains("OTEL_EXPORTER_OTLP_PROTOCOL=grpc", line);
            Assert.Equal(12, statistics.DroppedRejected);
            Assert.Equal(0, receiver.Requests);
        }

        /// <summary>
        /// Three batches of four spans through an OTLP pipeline configured from <paramref name="environment"/> alone,
        /// each flush failing (the receiver speaks the other protocol); asserts stderr got exactly one line and returns it.
        /// </summary>
        private static (string Line, ExportStatistics Statistics) SendThreeBatchesOfFour(params (string Name, string Value)[] environment)
        {
            var stderr = new StderrCapture();
            using var pipeline = Pipelines.Build(
                o =>
                {
                    o.ScheduledDelay = TimeSpan.FromMinutes(1);
                    o.Retry = Pipelines.FastRetry;
                    o.StandardError = () => stderr.Writer;
                },
                TestEnvironment.With(environment));
            var otlp = pipeline.Processors.Single();

            for (var i = 0; i < 3; i++)
            {
                SpanProducer.Produce(4);
                Assert.False(pipeline.ForceFlush(Flush));
            }

            Assert.True(stderr.Lines.Count == 1, stderr.Text);
            return (stderr.Lines[0], otlp.Statistics);
        }

        [Fact]
        public async Task OTLP_answered_500_counts_every_span_rejected_and_the_figures_add_up()
        {
            await using var receiver = await TraceReceiver.StartAsync();
            receiver.Script(Enumerable.Range(0, 3).Select(_ => Reply.WithStatus(500, body: "boom")).ToArray());
            using var pipeline = Pipelines.Build(o =>
            {
                o.ScheduledDelay = TimeSpan.FromMinutes(1);
                o.Retry = Pipelines.FastRetry;
                o.UseOtlp(receiver.OtlpEndpoint);
            });
            var otlp = pipeline.Processors.Single();

            for (var i = 0; i < 3; i++)
            {
                SpanProducer.Produce(5);
                Assert.False(pipeline.ForceFlush(Flush));
            }

            var delivered = SpanProducer.Produce(5);
            Assert.True(pipeline.ForceFlush(Flush));

            var stats = otlp.Statistics;
            Assert.Equal(15, stats.DroppedRejected);
            Assert.Equal(5, stats.Exported);
            Assert.Equal(20, stats.Exported + stats.Dropped + stats.Pending);
            Assert.Equal(5, receiver.SpansOf(delivered).Count);
            // A 500 is not retried: one request per lost batch (the delivered spans may leave in more than one).
            Assert.Equal(new[] { 500, 500, 500 }, receiver.Requests.Take(3).Select(r => r.Status));
            Assert.All(receiver.Requests.Skip(3), r => Assert.Equal(200, r.Status));
            Assert.Equal(5, receiver.Requests.Skip(3).Sum(r => r.SpanCount));
        }

        [Fact]
        public async Task OTLP_into_a_black_hole_counts_every_span_dropped_and_the_exit_line_says_the_receiver_never_answered()
        {
            using var blackHole = new TcpListener(IPAddress.Loopback, 0);
            blackHole.Start();   // accepts connections (the kernel's backlog) and never answers
            var endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)blackHole.LocalEndpoint).Port}");
            var stderr = new StderrCapture();
            using var events = new OpsEvents();
            using var pipeline = Pipelines.Build(o =>
            {
                o.ScheduledDelay = TimeSpan.FromMilliseconds(50);
                o.ExportTimeout = TimeSpan.FromMilliseconds(200);
                o.ShutdownTimeout = TimeSpan.FromSeconds(1);
                o.MaxQueueSize = 100;
                o.Retry = Pipelines.FastRetry;
                o.StandardError = () => stderr.Writer;
                o.UseOtlp(endpoint);
            });
            var otlp = pipeline.Processors.Single();

            SpanProducer.Produce(1_000);
            Assert.False(pipeline.Shutdown(pipeline.ShutdownTimeout));

            var stats = otlp.Statistics;
            Assert.Equal(0, stats.Exported);
            Assert.Equal(1_000, stats.Dropped);
            Assert.Equal(0, stats.Pending);
            Assert.True(stats.DroppedQueueFull >= 800, stats.ToString());
            Assert.Equal(1_000 - stats.DroppedQueueFull, stats.DroppedRetriesExhausted + stats.DroppedAtShutdown);
            var exit = Assert.Single(stderr.Lines, l => l.Contains("not delivered"));
            Assert.StartsWith($"Mirascope.Ops: 1,000 of 1,000 spans for {stats.Destination} not delivered: {stats.DroppedQueueFull:N0} queue full", exit);
            Assert.Contains("never answered", exit);
            Assert.DoesNotContain("keep up", stderr.Text);

            // The EventSource's final account of the OTLP exporter: the same numbers.
            var summary = Assert.Single(events.PayloadsOf(106, stats.Destination));
            Assert.Equal(
                new object[] { stats.Destination, 0L, 1_000L, stats.DroppedQueueFull, 0L, stats.DroppedRetriesExhausted, stats.DroppedAtShutdown, 0L, 0L, 0L },
                summary);
        }
    }
}
