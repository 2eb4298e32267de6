using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Mirascope.Ops.Viewer.Ingest;
using Mirascope.Ops.Viewer.Storage;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests
{
    /// <summary>
    /// Search through the text indexes (SQLite FTS5 trigrams, PostgreSQL pg_trgm and name tokens) finds what the exact
    /// tests find, and nothing more; the trace list pages with a cursor.
    /// </summary>
    public sealed class SearchIndexTests
    {
        private static readonly DateTime Base = FunctionFiguresTests.Base;

        private static string Window(string extra = "") =>
            $@"{{""startTime"":""2026-03-01T00:00:00Z"",""endTime"":""2026-03-02T00:00:00Z""{extra}}}";

        private static async Task<JsonElement> SearchAsync(RunningViewer viewer, string body)
        {
            using var response = await FunctionEndpointTests.PostJsonAsync(viewer, "api/v2/traces/search", body);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
            return JsonDocument.Parse(text).RootElement.Clone();
        }

        private static async Task<string[]> SearchNamesAsync(RunningViewer viewer, string extra) =>
            (await SearchAsync(viewer, Window(extra))).GetProperty("spans").EnumerateArray().Select(s => s.GetProperty("name").GetString()!).ToArray();

        private static async Task<string[]> ListedAsync(RunningViewer viewer, string query) =>
            (await viewer.GetJsonAsync("api/traces?" + query)).GetProperty("traces").EnumerateArray().Select(t => t.GetProperty("rootName").GetString()!).ToArray();

        private static string Q(string text) => "q=" + Uri.EscapeDataString(text);

        [Fact]
        public async Task A_text_at_the_start_or_the_end_of_a_value_is_found_in_any_ASCII_case_and_a_two_character_text_still_searches()
        {
            await using var viewer = await RunningViewer.StartAsync();
            await RichSpans.SendAsync(viewer,
                new RichSpan(RichSpans.TraceId("start"), RichSpans.SpanId(1), null, "Boundary.Start", Base, 5,
                    new Dictionary<string, object> { ["mirascope.trace.arg_values"] = "alphaword middle omegaword" }),
                new RichSpan(RichSpans.TraceId("end"), RichSpans.SpanId(1), null, "Boundary.End", Base.AddMinutes(1), 5,
                    new Dictionary<string, object> { ["mirascope.trace.output"] = "qx-tail-ENDING", ["gen_ai.system_instructions"] = "Be brief." }));

            Assert.Equal(new[] { "Boundary.Start" }, await ListedAsync(viewer, Q("ALPHAword")));   // the first characters of a value
            Assert.Equal(new[] { "Boundary.Start" }, await ListedAsync(viewer, Q("omegaWORD")));   // the last
            Assert.Equal(new[] { "Boundary.End" }, await ListedAsync(viewer, Q("ending")));
            Assert.Equal(new[] { "Boundary.End" }, await ListedAsync(viewer, Q("be BRIEF.")));     // system instructions
            Assert.Equal(new[] { "Boundary.End" }, await ListedAsync(viewer, Q("qx")));           // shorter than a trigram: searched without the index
            Assert.Equal(new[] { "Boundary.End", "Boundary.Start" }, await ListedAsync(viewer, Q("boundary.")));   // span names
            Assert.Empty(await ListedAsync(viewer, Q("omegaword middle")));                       // the words, not in that order
            Assert.Equal(new[] { "Boundary.Start" }, await SearchNamesAsync(viewer, @",""inputMessagesQuery"":""ALPHA"""));
            Assert.Equal(new[] { "Boundary.End" }, await SearchNamesAsync(viewer, @",""outputMessagesQuery"":""tail-ending"""));
            Assert.Empty(await SearchNamesAsync(viewer, @",""outputMessagesQuery"":""alphaword"""));   // an argument is input, not output
        }

        [Fact]
        public async Task A_text_with_quotes_or_characters_JSON_escapes_is_found_in_the_value_as_decoded_and_a_plain_text_as_well()
        {
            // The stored attributes JSON holds the argument text escaped (\"cart\"), so a test of that raw text first
            // (RawJsonText) must be skipped for such a text, or these would be missed.
            await using var viewer = await RunningViewer.StartAsync();
            await RichSpans.SendAsync(viewer, new RichSpan(RichSpans.TraceId("quoted"), RichSpans.SpanId(1), null, "Shop.Checkout", Base, 5,
                new Dictionary<string, object> { ["mirascope.trace.arg_values"] = "{\"cart\":\"dragon-egg\"}", ["gen_ai.input.messages"] = "back\\slash and tab\tafter" }));

            Assert.Equal(new[] { "Shop.Checkout" }, await ListedAsync(viewer, Q("\"cart\":\"dragon-egg\"")));
            Assert.Equal(new[] { "Shop.Checkout" }, await ListedAsync(viewer, Q("back\\slash")));
            Assert.Equal(new[] { "Shop.Checkout" }, await ListedAsync(viewer, Q("tab\tafter")));
            Assert.Equal(new[] { "Shop.Checkout" }, await ListedAsync(viewer, Q("DRAGON-egg")));   // a plain text: the raw test first, the same answer
            Assert.Empty(await ListedAsync(viewer, Q("dragon-eggs")));
            Assert.Equal(new[] { "Shop.Checkout" }, await SearchNamesAsync(viewer, @",""inputMessagesQuery"":""\""cart\"":\""dragon"""));
            Assert.Equal(new[] { "Shop.Checkout" }, await SearchNamesAsync(viewer, @",""inputMessagesQuery"":""slash and TAB\tafter"""));
            Assert.Equal(new[] { "Shop.Checkout" }, await SearchNamesAsync(viewer, @",""inputMessagesQuery"":""dragon-EGG"""));
            Assert.Empty(await SearchNamesAsync(viewer, @",""inputMessagesQuery"":""cart dragon"""));
        }

        [Fact]
        public async Task A_text_made_of_the_end_of_one_attribute_and_the_start_of_the_next_is_not_a_match()
        {
            await using var viewer = await RunningViewer.StartAsync();
            await RichSpans.SendAsync(viewer, new RichSpan(RichSpans.TraceId("two"), RichSpans.SpanId(1), null, "Two.Values", Base, 5,
                new Dictionary<string, object> { ["gen_ai.input.messages"] = "first-value", ["mirascope.trace.arg_values"] = "second-value" }));

            Assert.Equal(new[] { "Two.Values" }, await SearchNamesAsync(viewer, @",""inputMessagesQuery"":""second-value"""));
            Assert.Empty(await SearchNamesAsync(viewer, @",""inputMessagesQuery"":""value\nsecond"""));
            Assert.Empty(await SearchNamesAsync(viewer, @",""inputMessagesQuery"":""valuesecond"""));
            Assert.Empty(await ListedAsync(viewer, Q("value\nsecond")));
        }

        [Fact]
        public async Task A_name_token_is_found_at_either_end_of_a_name_in_any_case_and_never_inside_a_longer_token()
        {
            await using var viewer = await RunningViewer.StartAsync();
            await RichSpans.SendAsync(viewer,
                new RichSpan(RichSpans.TraceId("t1"), RichSpans.SpanId(1), null, "Checkout.Pay", Base, 5),
                new RichSpan(RichSpans.TraceId("t2"), RichSpans.SpanId(1), null, "Precheckout.Run", Base.AddMinutes(1), 5),
                new RichSpan(RichSpans.TraceId("t3"), RichSpans.SpanId(1), null, "run-CHECKOUT", Base.AddMinutes(2), 5));

            Assert.Equal(new[] { "run-CHECKOUT", "Checkout.Pay" }, await SearchNamesAsync(viewer, @",""query"":""checkout"""));
            Assert.Equal(new[] { "Checkout.Pay" }, await SearchNamesAsync(viewer, @",""query"":""PAY Checkout"""));
            Assert.Equal(new[] { "run-CHECKOUT", "Precheckout.Run" }, await SearchNamesAsync(viewer, @",""query"":""run"""));
            Assert.Empty(await SearchNamesAsync(viewer, @",""query"":""check"""));        // in the names, never a whole token
            Assert.Empty(await SearchNamesAsync(viewer, @",""query"":""checkout run pay"""));
            Assert.Empty(await SearchNamesAsync(viewer, @",""query"":""ay"""));           // a short token is tested without the index
        }

        [Fact]
        public async Task A_search_with_no_hit_answers_an_empty_page_on_the_list_and_the_Cloud_search()
        {
            await using var viewer = await RunningViewer.StartAsync();
            await RichSpans.SendAsync(viewer, new RichSpan(RichSpans.TraceId("one"), RichSpans.SpanId(1), null, "Shop.Checkout", Base, 5,
                new Dictionary<string, object> { ["mirascope.trace.arg_values"] = "{\"cart\":\"dragon-egg\"}" }));

            var list = await viewer.GetJsonAsync("api/traces?" + Q("zebra-unicorn"));
            Assert.Equal(0, list.GetProperty("traces").GetArrayLength());
            Assert.False(list.GetProperty("hasMore").GetBoolean());
            Assert.Equal(JsonValueKind.Null, list.GetProperty("nextCursor").ValueKind);
            foreach (var extra in new[] { @",""query"":""zebra""", @",""inputMessagesQuery"":""zebra-unicorn""", @",""outputMessagesQuery"":""dragon-egg""" })
            {
                var found = await SearchAsync(viewer, Window(extra));
                Assert.Equal(0, found.GetProperty("total").GetInt64());
                Assert.Equal(0, found.GetProperty("spans").GetArrayLength());
                Assert.False(found.GetProperty("hasMore").GetBoolean());
            }
        }

        [Fact]
        public async Task A_span_sent_again_is_found_by_its_new_name_and_text_and_no_longer_by_the_old()
        {
            await using var viewer = await RunningViewer.StartAsync();
            var trace = RichSpans.TraceId("again");
            await RichSpans.SendAsync(viewer, new RichSpan(trace, RichSpans.SpanId(1), null, "Old.Name", Base, 5,
                new Dictionary<string, object> { ["mirascope.trace.arg_values"] = "first-copy-text" }));
            Assert.Equal(new[] { "Old.Name" }, await ListedAsync(viewer, Q("first-copy")));

            await RichSpans.SendAsync(viewer, new RichSpan(trace, RichSpans.SpanId(1), null, "New.Name", Base, 5,
                new Dictionary<string, object> { ["mirascope.trace.arg_values"] = "second-copy-text" }));

            Assert.Empty(await ListedAsync(viewer, Q("first-copy")));
            Assert.Equal(new[] { "New.Name" }, await ListedAsync(viewer, Q("second-copy")));
            Assert.Empty(await SearchNamesAsync(viewer, @",""query"":""old"""));
            Assert.Equal(new[] { "New.Name" }, await SearchNamesAsync(viewer, @",""query"":""new"""));
        }

        [Fact]
        public async Task The_cursor_pages_through_every_trace_once_in_the_lists_order_when_start_times_tie()
        {
            await using var viewer = await RunningViewer.StartAsync();
            // Nine traces, three at each start time: the order within a tie is the trace id's.
            await RichSpans.SendAsync(viewer, Enumerable.Range(0, 9)
                .Select(i => new RichSpan(RichSpans.TraceId("page" + i), RichSpans.SpanId(1), null, $"Run{i}", Base.AddSeconds(i / 3), 1)).ToArray());
            var all = (await viewer.GetJsonAsync("api/traces")).GetProperty("traces").EnumerateArray().Select(t => t.GetProperty("traceId").GetString()!).ToArray();

            var paged = new List<string>();
            var cursor = "";
            for (var page = 0; page < 10; page++)
            {
                var answer = await viewer.GetJsonAsync("api/traces?limit=2" + (cursor.Length == 0 ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
                paged.AddRange(answer.GetProperty("traces").EnumerateArray().Select(t => t.GetProperty("traceId").GetString()!));
                Assert.Equal(answer.GetProperty("hasMore").GetBoolean(), answer.GetProperty("nextCursor").ValueKind == JsonValueKind.String);
                if (!answer.GetProperty("hasMore").GetBoolean())
                {
                    break;
                }

                cursor = answer.GetProperty("nextCursor").GetString()!;
            }

            Assert.Equal(9, all.Length);
            Assert.Equal(all, paged);
            // With a filter, the cursor continues the filtered list.
            var errorsFirst = await viewer.GetJsonAsync("api/traces?limit=1&q=run");
            var next = await viewer.GetJsonAsync("api/traces?limit=1&q=run&cursor=" + Uri.EscapeDataString(errorsFirst.GetProperty("nextCursor").GetString()!));
            Assert.Equal(all[1], next.GetProperty("traces")[0].GetProperty("traceId").GetString());
        }

        private static string Encoded(string text) => Convert.ToBase64String(Encoding.ASCII.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        [Theory]
        [InlineData("cursor=%21%21%21", "cursor is not base64url text")]
        [InlineData("cursor=dDEuMTIueHl6", "cursor has no trace id (32 lower-case hex digits)")]                    // t1.12.xyz
        [InlineData("cursor=dDEuYWJjLjAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAx", "cursor has no start time")]     // t1.abc.0...01
        [InlineData("cursor=dDkuMS4wMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMQ", "cursor is not a cursor this viewer gave out")]   // t9.1.0...01
        [InlineData("cursor=dDEuMS4wMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMQ&offset=3", "cursor and offset both say where the page starts")]
        public async Task A_cursor_the_viewer_did_not_give_out_is_a_400_saying_why(string query, string message)
        {
            await using var viewer = await RunningViewer.StartAsync();

            using var response = await viewer.Http.GetAsync("api/traces?" + query);

            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
            Assert.StartsWith(message, JsonDocument.Parse(text).RootElement.GetProperty("message").GetString());
        }

        [Fact]
        public async Task A_cursor_longer_than_any_the_viewer_gives_out_is_refused_unread()
        {
            await using var viewer = await RunningViewer.StartAsync();

            using var response = await viewer.Http.GetAsync("api/traces?cursor=" + Encoded(new string('x', 500)));

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.StartsWith("cursor must be 1 to 100 characters", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString());
        }
    }
}
