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
    /// The Cloud search's <c>nextCursor</c> (keyset paging, as <c>/api/traces</c> has): the pages it leads to are the one
    /// long answer cut in pieces, in every sort, and a cursor the viewer did not give out for this search is a 400 saying why.
    /// </summary>
    public sealed class CloudSearchCursorTests
    {
        private static readonly DateTime Base = FunctionFiguresTests.Base;

        /// <summary>Nine spans whose start times, durations and token counts tie in pairs and threes, so the order's last key (seq) decides.</summary>
        private static async Task SeedAsync(RunningViewer viewer)
        {
            var spans = new List<RichSpan>();
            for (var i = 0; i < 9; i++)
            {
                spans.Add(new RichSpan(RichSpans.TraceId("c" + (i % 4)), RichSpans.SpanId(i + 1), null, "Shop.Step" + i, Base.AddSeconds(i / 3), 10 * (i % 2 + 1),
                    i % 3 == 0 ? null : RichSpans.Chat("openai", "gpt-4o", 100 * (i % 2), 10)));
            }

            await RichSpans.SendAsync(viewer, spans.ToArray());
        }

        private static string Window(string extra) => $@"{{""startTime"":""2026-03-01T00:00:00Z"",""endTime"":""2026-03-02T00:00:00Z"",""query"":""shop""{extra}}}";

        private static async Task<JsonElement> SearchAsync(RunningViewer viewer, string body)
        {
            using var response = await FunctionEndpointTests.PostJsonAsync(viewer, "api/v2/traces/search", body);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
            return JsonDocument.Parse(text).RootElement.Clone();
        }

        private static string[] SpanIds(JsonElement answer) => answer.GetProperty("spans").EnumerateArray().Select(s => s.GetProperty("spanId").GetString()!).ToArray();

        [Theory]
        [InlineData("start_time", "desc")]
        [InlineData("start_time", "asc")]
        [InlineData("duration_ms", "desc")]
        [InlineData("duration_ms", "asc")]
        [InlineData("total_tokens", "desc")]
        [InlineData("total_tokens", "asc")]
        public async Task The_cursor_pages_through_every_matching_span_once_in_the_searchs_order_when_sort_values_tie(string sortBy, string sortOrder)
        {
            await using var viewer = await RunningViewer.StartAsync();
            await SeedAsync(viewer);
            var sort = $@",""sortBy"":""{sortBy}"",""sortOrder"":""{sortOrder}""";
            var whole = await SearchAsync(viewer, Window(sort + @",""limit"":100"));
            Assert.Equal(9, whole.GetProperty("total").GetInt64());
            Assert.Equal(JsonValueKind.Null, whole.GetProperty("nextCursor").ValueKind);

            var paged = new List<string>();
            var cursor = "";
            for (var page = 0; page < 10; page++)
            {
                var answer = await SearchAsync(viewer, Window(sort + @",""limit"":2" + (cursor.Length == 0 ? "" : $@",""cursor"":""{cursor}""")));
                paged.AddRange(SpanIds(answer));
                Assert.Equal(9, answer.GetProperty("total").GetInt64());   // the total stays that of the whole search
                Assert.Equal(answer.GetProperty("hasMore").GetBoolean(), answer.GetProperty("nextCursor").ValueKind == JsonValueKind.String);
                if (!answer.GetProperty("hasMore").GetBoolean())
                {
                    break;
                }

                cursor = answer.GetProperty("nextCursor").GetString()!;
            }

            Assert.Equal(SpanIds(whole), paged);
        }

        [Fact]
        public async Task An_offset_page_gives_the_cursor_of_its_last_span_and_the_cursor_continues_where_offset_would()
        {
            await using var viewer = await RunningViewer.StartAsync();
            await SeedAsync(viewer);

            var byOffset = await SearchAsync(viewer, Window(@",""limit"":3,""offset"":3"));
            var next = byOffset.GetProperty("nextCursor").GetString()!;
            var byCursor = await SearchAsync(viewer, Window($@",""limit"":3,""cursor"":""{next}"""));
            var thirdByOffset = await SearchAsync(viewer, Window(@",""limit"":3,""offset"":6"));

            Assert.Equal(SpanIds(thirdByOffset), SpanIds(byCursor));
            Assert.False(byCursor.GetProperty("hasMore").GetBoolean());
            Assert.Equal(JsonValueKind.Null, byCursor.GetProperty("nextCursor").ValueKind);
        }

        [Theory]
        [InlineData(@",""cursor"":""!!!""", "cursor is not base64url text")]
        [InlineData(@",""cursor"":""czkudC5kLjEuMg""", "cursor is not a cursor this viewer gave out")]                      // s9.t.d.1.2
        [InlineData(@",""cursor"":""czEueC5kLjEuMg""", "cursor is not a cursor this viewer gave out")]                      // s1.x.d.1.2
        [InlineData(@",""cursor"":""czEudC5kLmFiYy4y""", "cursor has no sort value and sequence number")]                   // s1.t.d.abc.2
        [InlineData(@",""cursor"":""czEudC5kLjEuLTU""", "cursor has no sort value and sequence number")]                    // s1.t.d.1.-5
        [InlineData(@",""cursor"":""czEudC5hLjEuMg""", "cursor was given out for sortBy start_time asc, and this search sorts by start_time desc")]   // s1.t.a.1.2
        [InlineData(@",""cursor"":""czEudC5kLjEuMg"",""sortBy"":""duration_ms""", "cursor was given out for sortBy start_time desc, and this search sorts by duration_ms desc")]
        [InlineData(@",""cursor"":""czEudC5kLjEuMg"",""offset"":0", "cursor and offset both say where the page starts")]
        [InlineData(@",""cursor"":""""", "cursor must be 1 to 100 characters")]
        [InlineData(@",""cursor"":7", "cursor must be a string")]
        public async Task A_search_cursor_the_viewer_did_not_give_out_for_this_search_is_a_400_saying_why(string extra, string message)
        {
            await using var viewer = await RunningViewer.StartAsync();

            using var response = await FunctionEndpointTests.PostJsonAsync(viewer, "api/v2/traces/search", Window(extra));

            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
            Assert.StartsWith(message, JsonDocument.Parse(text).RootElement.GetProperty("message").GetString());
        }

        [Fact]
        public async Task A_search_cursor_longer_than_any_the_viewer_gives_out_is_refused_unread()
        {
            await using var viewer = await RunningViewer.StartAsync();

            using var response = await FunctionEndpointTests.PostJsonAsync(viewer, "api/v2/traces/search", Window($@",""cursor"":""{new string('x', 100_000)}"""));

            var text = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.StartsWith("cursor must be 1 to 100 characters, as nextCursor gives it; got 100000", JsonDocument.Parse(text).RootElement.GetProperty("message").GetString());
        }
    }
}
