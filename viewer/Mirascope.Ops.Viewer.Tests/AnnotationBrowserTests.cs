using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Mirascope.Ops.Viewer.Tests
{
    /// <summary>Annotating from the trace view with the keyboard, the annotation queue, and search and paging in the trace list, in a real Chromium.</summary>
    public sealed class AnnotationBrowserTests
    {
        [Fact]
        public async Task A_span_is_annotated_with_the_keyboard_and_the_queue_walks_the_functions_unannotated_traces()
        {
            await using var viewer = await RunningViewer.StartAsync();
            await FunctionFiguresTests.SeedAsync(viewer);
            await using var browser = await HeadlessChromium.StartAsync();
            var (page, problems) = await BrowserPage.OpenAsync(browser, viewer.Address + "#/trace/" + RichSpans.TraceId("r2"));

            // The model call of r2: p marks it pass, a writes a reasoning, Ctrl+Enter saves, f changes the label.
            await Expect(page.Locator("#trace-title")).ToHaveTextAsync("Shop.Recommend");
            await page.Keyboard.PressAsync("ArrowDown");
            await Expect(page.Locator("#details h3")).ToHaveTextAsync("chat gpt-4o-mini");
            await Expect(page.Locator("#annotation-current")).ToHaveTextAsync("Not annotated.");
            await page.Keyboard.PressAsync("p");
            var chatRow = page.Locator("#waterfall [role=treeitem]").Nth(1);
            await Expect(chatRow.Locator(".badge.pass")).ToHaveTextAsync("✓ pass");
            await Expect(page.Locator("#annotation-status")).ToHaveTextAsync("Saved: pass.");
            await Expect(chatRow).ToBeFocusedAsync();
            await page.Keyboard.PressAsync("a");
            await Expect(page.Locator("#annotation-reasoning")).ToBeFocusedAsync();
            await page.Keyboard.TypeAsync("recommends a book that is out of stock");
            await page.Keyboard.PressAsync("Control+Enter");
            await Expect(page.Locator("#annotation-current")).ToContainTextAsync("✓ pass recommends a book that is out of stock");
            await page.Keyboard.PressAsync("f");
            await Expect(chatRow.Locator(".badge.fail")).ToHaveTextAsync("✗ fail");
            await Expect(page.Locator("#annotation-current")).ToContainTextAsync("✗ fail recommends a book that is out of stock");   // the reasoning stays
            await PageBrowserTests.ShotAsync(page, "annotate");

            // The mouse works too: the root span passes.
            await page.Keyboard.PressAsync("Home");
            await page.Locator("#annotate-pass").ClickAsync();
            await Expect(page.Locator("#waterfall [role=treeitem]").Nth(0).Locator(".badge.pass")).ToBeVisibleAsync();

            // The list shows the trace's annotations; the API has them.
            await page.Keyboard.PressAsync("Escape");
            var listed = page.Locator($"#trace-rows tr[data-trace-id='{RichSpans.TraceId("r2")}'] td.annotations");
            await Expect(listed).ToHaveTextAsync("✗ fail✓ pass");
            var stored = await viewer.GetJsonAsync("api/v2/annotations?otelTraceId=" + RichSpans.TraceId("r2"));
            Assert.Equal(2, stored.GetProperty("total").GetInt32());
            Assert.Contains(stored.GetProperty("annotations").EnumerateArray(), a => a.GetProperty("reasoning").GetString() == "recommends a book that is out of stock");

            // The queue of Recommend: r1 and r3 are left (newest first); f annotates and moves on, s skips.
            await page.GotoAsync(viewer.Address + "#/function/Recommend");
            await page.Locator("#queue-link").ClickAsync();
            await Expect(page.Locator("#queue-status")).ToHaveTextAsync("2 unannotated traces left.");
            await Expect(page.Locator("#trace-meta")).ToContainTextAsync(RichSpans.TraceId("r3"));
            await PageBrowserTests.ShotAsync(page, "queue");
            await page.Keyboard.PressAsync("f");
            await Expect(page.Locator("#queue-status")).ToHaveTextAsync("1 unannotated trace left.");
            await Expect(page.Locator("#trace-meta")).ToContainTextAsync(RichSpans.TraceId("r1"));
            await page.Keyboard.PressAsync("s");
            await Expect(page.Locator("#queue-status")).ToHaveTextAsync("Only skipped traces are left (1). Leave and come back to see them again.");
            await Expect(page.Locator("#trace-view")).ToBeHiddenAsync();
            var r3 = await viewer.GetJsonAsync("api/v2/annotations?otelTraceId=" + RichSpans.TraceId("r3"));
            Assert.Equal("fail", r3.GetProperty("annotations")[0].GetProperty("label").GetString());
            Assert.Equal(RichSpans.SpanId(1), r3.GetProperty("annotations")[0].GetProperty("otelSpanId").GetString());   // the root, selected first

            // Esc leaves the queue for the function's page.
            await page.Keyboard.PressAsync("Escape");
            await Expect(page.Locator("#function-title")).ToHaveTextAsync("Recommend");

            Assert.Empty(problems);
        }

        [Fact]
        public async Task The_list_searches_arguments_filters_by_duration_status_function_and_version_and_pages_past_the_newest_200()
        {
            await using var viewer = await RunningViewer.StartAsync();
            System.Collections.Generic.Dictionary<string, object> Attributes(int i)
            {
                var attributes = i % 2 == 0 ? RichSpans.Version("b1", "bs1", name: "Batch") : new System.Collections.Generic.Dictionary<string, object>();
                attributes["mirascope.trace.arg_values"] = $"{{\"item\":\"item-{i:000}\"}}";
                return attributes;
            }

            var runs = Enumerable.Range(0, 205).Select(i => new RichSpan(RichSpans.TraceId("run" + i), RichSpans.SpanId(1), null, "Batch.Run",
                FunctionFiguresTests.Base.AddSeconds(i), i, Attributes(i), Failed: i % 50 == 7)).ToArray();
            await RichSpans.SendAsync(viewer, runs);
            await using var browser = await HeadlessChromium.StartAsync();
            var (page, problems) = await BrowserPage.OpenAsync(browser, viewer.Address.ToString());

            var rows = page.Locator("#trace-rows tr");
            await Expect(rows).ToHaveCountAsync(200);
            await Expect(page.Locator("#page-info")).ToHaveTextAsync("traces 1–200");
            var listRequests = new List<string>();
            page.Request += (_, request) =>
            {
                if (request.Url.Contains("/api/traces?", StringComparison.Ordinal))
                {
                    listRequests.Add(request.Url);
                }
            };
            await page.Locator("#page-older").ClickAsync();
            await Expect(rows).ToHaveCountAsync(5);
            await Expect(page.Locator("#page-info")).ToHaveTextAsync("traces 201–205");
            await Expect(page.Locator("#page-older")).ToBeDisabledAsync();
            // Older asks where the last page ended (keyset paging), never by an offset that reads every trace it skips.
            Assert.Contains(listRequests, url => url.Contains("cursor=", StringComparison.Ordinal));
            Assert.DoesNotContain(listRequests, url => url.Contains("offset=", StringComparison.Ordinal));
            await page.Locator("#page-newer").ClickAsync();
            await Expect(rows).ToHaveCountAsync(200);
            await Expect(rows.First).ToContainTextAsync("Batch.Run");

            await page.Locator("#f-q").FillAsync("item-042");   // in the arguments
            await Expect(rows).ToHaveCountAsync(1);
            await Expect(page.Locator("#page-info")).ToHaveTextAsync("");
            await page.Locator("#f-q").FillAsync("");
            await page.Locator("#f-min").FillAsync("100");
            await page.Locator("#f-max").FillAsync("109.5");
            await Expect(rows).ToHaveCountAsync(10);
            await page.Locator("#f-status").SelectOptionAsync(new[] { "error" });
            await Expect(rows).ToHaveCountAsync(1);   // run 107
            await Expect(rows.First).ToContainTextAsync("✗ error");
            await PageBrowserTests.ShotAsync(page, "search");
            await page.Locator("#f-status").SelectOptionAsync(new[] { "" });
            await page.Locator("#f-min").FillAsync("");
            await page.Locator("#f-max").FillAsync("");
            await page.Locator("#f-function").FillAsync("Batch");   // the even runs are calls of a version of Batch
            await Expect(rows).ToHaveCountAsync(103);
            await page.Locator("#f-version").FillAsync("b2");
            await Expect(rows).ToHaveCountAsync(0);
            await page.Locator("#f-version").FillAsync("b1");
            await Expect(rows).ToHaveCountAsync(103);

            Assert.Empty(problems);
        }
    }
}
