using System;
using System.Linq;
using System.Net;
using System.Text;
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
        [InlineData("from=yesterday", "from must be an ISO 8601 time")]
        [InlineData("limit=0", "limit must be a whole number from 1 to 1000")]
        public async Task A_bad_filter_is_answered_with_400_and_what_is_wrong(string query, string message)
        {
            await using var viewer = await RunningViewer.StartAsync();

            using var response = await viewer.Http.GetAsync("api/traces?" + query);

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(message, await response.Content.ReadAsStringAsync());
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
            string Attributes()
            {
                var list = new System.Collections.Generic.List<string>();
                if (session is not null)
                {
                    list.Add($@"{{""key"":""mirascope.ops.session.id"",""value"":{{""stringValue"":""{session}""}}}}");
                }

                if (tags is not null)
                {
                    list.Add(@"{""key"":""mirascope.trace.tags"",""value"":{""arrayValue"":{""values"":["
                        + string.Join(",", tags.Select(t => $@"{{""stringValue"":""{t}""}}")) + "]}}}");
                }

                if (tokens is { } t)
                {
                    list.Add($@"{{""key"":""gen_ai.usage.input_tokens"",""value"":{{""intValue"":""{t.In / 2}""}}}}");
                    list.Add($@"{{""key"":""gen_ai.usage.output_tokens"",""value"":{{""intValue"":""{t.Out}""}}}}");
                }

                return "[" + string.Join(",", list) + "]";
            }

            var startNs = CloudContractJson.Nanoseconds(start);
            var endNs = CloudContractJson.Nanoseconds(start.AddMilliseconds(5));
            var body = $@"{{""resourceSpans"":[{{""resource"":{{""attributes"":[]}},""scopeSpans"":[{{""scope"":{{""name"":""Mirascope.Ops""}},""spans"":[
                {{""traceId"":""{traceId}"",""spanId"":""00000000000000a1"",""name"":""{name}"",""kind"":1,""startTimeUnixNano"":""{startNs}"",""endTimeUnixNano"":""{endNs}"",
                  ""attributes"":{Attributes()},""events"":[],""status"":{{""code"":0}}}},
                {{""traceId"":""{traceId}"",""spanId"":""00000000000000a2"",""parentSpanId"":""00000000000000a1"",""name"":""child-of-{name}"",""kind"":1,
                  ""startTimeUnixNano"":""{startNs}"",""endTimeUnixNano"":""{endNs}"",""attributes"":{Attributes()},""events"":[],""status"":{{""code"":{(error ? 2 : 0)}}}}}
            ]}}]}}]}}";
            using var response = await CloudIngestTests.PostAsync(viewer, Encoding.UTF8.GetBytes(body));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}
