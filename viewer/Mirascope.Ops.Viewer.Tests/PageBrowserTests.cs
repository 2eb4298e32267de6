using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Microsoft.Playwright;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Mirascope.Ops.Viewer.Tests
{
    /// <summary>The page in a real headless Chromium (Debian's <c>chromium</c> package, driven by Playwright).</summary>
    public sealed class PageBrowserTests
    {
        [Fact]
        public async Task A_call_that_recorded_no_values_says_why_and_which_call_it_was_and_the_trace_header_counts_them()
        {
            await using var viewer = await RunningViewer.StartAsync();
            var run = await RecordedRun.StocktakeAsync();
            Assert.All(run.Spans.Where(s => s.DisplayName == "Stocktake.CopiesOf"), s => Assert.Equal("disabled", s.GetTagItem("mirascope.trace.values_skipped")));
            using (var sent = await CloudIngestTests.PostAsync(viewer, CloudContractJson.Build(run.Spans), key: "local"))
            {
                Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
            }

            await using var browser = await HeadlessChromium.StartAsync();
            var (page, problems) = await BrowserPage.OpenAsync(browser, viewer.Address + "#/trace/" + run.TraceId);
            await Expect(page.Locator("#trace-title")).ToHaveTextAsync("Stocktake.Count");
            await Expect(page.Locator("#trace-meta")).ToContainTextAsync("values not recorded for 3 of 4 traced calls");

            var spans = page.Locator("#waterfall [role=treeitem]");
            await Expect(spans).ToHaveCountAsync(4);
            await spans.Nth(2).ClickAsync();
            await Expect(page.Locator("#details .values-skipped")).ToHaveTextAsync(
                "Not recorded: value recording is off for this method ([Trace(RecordValues = false)]). Call 2 of 3 of Stocktake.CopiesOf in this trace.");
            await spans.Nth(0).ClickAsync();   // the loop itself recorded its values
            await Expect(page.Locator("#details .values-skipped")).ToHaveCountAsync(0);
            await Expect(page.Locator("#details")).ToContainTextAsync("978-0765311788");
            Assert.Empty(problems);
        }

        [Fact]
        public async Task The_page_lists_the_run_and_opens_its_nested_spans_with_arguments_and_the_failed_span_marked()
        {
            await using var viewer = await RunningViewer.StartAsync();
            var run = await RecordedRun.RecommendAsync();
            using (var sent = await CloudIngestTests.PostAsync(viewer, CloudContractJson.Build(run.Spans), key: "local"))
            {
                Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
            }

            await using var browser = await HeadlessChromium.StartAsync();
            var (page, problems) = await BrowserPage.OpenAsync(browser, viewer.Address.ToString());

            // The list: the run with its root name, failure, session, tags.
            var row = page.Locator($"#trace-rows tr[data-trace-id='{run.TraceId}']");
            await Expect(row).ToContainTextAsync("Bookshop.RecommendAsync");
            await Expect(row).ToContainTextAsync("4 spans · books");
            await Expect(row).ToContainTextAsync("✗ error");
            await Expect(row).ToContainTextAsync(RecordedRun.SessionId);
            await Expect(row).ToContainTextAsync("recommendation");

            // The trace: the tree nests the three calls under the root; the failed lookup is marked.
            await row.ClickAsync();
            var spans = page.Locator("#waterfall [role=treeitem]");
            await Expect(spans).ToHaveCountAsync(4);
            await Expect(spans.Nth(0)).ToHaveAttributeAsync("aria-level", "1");
            await Expect(spans.Nth(0)).ToContainTextAsync("Bookshop.RecommendAsync");
            for (var i = 1; i < 4; i++)
            {
                await Expect(spans.Nth(i)).ToHaveAttributeAsync("aria-level", "2");
            }

            var failed = page.Locator("#waterfall .span-row.error");
            await Expect(failed).ToHaveCountAsync(1);
            await Expect(failed).ToContainTextAsync("✗Bookshop.Lookup");
            await Expect(failed).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex("^Bookshop.Lookup, failed, "));

            // The root is selected first: its arguments pretty-printed, its tags and metadata.
            var details = page.Locator("#details");
            await Expect(details).ToContainTextAsync("Arguments");
            await Expect(details.Locator("pre.json").First).ToHaveTextAsync("{\n  \"genre\": \"fantasy\",\n  \"budget\": 100\n}");
            await Expect(details).ToContainTextAsync("\"owner\": \"team-books\"");

            // Arrow down to Price (children in start order: SearchAsync, Price, Lookup); its arguments and output.
            await page.Keyboard.PressAsync("ArrowDown");
            await page.Keyboard.PressAsync("ArrowDown");
            await Expect(page.Locator("#details h3")).ToHaveTextAsync("Bookshop.Price");
            await Expect(details.Locator("pre.json").First).ToHaveTextAsync("{\n  \"title\": \"The Name of the Wind\",\n  \"quantity\": 2\n}");
            await Expect(details).ToContainTextAsync("Output40");

            await ShotAsync(page, "trace");
            // "e" jumps to the failed span: status, exception type and message, stack trace.
            await page.Keyboard.PressAsync("e");
            await Expect(page.Locator("#details h3")).ToHaveTextAsync("✗ Bookshop.Lookup");
            await Expect(details.Locator(".exception .what")).ToHaveTextAsync("TracedBookshop.BookNotFoundException: no book 404");
            await Expect(details.Locator(".exception pre.stack")).ToContainTextAsync("at TracedBookshop.Bookshop.Lookup(Int32 id)");

            await ShotAsync(page, "error");
            // Escape goes back to the list with the trace focused; new spans appear there without a reload.
            await page.Keyboard.PressAsync("Escape");
            await Expect(page.Locator("#list-view")).ToBeVisibleAsync();
            await Expect(row).ToBeFocusedAsync();
            var second = await RecordedRun.RecommendAsync(genre: "poetry", budget: 1);
            using (var sent = await CloudIngestTests.PostAsync(viewer, CloudContractJson.Build(second.Spans), key: "local"))
            {
                Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
            }

            await Expect(page.Locator("#trace-rows tr")).ToHaveCountAsync(2);

            await ShotAsync(page, "list");
            // Filters: a name nothing has empties the list and says so; the keyboard opens a trace.
            await page.Keyboard.PressAsync("/");
            await page.Keyboard.TypeAsync("no such span");
            await Expect(page.Locator("#trace-rows tr")).ToHaveCountAsync(0);
            await Expect(page.Locator("#no-match")).ToBeVisibleAsync();
            await page.Locator("#f-name").FillAsync("");
            await Expect(page.Locator("#trace-rows tr")).ToHaveCountAsync(2);
            await page.Keyboard.PressAsync("Escape");
            await page.Keyboard.PressAsync("ArrowDown");
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.Locator("#trace-title")).ToHaveTextAsync("Bookshop.RecommendAsync");
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("#/trace/[0-9a-f]{32}$"));

            Assert.Empty(problems);
        }

        internal static async Task ShotAsync(IPage page, string name)
        {
            var folder = Environment.GetEnvironmentVariable("VIEWER_SCREENSHOTS");
            if (!string.IsNullOrEmpty(folder))
            {
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = false });
            }
        }
    }
}
