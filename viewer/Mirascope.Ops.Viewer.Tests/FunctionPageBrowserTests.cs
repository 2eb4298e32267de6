using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Mirascope.Ops.Viewer.Tests
{
    /// <summary>The functions pages in a real headless Chromium: functions list → function → version diff → a trace and its cost.</summary>
    public sealed class FunctionPageBrowserTests
    {
        [Fact]
        public async Task The_functions_list_leads_to_a_functions_versions_their_diff_and_a_versions_trace_with_its_cost()
        {
            await using var viewer = await RunningViewer.StartAsync();
            await FunctionFiguresTests.SeedAsync(viewer);
            await using var browser = await HeadlessChromium.StartAsync();
            var (page, problems) = await BrowserPage.OpenAsync(browser, viewer.Address.ToString());

            // The trace list shows each trace's cost; a model without a price is said, not shown as $0.
            await Expect(page.Locator($"#trace-rows tr[data-trace-id='{RichSpans.TraceId("r2")}'] td.cost")).ToHaveTextAsync("$0.0004");
            await Expect(page.Locator($"#trace-rows tr[data-trace-id='{RichSpans.TraceId("r3")}'] td.cost")).ToHaveTextAsync("no price");
            await PageBrowserTests.ShotAsync(page, "list-cost");

            // The functions list: latest version, calls, error rate, latency, tokens and cost.
            await page.Locator("#nav-functions").ClickAsync();
            var recommend = page.Locator("#function-rows tr[data-function='Recommend']");
            await Expect(recommend).ToContainTextAsync("v1.1");
            await Expect(recommend.Locator("td").Nth(3)).ToHaveTextAsync("3");
            await Expect(recommend.Locator("td").Nth(4)).ToHaveTextAsync("33.3%");
            await Expect(recommend.Locator("td").Nth(5)).ToHaveTextAsync("100 ms");
            await Expect(recommend.Locator("td").Nth(6)).ToHaveTextAsync("300 ms");
            await Expect(recommend.Locator("td").Nth(7)).ToHaveTextAsync("3010 / 305");
            await Expect(recommend.Locator("td.cost")).ToHaveTextAsync("$0.0006 + ?");
            await Expect(recommend.Locator("td.cost")).ToHaveAttributeAsync("title", new Regex("No price for ollama/local-llama"));
            await Expect(page.Locator("#function-rows tr[data-function='Summarize']")).ToContainTextAsync("unregistered");
            await PageBrowserTests.ShotAsync(page, "functions");

            // The keyboard opens the function: its versions newest first, the newest one's code, the diff of the last two.
            await page.Keyboard.PressAsync("ArrowDown");
            await page.Keyboard.PressAsync("ArrowDown");
            await Expect(recommend).ToBeFocusedAsync();
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.Locator("#function-title")).ToHaveTextAsync("Recommend");
            await Expect(page).ToHaveURLAsync(new Regex("#/function/Recommend$"));
            var versions = page.Locator("#version-rows tr");
            await Expect(versions).ToHaveCountAsync(2);
            await Expect(versions.Nth(0)).ToContainTextAsync("v1.1");
            await Expect(versions.Nth(1)).ToContainTextAsync("v1.0");
            await Expect(versions.Nth(1).Locator("td").Nth(4)).ToHaveTextAsync("50.0%");
            await Expect(page.Locator("#code")).ToContainTextAsync("return \"Mistborn\";");
            await Expect(page.Locator("#diff .diff-summary")).ToHaveTextAsync("1 line added, 1 removed");
            await Expect(page.Locator("#diff .del")).ToHaveTextAsync("-     return \"Dune\";\n");
            await Expect(page.Locator("#diff .add")).ToHaveTextAsync("+     return \"Mistborn\";\n");
            await Expect(page.Locator("#version-trace-rows tr")).ToHaveCountAsync(1);
            await Expect(page.Locator("#queue-view")).ToBeHiddenAsync();   // the queue's bar only in the queue
            await Expect(page.Locator("#diff .diff-lines span").Nth(2)).ToHaveClassAsync("del");   // removed lines before added ones
            await PageBrowserTests.ShotAsync(page, "function");

            // Comparing a version with itself says so; the other version's code and traces follow the selection.
            await page.Locator("#diff-from").SelectOptionAsync(new[] { "h2" });
            await Expect(page.Locator("#diff .diff-summary")).ToHaveTextAsync("The code is the same.");
            await versions.Nth(1).ClickAsync();
            await Expect(page.Locator("#code")).ToContainTextAsync("return \"Dune\";");
            await Expect(page.Locator("#version-traces-title")).ToHaveTextAsync("Traces of v1.0");
            var traces = page.Locator("#version-trace-rows tr");
            await Expect(traces).ToHaveCountAsync(2);

            // A trace of the version: the model call's tokens and cost, with the price it was computed with.
            await traces.Nth(0).ClickAsync();
            await Expect(page.Locator("#trace-title")).ToHaveTextAsync("Shop.Recommend");
            await Expect(page.Locator("#trace-meta")).ToContainTextAsync("2000 / 100 tokens · $0.0004");
            await page.Keyboard.PressAsync("ArrowDown");
            var details = page.Locator("#details");
            await Expect(details.Locator("h3")).ToHaveTextAsync("chat gpt-4o-mini");
            await Expect(details.Locator("dl.usage")).ToContainTextAsync("openai/gpt-4o-mini-2024-07-18");
            await Expect(details.Locator("dl.usage")).ToContainTextAsync("$0.0004 (priced as openai/gpt-4o-mini)");
            await PageBrowserTests.ShotAsync(page, "trace-cost");

            // Esc goes back to the function page, where the trace was opened.
            await page.Keyboard.PressAsync("Escape");
            await Expect(page.Locator("#function-title")).ToHaveTextAsync("Recommend");
            await Expect(page.Locator("#function-view")).ToBeVisibleAsync();

            Assert.Empty(problems);
        }
    }
}
