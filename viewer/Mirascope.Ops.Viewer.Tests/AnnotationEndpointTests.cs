using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Mirascope.Ops.Viewer.Storage.Retention;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests
{
    /// <summary>The Cloud's annotations endpoints (<c>/api/v2/annotations</c>) over HTTP, and annotations in the trace list and view.</summary>
    public sealed class AnnotationEndpointTests
    {
        private static readonly string Trace = RichSpans.TraceId("annotated");
        private static readonly string Root = RichSpans.SpanId(1);
        private static readonly string Child = RichSpans.SpanId(2);

        private static Task SeedAsync(RunningViewer viewer) => RichSpans.SendAsync(viewer,
            new RichSpan(Trace, Root, null, "Shop.Recommend", FunctionFiguresTests.Base, 10, RichSpans.Version("h1", "s1", name: "Recommend")),
            new RichSpan(Trace, Child, Root, "chat", FunctionFiguresTests.Base, 5),
            new RichSpan(RichSpans.TraceId("other"), Root, null, "Shop.Recommend", FunctionFiguresTests.Base.AddMinutes(1), 10, RichSpans.Version("h1", "s1", name: "Recommend")));

        private static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(RunningViewer viewer, HttpMethod method, string path, string? body = null)
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            using var response = await viewer.Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
        }

        [Fact]
        public async Task An_annotation_is_created_read_listed_changed_field_by_field_and_deleted_with_the_Clouds_shapes()
        {
            await using var viewer = await RunningViewer.StartAsync();
            await SeedAsync(viewer);

            var (status, created) = await SendAsync(viewer, HttpMethod.Post, "api/v2/annotations",
                $@"{{""otelSpanId"":""{Child.ToUpperInvariant()}"",""otelTraceId"":""{Trace}"",""label"":""fail"",""reasoning"":""wrong book"",""metadata"":{{""score"":0.2,""by"":{{""who"":""ann""}}}},""tags"":[""regression""]}}");
            Assert.Equal(HttpStatusCode.OK, status);
            var id = created.GetProperty("id").GetString()!;
            Assert.Equal(Child, created.GetProperty("otelSpanId").GetString());   // ids are kept in lowercase
            Assert.Equal(Child, created.GetProperty("spanId").GetString());
            Assert.Equal(Trace, created.GetProperty("traceId").GetString());
            Assert.Equal("fail", created.GetProperty("label").GetString());
            Assert.Equal("wrong book", created.GetProperty("reasoning").GetString());
            Assert.Equal("{\"score\":0.2,\"by\":{\"who\":\"ann\"}}", created.GetProperty("metadata").GetRawText());
            Assert.Equal("[\"regression\"]", created.GetProperty("tags").GetRawText());
            Assert.Equal(JsonValueKind.Null, created.GetProperty("createdBy").ValueKind);
            Assert.True(DateTimeOffset.TryParse(created.GetProperty("updatedAt").GetString(), out _));

            // PUT: a field not sent stays; one sent as null is cleared.
            var (_, changed) = await SendAsync(viewer, HttpMethod.Put, "api/v2/annotations/" + id, @"{""label"":""pass"",""reasoning"":null}");
            Assert.Equal("pass", changed.GetProperty("label").GetString());
            Assert.Equal(JsonValueKind.Null, changed.GetProperty("reasoning").ValueKind);
            Assert.Equal("[\"regression\"]", changed.GetProperty("tags").GetRawText());
            Assert.Equal("pass", (await viewer.GetJsonAsync("api/v2/annotations/" + id)).GetProperty("label").GetString());

            // Without a label or tags: tags are [] and the label null.
            var (_, bare) = await SendAsync(viewer, HttpMethod.Post, "api/v2/annotations", $@"{{""otelSpanId"":""{Root}"",""otelTraceId"":""{Trace}""}}");
            Assert.Equal("[]", bare.GetProperty("tags").GetRawText());
            Assert.Equal(JsonValueKind.Null, bare.GetProperty("label").ValueKind);

            var byTrace = await viewer.GetJsonAsync($"api/v2/annotations?otelTraceId={Trace}");
            Assert.Equal(2, byTrace.GetProperty("total").GetInt32());
            Assert.Equal(bare.GetProperty("id").GetString(), byTrace.GetProperty("annotations")[0].GetProperty("id").GetString());   // newest first
            Assert.Equal(1, (await viewer.GetJsonAsync($"api/v2/annotations?otelTraceId={Trace}&label=pass")).GetProperty("total").GetInt32());
            Assert.Equal(1, (await viewer.GetJsonAsync($"api/v2/annotations?otelSpanId={Child}")).GetProperty("total").GetInt32());
            Assert.Equal(1, (await viewer.GetJsonAsync($"api/v2/annotations?limit=1")).GetProperty("annotations").GetArrayLength());

            // The trace view carries them; the list marks the trace, and can pick the traces with or without one.
            var detail = await viewer.GetJsonAsync("api/traces/" + Trace);
            Assert.Equal(2, detail.GetProperty("annotations").GetArrayLength());
            var listed = await viewer.GetJsonAsync("api/traces?annotated=true");
            Assert.Equal(1, listed.GetProperty("traces").GetArrayLength());
            Assert.Equal("[\"pass\",null]", listed.GetProperty("traces")[0].GetProperty("annotationLabels").GetRawText());
            Assert.Equal(RichSpans.TraceId("other"), (await viewer.GetJsonAsync("api/traces?annotated=false")).GetProperty("traces")[0].GetProperty("traceId").GetString());

            var (deleted, _) = await SendAsync(viewer, HttpMethod.Delete, "api/v2/annotations/" + id);
            Assert.Equal(HttpStatusCode.NoContent, deleted);
            var (gone, goneBody) = await SendAsync(viewer, HttpMethod.Get, "api/v2/annotations/" + id);
            Assert.Equal(HttpStatusCode.NotFound, gone);
            Assert.Equal($"Annotation with id {id} not found", goneBody.GetProperty("message").GetString());
        }

        [Fact]
        public async Task A_span_that_is_not_stored_is_a_404_and_a_second_annotation_of_a_span_a_409()
        {
            await using var viewer = await RunningViewer.StartAsync();
            await SeedAsync(viewer);

            var (missing, missingBody) = await SendAsync(viewer, HttpMethod.Post, "api/v2/annotations", $@"{{""otelSpanId"":""{RichSpans.SpanId(99)}"",""otelTraceId"":""{Trace}"",""label"":""pass""}}");
            Assert.Equal(HttpStatusCode.NotFound, missing);
            Assert.StartsWith($"Span {RichSpans.SpanId(99)} of trace {Trace} not found", missingBody.GetProperty("message").GetString());

            await SendAsync(viewer, HttpMethod.Post, "api/v2/annotations", $@"{{""otelSpanId"":""{Root}"",""otelTraceId"":""{Trace}"",""label"":""pass""}}");
            var (again, againBody) = await SendAsync(viewer, HttpMethod.Post, "api/v2/annotations", $@"{{""otelSpanId"":""{Root}"",""otelTraceId"":""{Trace}"",""label"":""fail""}}");
            Assert.Equal(HttpStatusCode.Conflict, again);
            Assert.Equal("AlreadyExistsError", againBody.GetProperty("tag").GetString());
        }

        [Theory]
        [InlineData(@"{""otelTraceId"":""TRACE""}", "otelSpanId is required (a string)")]
        [InlineData(@"{""otelSpanId"":""0000000000000001"",""otelTraceId"":""xyz""}", "otelTraceId must be 32 hex characters, got 3 (\"xyz\")")]
        [InlineData(@"{""otelSpanId"":""0000000000000000"",""otelTraceId"":""TRACE""}", "otelSpanId must not be all zeros")]
        [InlineData(@"{""otelSpanId"":""0000000000000001"",""otelTraceId"":""TRACE"",""label"":""maybe""}", "label must be \"pass\", \"fail\" or null, got \"maybe\"")]
        [InlineData(@"{""otelSpanId"":""0000000000000001"",""otelTraceId"":""TRACE"",""tags"":[""""]}", "tags[0] must be 1 to 100 characters long")]
        [InlineData(@"{""otelSpanId"":""0000000000000001"",""otelTraceId"":""TRACE"",""metadata"":[1]}", "metadata must be an object or null, got an array")]
        [InlineData(@"{""otelSpanId"":""0000000000000001"",""otelTraceId"":""TRACE"",""reasoning"":5}", "reasoning must be a string, got a number")]
        public async Task A_bad_annotation_body_is_a_400_naming_the_field(string body, string message)
        {
            await using var viewer = await RunningViewer.StartAsync();
            await SeedAsync(viewer);

            var (status, answer) = await SendAsync(viewer, HttpMethod.Post, "api/v2/annotations", body.Replace("TRACE", Trace, StringComparison.Ordinal));

            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.StartsWith(message, answer.GetProperty("message").GetString());
        }

        [Theory]
        [InlineData("api/v2/annotations?label=ok", "label must be pass or fail, got \"ok\"")]
        [InlineData("api/v2/annotations?otelTraceId=1", "otelTraceId must be 32 hex characters")]
        [InlineData("api/v2/annotations?limit=0", "limit must be a whole number from 1 to 1000")]
        [InlineData("api/v2/annotations?trace=1", "\"trace\" is not a parameter of /api/v2/annotations; it takes otelTraceId, otelSpanId, label, limit, offset")]
        [InlineData("api/v2/annotations/123", "id must be a UUID")]
        public async Task A_bad_annotation_query_is_a_400_naming_it(string path, string message)
        {
            await using var viewer = await RunningViewer.StartAsync();

            var (status, answer) = await SendAsync(viewer, HttpMethod.Get, path);

            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.StartsWith(message, answer.GetProperty("message").GetString());
        }

        [Fact]
        public async Task With_an_api_key_the_Cloud_path_and_the_pages_path_both_need_it()
        {
            await using var viewer = await RunningViewer.StartAsync(o => o.ApiKey = "secret");
            await SeedAsync(viewer);

            var (cloud, _) = await SendAsync(viewer, HttpMethod.Post, "api/v2/annotations", $@"{{""otelSpanId"":""{Root}"",""otelTraceId"":""{Trace}"",""label"":""pass""}}");
            var (page, _) = await SendAsync(viewer, HttpMethod.Post, "api/annotations", $@"{{""otelSpanId"":""{Root}"",""otelTraceId"":""{Trace}"",""label"":""pass""}}");

            Assert.Equal(HttpStatusCode.Unauthorized, cloud);
            Assert.Equal(HttpStatusCode.Unauthorized, page);
            Assert.Equal(0, (await viewer.GetJsonAsync("api/v2/annotations")).GetProperty("total").GetInt32());
        }

        [Fact]
        public async Task Retention_removes_a_traces_annotations_with_it()
        {
            await using var viewer = await RunningViewer.StartAsync();
            await SeedAsync(viewer);
            await SendAsync(viewer, HttpMethod.Post, "api/v2/annotations", $@"{{""otelSpanId"":""{Root}"",""otelTraceId"":""{Trace}"",""label"":""pass""}}");

            Retention.RetentionTests.RunOnce(viewer.Store, new RetentionPolicy(TimeSpan.FromMinutes(1), null), DateTimeOffset.UtcNow.AddMinutes(2));

            Assert.Equal(0, (await viewer.GetJsonAsync("api/v2/annotations")).GetProperty("total").GetInt32());
        }
    }
}
