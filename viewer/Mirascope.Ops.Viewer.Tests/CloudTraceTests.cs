using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading.Tasks;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests
{
    /// <summary>The Cloud's trace reads: <c>GET /api/v2/traces/{traceId}</c> and <c>GET /api/v2/traces/function/hash/{hash}</c>.</summary>
    public sealed class CloudTraceTests
    {
        [Fact]
        public async Task A_traces_detail_has_the_Clouds_span_details_root_and_total_duration()
        {
            await using var viewer = await RunningViewer.StartAsync();
            await FunctionFiguresTests.SeedAsync(viewer);
            var run = await RecordedRun.RecommendAsync();
            using (var sent = await CloudIngestTests.PostAsync(viewer, CloudContractJson.Build(run.Spans)))
            {
                Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
            }

            var detail = await viewer.GetJsonAsync("api/v2/traces/" + RichSpans.TraceId("r2"));

            Assert.Equal(RichSpans.SpanId(1), detail.GetProperty("rootSpanId").GetString());
            Assert.Equal(300, detail.GetProperty("totalDurationMs").GetDouble());
            var spans = detail.GetProperty("spans");
            Assert.Equal(2, spans.GetArrayLength());
            var root = spans[0];
            Assert.Equal("Recommend", root.GetProperty("functionName").GetString());
            Assert.Equal("1.0", root.GetProperty("functionVersion").GetString());
            Assert.Equal(2, root.GetProperty("statusCode").GetInt32());
            Assert.Equal("error", root.GetProperty("errorType").GetString());   // failed without an exception: the status says so
            Assert.True(root.GetProperty("hasChildren").GetBoolean());
            Assert.Equal(JsonValueKind.String, root.GetProperty("attributes").ValueKind);   // JSON text, as the Cloud sent it
            Assert.Equal("h1", JsonDocument.Parse(root.GetProperty("attributes").GetString()!).RootElement.GetProperty("mirascope.version.hash").GetString());
            var chat = spans[1];
            Assert.Equal(RichSpans.SpanId(1), chat.GetProperty("parentSpanId").GetString());
            Assert.Equal(JsonValueKind.Null, chat.GetProperty("errorType").ValueKind);
            Assert.Equal(0.00036m, chat.GetProperty("costUsd").GetDecimal());
            Assert.Equal("books", chat.GetProperty("serviceName").GetString());

            // A failed span of a real woven app: its exception's type and message.
            var lookup = (await viewer.GetJsonAsync("api/v2/traces/" + run.TraceId)).GetProperty("spans").EnumerateArray()
                .Single(s => s.GetProperty("name").GetString() == "Bookshop.Lookup");
            Assert.Equal("TracedBookshop.BookNotFoundException", lookup.GetProperty("errorType").GetString());
            Assert.Equal("no book 404", lookup.GetProperty("errorMessage").GetString());

            // An unknown trace: no spans, as the Cloud answered; a malformed id: 400.
            var unknown = await viewer.GetJsonAsync("api/v2/traces/" + RichSpans.TraceId("nothing"));
            Assert.Equal(0, unknown.GetProperty("spans").GetArrayLength());
            Assert.Equal(JsonValueKind.Null, unknown.GetProperty("rootSpanId").ValueKind);
            using var bad = await viewer.Http.GetAsync("api/v2/traces/xyz");
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("traceId must be 32 hex characters", await bad.Content.ReadAsStringAsync());
        }

        [Fact]
        public async Task The_traces_of_a_version_are_found_by_its_hash_one_entry_per_trace()
        {
            await using var viewer = await RunningViewer.StartAsync();
            await FunctionFiguresTests.SeedAsync(viewer);

            var traces = await viewer.GetJsonAsync("api/v2/traces/function/hash/h1");

            Assert.Equal(2, traces.GetProperty("total").GetInt64());
            Assert.Equal(new[] { RichSpans.TraceId("r2"), RichSpans.TraceId("r1") }, traces.GetProperty("traces").EnumerateArray().Select(t => t.GetProperty("otelTraceId").GetString()));
            Assert.Equal("2026-03-01T12:01:00.0000000Z", traces.GetProperty("traces")[0].GetProperty("createdAt").GetString());
            Assert.Equal(1, (await viewer.GetJsonAsync("api/v2/traces/function/hash/h1?limit=1")).GetProperty("traces").GetArrayLength());

            using var unknown = await viewer.Http.GetAsync("api/v2/traces/function/hash/h3");   // seen in spans but never registered
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            using var badLimit = await viewer.Http.GetAsync("api/v2/traces/function/hash/h1?limit=0");
            Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
            Assert.Contains("limit must be a whole number from 1 to 1000", await badLimit.Content.ReadAsStringAsync());
        }
    }
}
