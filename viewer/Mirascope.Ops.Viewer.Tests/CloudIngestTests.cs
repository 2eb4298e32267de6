using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests
{
    /// <summary><c>POST /api/v2/traces</c>: the Mirascope Cloud ingest contract, as the Cloud exporter speaks it.</summary>
    public sealed class CloudIngestTests
    {
        private const string OneSpan = @"{""resourceSpans"":[{""resource"":{""attributes"":[]},""scopeSpans"":[{""scope"":{""name"":""Mirascope.Ops""},""spans"":[
            {""traceId"":""5b8efff798038103d269b633813fc60c"",""spanId"":""eee19b7ec3c1b174"",""name"":""Calc.Multiply"",""kind"":1,
             ""startTimeUnixNano"":""1735689600000000000"",""endTimeUnixNano"":""1735689600000120000"",
             ""attributes"":[{""key"":""mirascope.trace.output"",""value"":{""intValue"":""35""}}],""events"":[],""status"":{""code"":0}}]}]}]}";

        [Fact]
        public async Task A_traced_run_sent_as_the_Cloud_exporter_sends_it_is_listed_and_shown_span_by_span()
        {
            await using var viewer = await RunningViewer.StartAsync();
            var run = await RecordedRun.RecommendAsync();
            Assert.Equal(4, run.Spans.Count);

            using var response = await PostAsync(viewer, CloudContractJson.Build(run.Spans), key: "local");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("{\"partialSuccess\":{}}", await response.Content.ReadAsStringAsync());

            var list = await viewer.GetJsonAsync("api/traces");
            var trace = Assert.Single(list.GetProperty("traces").EnumerateArray());
            Assert.Equal(run.TraceId, trace.GetProperty("traceId").GetString());
            Assert.Equal("Bookshop.RecommendAsync", trace.GetProperty("rootName").GetString());
            Assert.Equal(4, trace.GetProperty("spanCount").GetInt32());
            Assert.Equal("error", trace.GetProperty("status").GetString());
            Assert.Equal(1, trace.GetProperty("errorCount").GetInt32());
            Assert.Equal(RecordedRun.SessionId, trace.GetProperty("sessionId").GetString());
            Assert.Equal(new[] { "books", "recommendation" }, trace.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
            Assert.Equal("books", trace.GetProperty("serviceName").GetString());
            var root = run.Span("Bookshop.RecommendAsync");
            Assert.Equal(root.Duration.Ticks * 100, trace.GetProperty("durationNs").GetInt64());

            var spans = (await viewer.GetJsonAsync("api/traces/" + run.TraceId)).GetProperty("spans").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);
            var rootId = root.SpanId.ToHexString();
            Assert.Equal(JsonValueKind.Null, spans["Bookshop.RecommendAsync"].GetProperty("parentSpanId").ValueKind);
            foreach (var child in new[] { "Bookshop.SearchAsync", "Bookshop.Price", "Bookshop.Lookup" })
            {
                Assert.Equal(rootId, spans[child].GetProperty("parentSpanId").GetString());
            }

            var price = spans["Bookshop.Price"].GetProperty("attributes");
            Assert.Equal("{\"title\":\"The Name of the Wind\",\"quantity\":2}", price.GetProperty("mirascope.trace.arg_values").GetString());
            Assert.Equal(40, price.GetProperty("mirascope.trace.output").GetInt64());   // intValue "40" is a number again
            Assert.Equal(RecordedRun.SessionId, price.GetProperty("mirascope.ops.session.id").GetString());

            var lookup = spans["Bookshop.Lookup"];
            Assert.Equal(2, lookup.GetProperty("status").GetProperty("code").GetInt32());
            Assert.Equal("no book 404", lookup.GetProperty("status").GetProperty("message").GetString());
            var exception = Assert.Single(lookup.GetProperty("events").EnumerateArray(), e => e.GetProperty("name").GetString() == "exception");
            Assert.Equal("TracedBookshop.BookNotFoundException", exception.GetProperty("attributes").GetProperty("exception.type").GetString());
            Assert.Contains("Bookshop.Lookup", exception.GetProperty("attributes").GetProperty("exception.stacktrace").GetString());
            Assert.Equal(CloudContractJson.Nanoseconds(root.StartTimeUtc), spans["Bookshop.RecommendAsync"].GetProperty("startTimeUnixNano").GetString());
        }

        [Theory]
        [InlineData("{not json", "the body is not valid JSON")]
        [InlineData("[]", "the body must be a JSON object (an OTLP ExportTraceServiceRequest), got an array")]
        [InlineData(@"{""resourceSpans"":{}}", "resourceSpans: must be an array, got an object")]
        [InlineData(@"{""resourceSpans"":[{""scopeSpans"":[{""spans"":""x""}]}]}", "resourceSpans[0].scopeSpans[0].spans: must be an array, got the string \"x\"")]
        [InlineData(@"{""resourceSpans"":[{""resource"":{""attributes"":[{""key"":""service.name"",""value"":{""intValue"":""twelve""}}]}}]}",
            "resourceSpans[0].resource.attributes[0].value.intValue: must be a 64-bit integer (a decimal string or a number), got the string \"twelve\"")]
        public async Task A_malformed_body_is_refused_with_400_and_a_message_that_says_what_is_wrong(string body, string message)
        {
            await using var viewer = await RunningViewer.StartAsync();

            using var response = await PostAsync(viewer, Encoding.UTF8.GetBytes(body));

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.StartsWith(message, error.RootElement.GetProperty("message").GetString());
            Assert.Equal((0, 0), viewer.Store.Count());
        }

        [Fact]
        public async Task Invalid_spans_are_counted_in_partialSuccess_with_their_reasons_and_the_valid_ones_are_stored()
        {
            await using var viewer = await RunningViewer.StartAsync();
            var body = @"{""resourceSpans"":[{""scopeSpans"":[{""spans"":[
                {""traceId"":""5b8efff798038103d269b633813fc60c"",""spanId"":""eee19b7ec3c1b174"",""name"":""ok"",""startTimeUnixNano"":""1"",""endTimeUnixNano"":""2""},
                {""traceId"":""5B8EFFF798038103D269B633813FC60D"",""spanId"":""eee19b7ec3c1b175"",""name"":""upper-case ids are fine"",""startTimeUnixNano"":1,""endTimeUnixNano"":2},
                {""traceId"":""xyz"",""spanId"":""eee19b7ec3c1b176"",""name"":""bad id"",""startTimeUnixNano"":""1"",""endTimeUnixNano"":""2""},
                {""traceId"":""5b8efff798038103d269b633813fc60c"",""spanId"":""eee19b7ec3c1b177"",""name"":""no start"",""endTimeUnixNano"":""2""},
                {""traceId"":""5b8efff798038103d269b633813fc60c"",""spanId"":""eee19b7ec3c1b178"",""name"":""backwards"",""startTimeUnixNano"":""5"",""endTimeUnixNano"":""2""}
            ]}]}]}";

            using var response = await PostAsync(viewer, Encoding.UTF8.GetBytes(body));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var partial = answer.RootElement.GetProperty("partialSuccess");
            Assert.Equal("3", partial.GetProperty("rejectedSpans").GetString());
            Assert.Equal(
                "3 spans were rejected: resourceSpans[0].scopeSpans[0].spans[2].traceId: must be 32 hex characters, got 3 (\"xyz\"); "
                + "resourceSpans[0].scopeSpans[0].spans[3].startTimeUnixNano: is missing; "
                + "resourceSpans[0].scopeSpans[0].spans[4].endTimeUnixNano: is before startTimeUnixNano (2 < 5)",
                partial.GetProperty("errorMessage").GetString());
            Assert.Equal((2, 2), viewer.Store.Count());
            await viewer.GetJsonAsync("api/traces/5b8efff798038103d269b633813fc60d");   // stored under the lowercase id
        }

        [Fact]
        public async Task A_body_over_the_limit_is_refused_with_413_whether_or_not_it_declares_its_length()
        {
            await using var viewer = await RunningViewer.StartAsync(o => o.MaxBodyBytes = 64 * 1024);
            var big = Encoding.UTF8.GetBytes(OneSpan.Replace("Calc.Multiply", new string('x', 70 * 1024), StringComparison.Ordinal));

            using var declared = await PostAsync(viewer, big);
            using var chunked = await viewer.Http.PostAsync("api/v2/traces", new StreamContent(new MemoryStream(big)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } });
            using var gzipBomb = await PostAsync(viewer, Gzip(big), gzip: true);

            foreach (var response in new[] { declared, chunked, gzipBomb })
            {
                Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
                Assert.Contains("at most 65536 bytes", await response.Content.ReadAsStringAsync());
            }

            Assert.Equal((0, 0), viewer.Store.Count());
            using var small = await PostAsync(viewer, Gzip(Encoding.UTF8.GetBytes(OneSpan)), gzip: true);
            Assert.Equal(HttpStatusCode.OK, small.StatusCode);
            Assert.Equal((1, 1), viewer.Store.Count());
        }

        [Fact]
        public async Task A_batch_sent_again_after_a_retry_is_stored_once()
        {
            await using var viewer = await RunningViewer.StartAsync();

            using var first = await PostAsync(viewer, Encoding.UTF8.GetBytes(OneSpan));
            using var again = await PostAsync(viewer, Encoding.UTF8.GetBytes(OneSpan));

            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Equal((1, 1), viewer.Store.Count());
        }

        [Fact]
        public async Task With_an_api_key_the_viewer_accepts_only_requests_that_carry_it()
        {
            await using var viewer = await RunningViewer.StartAsync(o => o.ApiKey = "s3cret-key");
            var body = Encoding.UTF8.GetBytes(OneSpan);

            using var none = await PostAsync(viewer, body);
            using var wrong = await PostAsync(viewer, body, key: "guess");
            Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.DoesNotContain("s3cret-key", await wrong.Content.ReadAsStringAsync());
            Assert.Equal((0, 0), viewer.Store.Count());

            using var bearer = await PostAsync(viewer, body, key: "s3cret-key");
            using var header = new HttpRequestMessage(HttpMethod.Post, "api/v2/traces") { Content = Json(body) };
            header.Headers.Add("X-API-Key", "s3cret-key");
            using var apiKey = await viewer.Http.SendAsync(header);
            Assert.Equal(HttpStatusCode.OK, bearer.StatusCode);
            Assert.Equal(HttpStatusCode.OK, apiKey.StatusCode);
        }

        [Fact]
        public async Task Without_an_api_key_any_key_is_accepted_so_MIRASCOPE_API_KEY_can_be_any_value()
        {
            await using var viewer = await RunningViewer.StartAsync();

            using var response = await PostAsync(viewer, Encoding.UTF8.GetBytes(OneSpan), key: "whatever");

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        [Theory]
        [InlineData("text/plain", "is not supported; send application/json (OTLP/JSON) or application/x-protobuf (OTLP protobuf)")]
        [InlineData(null, "Content-Type is missing; send application/json")]   // what a web page could send without CORS
        public async Task A_content_type_that_is_not_OTLP_is_refused_with_415(string? contentType, string message)
        {
            await using var viewer = await RunningViewer.StartAsync();
            var content = new StringContent(OneSpan, Encoding.UTF8, contentType ?? "text/plain");
            if (contentType is null)
            {
                content.Headers.ContentType = null;
            }

            using var response = await viewer.Http.PostAsync("api/v2/traces", content);

            Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
            Assert.Contains(message, await response.Content.ReadAsStringAsync());
            Assert.Equal((0, 0), viewer.Store.Count());
        }

        [Fact]
        public async Task A_request_addressed_to_another_host_name_is_refused()
        {
            await using var viewer = await RunningViewer.StartAsync();
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/v2/traces") { Content = Json(Encoding.UTF8.GetBytes(OneSpan)) };
            request.Headers.Host = "attacker.example";

            using var response = await viewer.Http.SendAsync(request);

            Assert.Equal(HttpStatusCode.MisdirectedRequest, response.StatusCode);
            Assert.Equal((0, 0), viewer.Store.Count());
        }

        internal static async Task<HttpResponseMessage> PostAsync(RunningViewer viewer, byte[] body, string? key = null, bool gzip = false)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/v2/traces") { Content = Json(body) };
            if (key is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }

            if (gzip)
            {
                request.Content.Headers.ContentEncoding.Add("gzip");
            }

            return await viewer.Http.SendAsync(request);
        }

        private static ByteArrayContent Json(byte[] body)
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return content;
        }

        private static byte[] Gzip(byte[] data)
        {
            using var output = new MemoryStream();
            using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
            {
                gzip.Write(data);
            }

            return output.ToArray();
        }
    }
}
