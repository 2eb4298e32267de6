using System;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests
{
    /// <summary><c>GET /api/traces</c>: the trace list and its filters.</summary>
    public sealed class TraceListTests
    {
        private static readonly DateTime Base = new DateTime(2025, 1, 31, 9, 0, 0, DateTimeKind.Utc);

        [Fact]
        public async Task The_list_filters_by_name_tag_session_errors_and_time_range_and_shows_newest_first()
        {
            await using var viewer = await RunningViewer.StartAsync();
            await SendAsync(viewer, "a", "Shop.Checkout", Base, session: "s-1", tags: new[] { "shop" });
            await SendAsync(viewer, "b", "Shop.Search", Base.AddMinutes(10), session: "s-2", tags: new[] { "search", "shop" }, error: true);
            await SendAsync(viewer, "c", "Report.Build", Base.AddHours(2), tokens: (100, 20));

            Assert.Equal(new[] { "Report.Build", "Shop.Search", "Shop.Checkout" }, await NamesAsync(viewer, ""));
            Assert.Equal(new[] { "Shop.Search", "Shop.Checkout" }, await NamesAsync(viewer, "name=shop."));
            Assert.Equal(new[] { "Shop.Search" }, await NamesAsync(viewer, "name=child-of-shop.s"));   // any span's name
            Assert.Equal(new[] { "Shop.Search" }, await NamesAsync(viewer, "tag=search"));
            Assert.Equal(new[] { "Shop.Checkout" }, await NamesAsync(viewer, "session=s-1"));
            Assert.Equal(new[] { "Shop.Search" }, await NamesAsync(viewer, "errors=true"));
            Assert.Equal(new[] { "Shop.Search", "Shop.Checkout" }, await NamesAsync(viewer, "from=2025-01-31T09:00:00Z&to=2025-01-31T10:00:00Z"));
            Assert.Equal(new[] { "Report.Build" }, await NamesAsync(viewer, "from=" + new DateTimeOffset(Base.AddHours(1)).ToUnixTimeMilliseconds()));
            Assert.Empty(await NamesAsync(viewer, "tag=shop&errors=true&session=s-1"));
            Assert.Empty(await NamesAsync(viewer, "name=100%25"));   // % is matched literally, not as a wildcard

            var report = (await viewer.GetJsonAsync("api/traces?name=Report")).GetProperty("traces")[0];
            Assert.Equal(100, report.GetProperty("inputTokens").GetInt64());
            Assert.Equal(40, report.GetProperty("outputTokens").GetInt64());   // summed over the trace's two gen_ai spans
        }

        [Theory]
        [InlineData("from=yesterday", "from must be an ISO 8601 time (2025-01-31T09:30:00Z) or Unix milliseconds, got \"yesterday\"")]
        [InlineData("from=99999999999999999", "from must be at most 9223372036854 Unix milliseconds (2262-04-11), the latest time a span can have, got \"99999999999999999\"")]
        [InlineData("to=99999999999999999999999", "to must be at most 9223372036854 Unix milliseconds")]
        [InlineData("to=9999-12-31T00:00:00Z", "to must be between 1677-09-21 and 2262-04-11")]
        [InlineData("from=1000-01-01", "from must be between 1677-09-21 and 2262-04-11")]
        [InlineData("from=2025-02-01T00:00:00Z&to=2025-01-01T00:00:00Z", "from is after to (2025-02-01T00:00:00Z > 2025-01-01T00:00:00Z)")]
        [InlineData("name=%00", "name must not contain the character U+0000 (%00)")]
        [InlineData("tag=a%00b", "tag must not contain the character U+0000")]
        [InlineData("session=%00", "session must not contain the character U+0000")]
        [InlineData("errors=maybe", "errors must be true or false, got \"maybe\"")]
        [InlineData("limit=0", "limit must be a whole number from 1 to 1000, got \"0\"")]
        [InlineData("limit=-5", "limit must be a whole number from 1 to 1000")]
        [InlineData("limit=99999999999", "limit must be a whole number from 1 to 1000")]
        [InlineData("limit=5&limit=6", "limit is given 2 times; give it once")]
        [InlineData("name=a&name=b", "name is given 2 times; give it once")]
        [InlineData("nmae=Shop", "\"nmae\" is not a parameter of /api/traces; it takes name, tag, session, errors, from, to, limit")]
        public async Task A_bad_query_parameter_is_answered_with_400_naming_it_and_saying_why(string query, string message)
        {
            await using var viewer = await RunningViewer.StartAsync();
            await SendAsync(viewer, "a", "Shop.Checkout", Base);

            using var response = await viewer.Http.GetAsync("api/traces?" + query);

            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
            using var body = System.Text.Json.JsonDocument.Parse(text);
            Assert.StartsWith(message, body.RootElement.GetProperty("message").GetString());
        }

        [Theory]
        [InlineData("from=0")]
        [InlineData("to=9223372036854")]
        [InlineData("from=1677-09-22T00:00:00Z&to=2262-04-10T00:00:00Z")]
        [InlineData("errors=false&name=%20%20")]
        public async Task Edge_values_that_are_valid_are_accepted(string query)
        {
            await using var viewer = await RunningViewer.StartAsync();
            await SendAsync(viewer, "a", "Shop.Checkout", Base);

            Assert.Equal(new[] { "Shop.Checkout" }, await NamesAsync(viewer, query));
        }

        [Fact]
        public async Task An_unknown_trace_is_404_and_a_malformed_id_400()
        {
            await using var viewer = await RunningViewer.StartAsync();

            using var unknown = await viewer.Http.GetAsync("api/traces/" + new string('a', 32));
            using var malformed = await viewer.Http.GetAsync("api/traces/not-an-id");

            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        }

        [Fact]
        public async Task The_list_carries_at_most_200_characters_of_a_name_and_20_tags_of_100_characters_with_the_cut_fields_named()
        {
            await using var viewer = await RunningViewer.StartAsync();
            var traceId = TraceStoreTests.TraceIdOf("huge");
            var name = "Huge." + new string('n', 1024 * 1024) + "END";
            var tags = Enumerable.Range(0, 50).Select(i => $"tag-{i:00}-" + new string('t', 1000)).ToArray();
            var body = RichSpans.Build(new RichSpan(traceId, "00000000000000a1", null, name, Base, 5, new System.Collections.Generic.Dictionary<string, object>
            {
                ["mirascope.ops.session.id"] = new string('s', 100_000),
                ["mirascope.trace.tags"] = tags,
            }, Service: new string('v', 10_000)));
            using (var sent = await CloudIngestTests.PostAsync(viewer, body))
            {
                Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
            }

            using var response = await viewer.Http.GetAsync("api/traces");
            var text = await response.Content.ReadAsStringAsync();

            Assert.True(text.Length < 4_000, $"the list of one trace is {text.Length} characters");
            using var list = System.Text.Json.JsonDocument.Parse(text);
            var trace = Assert.Single(list.RootElement.GetProperty("traces").EnumerateArray());
            Assert.Equal(name.Substring(0, 200) + "…", trace.GetProperty("rootName").GetString());
            Assert.Equal(new string('v', 200) + "…", trace.GetProperty("serviceName").GetString());
            Assert.Equal(new string('s', 200) + "…", trace.GetProperty("sessionId").GetString());
            Assert.Equal(tags.OrderBy(t => t, StringComparer.Ordinal).Take(20).Select(t => t.Substring(0, 100) + "…"),
                trace.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
            Assert.Equal(50, trace.GetProperty("tagCount").GetInt32());
            Assert.Equal(new[] { "rootName", "serviceName", "sessionId", "tags" }, trace.GetProperty("truncated").EnumerateArray().Select(f => f.GetString()));

            // The filter still searches the whole name, and the trace view still has it.
            Assert.Single((await viewer.GetJsonAsync("api/traces?name=nnnEND")).GetProperty("traces").EnumerateArray());
            var span = Assert.Single((await viewer.GetJsonAsync("api/traces/" + traceId)).GetProperty("spans").EnumerateArray());
            Assert.Equal(name, span.GetProperty("name").GetString());
        }

        [Fact]
        public async Task A_trace_whose_parent_links_loop_is_listed_under_its_earliest_span_and_a_short_one_is_not_cut()
        {
            await using var viewer = await RunningViewer.StartAsync();
            var loop = TraceStoreTests.TraceIdOf("loop");
            var body = SpanBodies.Build(
                new TestSpan(loop, "00000000000000b1", "00000000000000b2", "Loop.A", 10, 20),
                new TestSpan(loop, "00000000000000b2", "00000000000000b1", "Loop.B", 11, 20));
            using (var sent = await CloudIngestTests.PostAsync(viewer, body))
            {
                Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
            }

            var trace = Assert.Single((await viewer.GetJsonAsync("api/traces")).GetProperty("traces").EnumerateArray());
            Assert.Equal("Loop.A", trace.GetProperty("rootName").GetString());
            Assert.Equal("00000000000000b1", trace.GetProperty("rootSpanId").GetString());
            Assert.Equal(0, trace.GetProperty("truncated").GetArrayLength());
            Assert.Equal(0, trace.GetProperty("tagCount").GetInt32());
        }

        private static async Task<string[]> NamesAsync(RunningViewer viewer, string query)
        {
            var list = await viewer.GetJsonAsync("api/traces?" + query);
            return list.GetProperty("traces").EnumerateArray().Select(t => t.GetProperty("rootName").GetString()!).ToArray();
        }

        /// <summary>A root span and one child (each a gen_ai span when tokens are given), in the Cloud contract's JSON.</summary>
        private static async Task SendAsync(RunningViewer viewer, string trace, string name, DateTime start, string? session = null, string[]? tags = null,
            bool error = false, (int In, int Out)? tokens = null)
        {
            var traceId = TraceStoreTests.TraceIdOf(trace);
            var attributes = new System.Collections.Generic.Dictionary<string, object>();
            if (session is not null)
            {
                attributes["mirascope.ops.session.id"] = session;
            }

            if (tags is not null)
            {
                attributes["mirascope.trace.tags"] = tags;
            }

            if (tokens is { } t)
            {
                attributes["gen_ai.usage.input_tokens"] = t.In / 2;
                attributes["gen_ai.usage.output_tokens"] = t.Out;
            }

            var body = RichSpans.Build(
                new RichSpan(traceId, "00000000000000a1", null, name, start, 5, attributes),
                new RichSpan(traceId, "00000000000000a2", "00000000000000a1", "child-of-" + name, start, 5, attributes, Failed: error));
            using var response = await CloudIngestTests.PostAsync(viewer, body);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}
