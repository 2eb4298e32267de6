using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Tasks;
using Google.Protobuf;
using Mirascope.Ops.Otlp.Protos.Collector;
using Mirascope.Ops.Otlp.Protos.Trace;
using Mirascope.Ops.Viewer.Ingest;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;
using ProtoSpan = Mirascope.Ops.Otlp.Protos.Trace.Span;
using RpcStatus = Mirascope.Ops.Otlp.Protos.Rpc.Status;

namespace Mirascope.Ops.Viewer.Tests
{
    /// <summary>Ingest is bounded: a fixed number of requests stored at once and waiting, the rest refused with 429 + Retry-After.</summary>
    public sealed class IngestBackpressureTests
    {
        [Fact]
        public async Task Ingest_beyond_the_running_and_waiting_limit_is_answered_429_with_Retry_After_and_an_OTLP_status_body_and_stores_nothing()
        {
            await using var viewer = await RunningViewer.StartAsync(o => { o.IngestConcurrency = 1; o.IngestQueue = 0; });
            var gate = viewer.Services<IngestGate>();
            using var held = HeldIngest.Start(new Uri(viewer.Address, "api/v2/traces"), JsonBody("held", 3));
            await held.FirstHalfSent;
            await WaitUntilAsync(() => gate.Running == 1, "the held request was not admitted");

            using (var json = await PostAsync(viewer, "api/v2/traces", JsonBody("refused-json", 2), "application/json"))
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, json.StatusCode);
                Assert.Equal(TimeSpan.FromSeconds(1), json.Headers.RetryAfter?.Delta);
                Assert.Equal("application/json", json.Content.Headers.ContentType?.MediaType);
                using var status = JsonDocument.Parse(await json.Content.ReadAsStringAsync());
                Assert.Equal(8, status.RootElement.GetProperty("code").GetInt32());   // google.rpc.Code RESOURCE_EXHAUSTED
                Assert.Contains("retry after 1 s", status.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
            }

            using (var protobuf = await PostAsync(viewer, "v1/traces", ProtobufBody("refused-protobuf"), "application/x-protobuf"))
            {
                // OTLP/HTTP: a failure's body is a google.rpc.Status in the request's encoding; 429 is retryable.
                Assert.Equal(HttpStatusCode.TooManyRequests, protobuf.StatusCode);
                Assert.Equal(TimeSpan.FromSeconds(1), protobuf.Headers.RetryAfter?.Delta);
                Assert.Equal("application/x-protobuf", protobuf.Content.Headers.ContentType?.MediaType);
                var status = RpcStatus.Parser.ParseFrom(await protobuf.Content.ReadAsByteArrayAsync());
                Assert.Equal(8, status.Code);
                Assert.Contains("no room to queue", status.Message, StringComparison.Ordinal);
            }

            Assert.Equal(2, gate.Refused);
            Assert.Equal(0, viewer.Store.Count().Spans);

            held.Release();
            using (var answer = await held.Response)
            {
                Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            }

            Assert.Equal(3, viewer.Store.Count().Spans);
            using (var next = await PostAsync(viewer, "api/v2/traces", JsonBody("after", 2), "application/json"))
            {
                Assert.Equal(HttpStatusCode.OK, next.StatusCode);
            }

            Assert.Equal(5, viewer.Store.Count().Spans);
        }

        [Fact]
        public async Task A_waiting_request_is_stored_when_a_turn_frees_in_time_and_refused_with_429_after_the_bounded_wait_when_none_does()
        {
            await using var viewer = await RunningViewer.StartAsync(o => { o.IngestConcurrency = 1; o.IngestQueue = 1; });
            var gate = viewer.Services<IngestGate>();
            var url = new Uri(viewer.Address, "api/v2/traces");

            using (var held = HeldIngest.Start(url, JsonBody("first", 1)))
            {
                await held.FirstHalfSent;
                await WaitUntilAsync(() => gate.Running == 1, "the held request was not admitted");
                var waiting = PostAsync(viewer, "api/v2/traces", JsonBody("waits", 1), "application/json");
                await Task.Delay(300);
                Assert.False(waiting.IsCompleted, "a request with a place in the queue was answered before a turn was free");
                held.Release();
                using var answer = await waiting;
                Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await held.Response).StatusCode);
            }

            using (var held = HeldIngest.Start(url, JsonBody("second", 1)))
            {
                await held.FirstHalfSent;
                await WaitUntilAsync(() => gate.Running == 1, "the held request was not admitted");
                var clock = Stopwatch.StartNew();
                using var refused = await PostAsync(viewer, "api/v2/traces", JsonBody("waits-too-long", 1), "application/json");
                clock.Stop();
                Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
                Assert.InRange(clock.Elapsed, IngestGate.MaxWait - TimeSpan.FromMilliseconds(100), IngestGate.MaxWait + TimeSpan.FromSeconds(3));
                held.Release();
                Assert.Equal(HttpStatusCode.OK, (await held.Response).StatusCode);
            }

            Assert.Equal(3, viewer.Store.Count().Spans);
            Assert.Equal(1, gate.Refused);
        }

        [Fact]
        public async Task When_the_viewer_stops_a_waiting_ingest_is_answered_503_with_Retry_After_and_the_admitted_one_is_still_stored_and_acknowledged()
        {
            await using var viewer = await RunningViewer.StartAsync(o => { o.IngestConcurrency = 1; o.IngestQueue = 1; });
            var gate = viewer.Services<IngestGate>();
            using var held = HeldIngest.Start(new Uri(viewer.Address, "api/v2/traces"), JsonBody("admitted", 2));
            await held.FirstHalfSent;
            await WaitUntilAsync(() => gate.Running == 1, "the held request was not admitted");
            var waiting = PostAsync(viewer, "api/v2/traces", JsonBody("waiting", 2), "application/json");
            await Task.Delay(200);

            var stopping = viewer.App.StopAsync();
            using (var refused = await waiting)
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
                Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
                Assert.Contains("stopping", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            Assert.False(stopping.IsCompleted, "the stop did not wait for the admitted ingest");
            held.Release();
            using (var answer = await held.Response)
            {
                Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            }

            await stopping;
            // The stopped viewer has closed its store (on PostgreSQL, its connection pool): read what it left with a new one.
            Assert.Equal((1L, 2L), new Mirascope.Ops.Viewer.Storage.TraceStore(viewer.Options.Store).Count());
        }

        internal static byte[] JsonBody(string seed, int spans) =>
            SpanBodies.Build(Enumerable.Range(1, spans)
                .Select(i => new TestSpan(TraceStoreTests.TraceIdOf(seed), i.ToString("x16", CultureInfo.InvariantCulture), null, seed + " " + i, 1_000_000_000L * i, 1_000_000_000L * i + 500))
                .ToArray());

        private static byte[] ProtobufBody(string seed)
        {
            var span = new ProtoSpan
            {
                TraceId = ByteString.CopyFrom(Convert.FromHexString(TraceStoreTests.TraceIdOf(seed))),
                SpanId = ByteString.CopyFrom(Convert.FromHexString("00000000000000a1")),
                Name = seed,
                StartTimeUnixNano = 10,
                EndTimeUnixNano = 20,
            };
            return new ExportTraceServiceRequest { ResourceSpans = { new ResourceSpans { ScopeSpans = { new ScopeSpans { Spans = { span } } } } } }.ToByteArray();
        }

        private static Task<HttpResponseMessage> PostAsync(RunningViewer viewer, string path, byte[] body, string contentType)
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            return viewer.Http.PostAsync(path, content);
        }

        internal static async Task WaitUntilAsync(Func<bool> condition, string failure)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (!condition())
            {
                Assert.True(DateTime.UtcNow < deadline, failure);
                await Task.Delay(10);
            }
        }
    }
}
