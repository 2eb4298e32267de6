using System;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Google.Protobuf;
using Mirascope.Ops.Otlp.Protos.Collector;
using Mirascope.Ops.Otlp.Protos.Trace;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Xunit;
using ProtoSpan = Mirascope.Ops.Otlp.Protos.Trace.Span;
using RpcStatus = Mirascope.Ops.Otlp.Protos.Rpc.Status;

namespace Mirascope.Ops.Viewer.Tests
{
    /// <summary><c>POST /v1/traces</c>: OTLP/HTTP, so any OpenTelemetry SDK can send to the viewer.</summary>
    public sealed class OtlpIngestTests
    {
        [Fact]
        public async Task The_OpenTelemetry_SDK_otlp_exporter_over_http_protobuf_delivers_a_nested_trace_with_its_attributes()
        {
            await using var viewer = await RunningViewer.StartAsync();
            var sourceName = "viewer-tests-" + Guid.NewGuid().ToString("N");
            using var source = new ActivitySource(sourceName, "2.0.0");
            using var provider = Sdk.CreateTracerProviderBuilder()
                .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("otel-app"))
                .AddSource(sourceName)
                .AddOtlpExporter(o =>
                {
                    o.Endpoint = new Uri(viewer.Address, "v1/traces");
                    o.Protocol = OtlpExportProtocol.HttpProtobuf;
                    o.ExportProcessorType = ExportProcessorType.Simple;
                })
                .Build()!;

            string traceId, parentId;
            using (var parent = source.StartActivity("checkout", ActivityKind.Server)!)
            {
                traceId = parent.TraceId.ToHexString();
                parentId = parent.SpanId.ToHexString();
                parent.SetTag("mirascope.trace.tags", new[] { "shop" });
                using (var child = source.StartActivity("charge card", ActivityKind.Client)!)
                {
                    child.SetTag("amount", 1234L);
                    child.SetTag("ratio", 0.5);
                    child.SetTag("ok", false);
                    child.SetTag("gen_ai.usage.input_tokens", 25);
                    child.SetTag("gen_ai.usage.output_tokens", 5);
                    child.AddException(new InvalidOperationException("card declined"));
                    child.SetStatus(ActivityStatusCode.Error, "card declined");
                }
            }

            Assert.True(provider.ForceFlush(10_000));
            var trace = await viewer.WaitForTraceAsync(traceId, 2);

            var spans = trace.GetProperty("spans").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);
            var charge = spans["charge card"];
            Assert.Equal(parentId, charge.GetProperty("parentSpanId").GetString());
            Assert.Equal(3, charge.GetProperty("kind").GetInt32());
            Assert.Equal(2, spans["checkout"].GetProperty("kind").GetInt32());
            var attributes = charge.GetProperty("attributes");
            Assert.Equal(1234, attributes.GetProperty("amount").GetInt64());
            Assert.Equal(0.5, attributes.GetProperty("ratio").GetDouble());
            Assert.False(attributes.GetProperty("ok").GetBoolean());
            Assert.Equal("error", charge.GetProperty("status").GetProperty("name").GetString());
            Assert.Equal("card declined", charge.GetProperty("status").GetProperty("message").GetString());
            var exception = Assert.Single(charge.GetProperty("events").EnumerateArray());
            Assert.Equal("System.InvalidOperationException", exception.GetProperty("attributes").GetProperty("exception.type").GetString());
            Assert.Equal("otel-app", charge.GetProperty("serviceName").GetString());
            Assert.Equal(sourceName, charge.GetProperty("scope").GetProperty("name").GetString());

            var listed = Assert.Single((await viewer.GetJsonAsync("api/traces")).GetProperty("traces").EnumerateArray());
            Assert.Equal("checkout", listed.GetProperty("rootName").GetString());
            Assert.Equal(25, listed.GetProperty("inputTokens").GetInt64());
            Assert.Equal(5, listed.GetProperty("outputTokens").GetInt64());
            Assert.Equal("shop", Assert.Single(listed.GetProperty("tags").EnumerateArray()).GetString());
        }

        [Fact]
        public async Task A_body_that_is_not_protobuf_is_refused_with_400_and_a_google_rpc_Status_saying_why()
        {
            await using var viewer = await RunningViewer.StartAsync();

            using var response = await PostProtobufAsync(viewer, new byte[] { 0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01 });

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/x-protobuf", response.Content.Headers.ContentType!.MediaType);
            var status = RpcStatus.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync());
            Assert.Equal(3, status.Code);
            Assert.StartsWith("the body is not a protobuf ExportTraceServiceRequest", status.Message);
            Assert.Equal((0, 0), viewer.Store.Count());
        }

        [Fact]
        public async Task Protobuf_spans_with_bad_ids_or_times_are_reported_in_partial_success_and_the_rest_stored()
        {
            await using var viewer = await RunningViewer.StartAsync();
            var good = new ProtoSpan { TraceId = Bytes(16, 1), SpanId = Bytes(8, 2), Name = "good", StartTimeUnixNano = 10, EndTimeUnixNano = 20 };
            var shortId = new ProtoSpan { TraceId = Bytes(15, 1), SpanId = Bytes(8, 3), Name = "short id", StartTimeUnixNano = 10, EndTimeUnixNano = 20 };
            var zeroSpan = new ProtoSpan { TraceId = Bytes(16, 1), SpanId = ByteString.CopyFrom(new byte[8]), Name = "zero", StartTimeUnixNano = 10, EndTimeUnixNano = 20 };
            var noTime = new ProtoSpan { TraceId = Bytes(16, 1), SpanId = Bytes(8, 4), Name = "no time" };
            var request = new ExportTraceServiceRequest { ResourceSpans = { new ResourceSpans { ScopeSpans = { new ScopeSpans { Spans = { good, shortId, zeroSpan, noTime } } } } } };

            using var response = await PostProtobufAsync(viewer, request.ToByteArray());

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var answer = ExportTraceServiceResponse.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync());
            Assert.Equal(3, answer.PartialSuccess.RejectedSpans);
            Assert.Equal(
                "3 spans were rejected: resourceSpans[0].scopeSpans[0].spans[1].traceId: must be 16 bytes, got 15; "
                + "resourceSpans[0].scopeSpans[0].spans[2].spanId: must not be all zeros; "
                + "resourceSpans[0].scopeSpans[0].spans[3].startTimeUnixNano: must be a positive number of Unix nanoseconds, got 0",
                answer.PartialSuccess.ErrorMessage);
            Assert.Equal((1, 1), viewer.Store.Count());
        }

        [Fact]
        public async Task A_stock_OTLP_http_json_exporter_may_send_to_v1_traces_as_well()
        {
            await using var viewer = await RunningViewer.StartAsync();
            var body = @"{""resourceSpans"":[{""scopeSpans"":[{""spans"":[{""traceId"":""5b8efff798038103d269b633813fc60c"",""spanId"":""eee19b7ec3c1b174"",
                ""name"":""json over otlp/http"",""kind"":""SPAN_KIND_SERVER"",""startTimeUnixNano"":""1"",""endTimeUnixNano"":""2"",""status"":{""code"":""STATUS_CODE_OK""}}]}]}]}";

            using var response = await viewer.Http.PostAsync("v1/traces", new StringContent(body, Encoding.UTF8, "application/json"));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("{\"partialSuccess\":{}}", await response.Content.ReadAsStringAsync());
            var span = Assert.Single((await viewer.GetJsonAsync("api/traces/5b8efff798038103d269b633813fc60c")).GetProperty("spans").EnumerateArray());
            Assert.Equal(2, span.GetProperty("kind").GetInt32());
            Assert.Equal("ok", span.GetProperty("status").GetProperty("name").GetString());
        }

        private static ByteString Bytes(int length, byte fill) => ByteString.CopyFrom(Enumerable.Repeat(fill, length).ToArray());

        private static async Task<HttpResponseMessage> PostProtobufAsync(RunningViewer viewer, byte[] body)
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
            return await viewer.Http.PostAsync("v1/traces", content);
        }
    }
}
