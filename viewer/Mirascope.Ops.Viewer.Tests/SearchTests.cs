using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading.Tasks;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests
{
    /// <summary>
    /// Search beyond names: the trace list's <c>q</c>, duration, status, service and paging parameters, and the Cloud's
    /// <c>POST /api/v2/traces/search</c> with its request and response shapes.
    /// </summary>
    public sealed class SearchTests
    {
        private static readonly DateTime Base = FunctionFiguresTests.Base;

        private static async Task SeedAsync(RunningViewer viewer)
        {
            await RichSpans.SendAsync(viewer,
                new RichSpan(RichSpans.TraceId("a"), RichSpans.SpanId(1), null, "Shop.Checkout", Base, 20,
                    new Dictionary<string, object> { ["mirascope.trace.arg_values"] = "{\"cart\":\"dragon-egg\"}" }, Service: "shop"),
                new RichSpan(RichSpans.TraceId("b"), RichSpans.SpanId(1), null, "Shop.Search", Base.AddMinutes(1), 400,
                    new Dictionary<string, object> { ["mirascope.trace.output"] = "[\"The Hobbit\"]" }, Failed: true, Service: "shop"),
                new RichSpan(RichSpans.TraceId("b"), RichSpans.SpanId(2), RichSpans.SpanId(1), "chat gpt-4o", Base.AddMinutes(1), 300,
                    RichSpans.Chat("openai", "gpt-4o", 1000, 100), Service: "shop"),
                new RichSpan(RichSpans.TraceId("c"), RichSpans.SpanId(1), null, "Report.Build", Base.AddMinutes(2), 3000, Service: "reports"));
        }

        private static async Task<string[]> NamesAsync(RunningViewer viewer, string query) =>
            (await viewer.GetJsonAsync("api/traces?" + query)).GetProperty("traces").EnumerateArray().Select(t => t.GetProperty("rootName").GetString()!).ToArray();

        [Fact]
        public async Task The_list_searches_arguments_outputs_and_names_and_filters_by_duration_status_and_service()
        {
            await using var viewer = await RunningViewer.StartAsync();
            await SeedAsync(viewer);

            Assert.Equal(new[] { "Shop.Checkout" }, await NamesAsync(viewer, "q=DRAGON-egg"));   // in the arguments, any case
            Assert.Equal(new[] { "Shop.Search" }, await NamesAsync(viewer, "q=hobbit"));         // in an output
            Assert.Equal(new[] { "Shop.Search" }, await NamesAsync(viewer, "q=gpt-4o"));         // in a child span's name
            Assert.Equal(new[] { "Report.Build", "Shop.Search" }, await NamesAsync(viewer, "minDuration=300"));
            Assert.Equal(new[] { "Shop.Search", "Shop.Checkout" }, await NamesAsync(viewer, "maxDuration=400"));
            Assert.Equal(new[] { "Shop.Search" }, await NamesAsync(viewer, "minDuration=20.5&maxDuration=400"));
            Assert.Equal(new[] { "Shop.Search" }, await NamesAsync(viewer, "status=error"));
            Assert.Equal(new[] { "Report.Build", "Shop.Checkout" }, await NamesAsync(viewer, "status=ok"));
            Assert.Equal(new[] { "Report.Build" }, await NamesAsync(viewer, "service=reports"));
            Assert.Empty(await NamesAsync(viewer, "service=report"));   // the service is matched exactly
        }

        [Fact]
        public async Task Paging_goes_past_the_first_page_and_says_whether_there_is_more()
        {
            await using var viewer = await RunningViewer.StartAsync();
            var spans = Enumerable.Range(0, 7).Select(i => new RichSpan(RichSpans.TraceId("p" + i), RichSpans.SpanId(1), null, $"Run{i}", Base.AddSeconds(i), 1)).ToArray();
            await RichSpans.SendAsync(viewer, spans);

            var first = await viewer.GetJsonAsync("api/traces?limit=3");
            var third = await viewer.GetJsonAsync("api/traces?limit=3&offset=6");

            Assert.Equal(new[] { "Run6", "Run5", "Run4" }, first.GetProperty("traces").EnumerateArray().Select(t => t.GetProperty("rootName").GetString()));
            Assert.True(first.GetProperty("hasMore").GetBoolean());
            Assert.Equal(new[] { "Run3", "Run2", "Run1" }, await NamesAsync(viewer, "limit=3&offset=3"));
            Assert.Equal(new[] { "Run0" }, third.GetProperty("traces").EnumerateArray().Select(t => t.GetProperty("rootName").GetString()));
            Assert.False(third.GetProperty("hasMore").GetBoolean());
            Assert.Equal(6, third.GetProperty("offset").GetInt32());
        }

        [Theory]
        [InlineData("minDuration=fast", "minDuration must be a number of milliseconds from 0 to 1000000000000, got \"fast\"")]
        [InlineData("maxDuration=-1", "maxDuration must be a number of milliseconds")]
        [InlineData("maxDuration=1e400", "maxDuration must be a number of milliseconds")]
        [InlineData("minDuration=10&maxDuration=5", "minDuration is more than maxDuration (10 > 5); no trace can match")]
        [InlineData("status=broken", "status must be ok (no span failed) or error (a span failed), got \"broken\"")]
        [InlineData("status=ok&errors=true", "status is ok while errors is true; no trace can match")]
        [InlineData("offset=-1", "offset must be a whole number from 0 to 100000, got \"-1\"")]
        [InlineData("offset=100001", "offset must be a whole number from 0 to 100000")]
        [InlineData("q=%00", "q must not contain the character U+0000 (%00)")]
        [InlineData("service=a%00", "service must not contain the character U+0000")]
        [InlineData("annotated=perhaps", "annotated must be true or false, got \"perhaps\"")]
        [InlineData("qq=x", "\"qq\" is not a parameter of /api/traces; it takes name, tag, session, errors, from, to, limit, q, minDuration, maxDuration, status, service, function, version, annotated, offset")]
        public async Task A_bad_search_parameter_is_a_400_naming_it(string query, string message)
        {
            await using var viewer = await RunningViewer.StartAsync();

            using var response = await viewer.Http.GetAsync("api/traces?" + query);

            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
            Assert.StartsWith(message, JsonDocument.Parse(text).RootElement.GetProperty("message").GetString());
        }

        private static string Window(string extra = "") =>
            $@"{{""startTime"":""2026-03-01T00:00:00Z"",""endTime"":""2026-03-02T00:00:00Z""{extra}}}";

        private static async Task<JsonElement> SearchAsync(RunningViewer viewer, string body)
        {
            using var response = await FunctionEndpointTests.PostJsonAsync(viewer, "api/v2/traces/search", body);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
            return JsonDocument.Parse(text).RootElement.Clone();
        }

        private static string[] Names(JsonElement answer) => answer.GetProperty("spans").EnumerateArray().Select(s => s.GetProperty("name").GetString()!).ToArray();

        [Fact]
        public async Task The_Clouds_search_matches_name_tokens_messages_models_errors_durations_and_attributes_with_its_shapes()
        {
            await using var viewer = await RunningViewer.StartAsync();
            await SeedAsync(viewer);
            await FunctionEndpointTests.CreateAsync(viewer, FunctionEndpointTests.CreateBody("Recommend", "h1", "s1"));
            await RichSpans.SendAsync(viewer, new RichSpan(RichSpans.TraceId("v"), RichSpans.SpanId(1), null, "Shop.Recommend", Base.AddMinutes(3), 5, RichSpans.Version("h1", "s1")));

            var all = await SearchAsync(viewer, Window());
            Assert.Equal(5, all.GetProperty("total").GetInt64());
            Assert.Equal(new[] { "Shop.Recommend", "Report.Build", "Shop.Search", "chat gpt-4o", "Shop.Checkout" }, Names(all));   // newest first

            var chat = all.GetProperty("spans")[3];
            Assert.Equal(RichSpans.TraceId("b"), chat.GetProperty("traceId").GetString());
            Assert.Equal("2026-03-01T12:01:00.0000000Z", chat.GetProperty("startTime").GetString());
            Assert.Equal(300, chat.GetProperty("durationMs").GetDouble());
            Assert.Equal("gpt-4o", chat.GetProperty("model").GetString());
            Assert.Equal("openai", chat.GetProperty("provider").GetString());
            Assert.Equal(1100, chat.GetProperty("totalTokens").GetInt64());
            Assert.Equal((1000 * 2.5m + 100 * 10m) / 1_000_000m, chat.GetProperty("costUsd").GetDecimal());
            Assert.False(chat.GetProperty("hasChildren").GetBoolean());
            Assert.True(all.GetProperty("spans")[2].GetProperty("hasChildren").GetBoolean());
            var versioned = all.GetProperty("spans")[0];
            Assert.Equal("Recommend", versioned.GetProperty("functionName").GetString());
            var functionId = versioned.GetProperty("functionId").GetString();
            Assert.NotNull(functionId);

            Assert.Equal(new[] { "Shop.Search" }, Names(await SearchAsync(viewer, Window(@",""query"":""SEARCH shop"""))));   // every token, whole tokens
            Assert.Empty(Names(await SearchAsync(viewer, Window(@",""query"":""sea"""))));
            Assert.Equal(new[] { "Shop.Checkout" }, Names(await SearchAsync(viewer, Window(@",""inputMessagesQuery"":""dragon"""))));
            Assert.Equal(new[] { "Shop.Search" }, Names(await SearchAsync(viewer, Window(@",""outputMessagesQuery"":""Hobbit"""))));
            Assert.Equal(new[] { "chat gpt-4o" }, Names(await SearchAsync(viewer, Window(@",""model"":[""gpt-4o""],""provider"":[""openai""]"))));
            Assert.Equal(new[] { "Shop.Search" }, Names(await SearchAsync(viewer, Window(@",""hasError"":true"))));
            Assert.Equal(new[] { "Report.Build", "Shop.Search" }, Names(await SearchAsync(viewer, Window(@",""minDuration"":301"))));
            Assert.Equal(new[] { "chat gpt-4o" }, Names(await SearchAsync(viewer, Window(@",""minTokens"":1000,""maxTokens"":2000"))));
            Assert.Equal(new[] { "Shop.Search", "Shop.Checkout" }, Names(await SearchAsync(viewer, Window(@",""spanNamePrefix"":""Shop"",""rootSpansOnly"":true,""sortBy"":""duration_ms"""))).Where(n => n != "Shop.Recommend").ToArray());
            Assert.Equal(new[] { "Shop.Recommend" }, Names(await SearchAsync(viewer, Window($@",""functionId"":""{functionId}"""))));
            Assert.Equal(new[] { "Shop.Recommend" }, Names(await SearchAsync(viewer, Window(@",""functionName"":""Recommend"""))));
            Assert.Equal(new[] { "chat gpt-4o" }, Names(await SearchAsync(viewer, Window(@",""attributeFilters"":[{""key"":""gen_ai.provider.name"",""operator"":""eq"",""value"":""openai""}]"))));
            Assert.Equal(new[] { "Shop.Checkout" }, Names(await SearchAsync(viewer, Window(@",""attributeFilters"":[{""key"":""mirascope.trace.arg_values"",""operator"":""contains"",""value"":""egg""}]"))));
            Assert.Equal(new[] { "chat gpt-4o" }, Names(await SearchAsync(viewer, Window(@",""attributeFilters"":[{""key"":""gen_ai.usage.input_tokens"",""operator"":""eq"",""value"":""1000""}]"))));
            Assert.Equal(4, (await SearchAsync(viewer, Window(@",""attributeFilters"":[{""key"":""gen_ai.operation.name"",""operator"":""neq"",""value"":""chat""}]"))).GetProperty("total").GetInt64());

            var page = await SearchAsync(viewer, Window(@",""limit"":2,""offset"":2,""sortOrder"":""asc"""));
            Assert.Equal(new[] { "chat gpt-4o", "Report.Build" }, Names(page));   // Checkout, Search, chat (same start as Search, stored after it), Report, Recommend
            Assert.True(page.GetProperty("hasMore").GetBoolean());
            Assert.Equal(5, page.GetProperty("total").GetInt64());
        }

        [Theory]
        [InlineData("{}", "startTime is required (an ISO 8601 time)")]
        [InlineData(@"{""startTime"":""yesterday"",""endTime"":""2026-03-02T00:00:00Z""}", "startTime must be an ISO 8601 time")]
        [InlineData(@"{""startTime"":""2026-03-03T00:00:00Z"",""endTime"":""2026-03-02T00:00:00Z""}", "startTime is after endTime")]
        [InlineData(@"{""startTime"":""2026-03-01T00:00:00Z"",""endTime"":""2026-03-02T00:00:00Z"",""limit"":0}", "limit must be a number from 1 to 1000, got 0")]
        [InlineData(@"{""startTime"":""2026-03-01T00:00:00Z"",""endTime"":""2026-03-02T00:00:00Z"",""offset"":10001}", "offset must be a number from 0 to 10000")]
        [InlineData(@"{""startTime"":""2026-03-01T00:00:00Z"",""endTime"":""2026-03-02T00:00:00Z"",""sortBy"":""name""}", "sortBy must be one of start_time, duration_ms, total_tokens")]
        [InlineData(@"{""startTime"":""2026-03-01T00:00:00Z"",""endTime"":""2026-03-02T00:00:00Z"",""sortOrder"":""up""}", "sortOrder must be asc or desc")]
        [InlineData(@"{""startTime"":""2026-03-01T00:00:00Z"",""endTime"":""2026-03-02T00:00:00Z"",""functionId"":""f""}", "functionId must be a UUID")]
        [InlineData(@"{""startTime"":""2026-03-01T00:00:00Z"",""endTime"":""2026-03-02T00:00:00Z"",""model"":""gpt-4o""}", "model must be an array of strings or null, got a string")]
        [InlineData(@"{""startTime"":""2026-03-01T00:00:00Z"",""endTime"":""2026-03-02T00:00:00Z"",""hasError"":""yes""}", "hasError must be true or false, got a string")]
        [InlineData(@"{""startTime"":""2026-03-01T00:00:00Z"",""endTime"":""2026-03-02T00:00:00Z"",""attributeFilters"":[{""key"":""a\""b"",""operator"":""eq"",""value"":""x""}]}", "attributeFilters[0].key must not contain")]
        [InlineData(@"{""startTime"":""2026-03-01T00:00:00Z"",""endTime"":""2026-03-02T00:00:00Z"",""attributeFilters"":[{""key"":""a"",""operator"":""like"",""value"":""x""}]}", "attributeFilters[0].operator must be one of eq, neq, contains, exists")]
        [InlineData(@"{""startTime"":""2026-03-01T00:00:00Z"",""endTime"":""2026-03-02T00:00:00Z"",""attributeFilters"":[{""key"":""a"",""operator"":""eq""}]}", "attributeFilters[0].value is required for the operator eq")]
        public async Task A_bad_search_request_is_a_400_naming_the_field(string body, string message)
        {
            await using var viewer = await RunningViewer.StartAsync();

            using var response = await FunctionEndpointTests.PostJsonAsync(viewer, "api/v2/traces/search", body);

            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
            Assert.StartsWith(message, JsonDocument.Parse(text).RootElement.GetProperty("message").GetString());
        }
    }
}
