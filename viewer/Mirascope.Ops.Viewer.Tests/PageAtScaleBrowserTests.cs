using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Mirascope.Ops.Viewer.Tests
{
    /// <summary>
    /// Details users noticed at 1 M spans, in a real Chromium: deep span trees stay readable, a cost too small for four
    /// decimals is not shown as $0.0000, and the list's header says how many traces it shows of how many are stored.
    /// </summary>
    public sealed class PageAtScaleBrowserTests
    {
        [Fact]
        public async Task Every_span_of_a_chain_60_deep_shows_its_whole_name_and_the_deep_ones_their_depth()
        {
            await using var viewer = await RunningViewer.StartAsync();
            var trace = RichSpans.TraceId("deep");
            var start = FunctionFiguresTests.Base;
            await RichSpans.SendAsync(viewer, Enumerable.Range(0, 61)
                .Select(depth => new RichSpan(trace, RichSpans.SpanId(depth + 1), depth == 0 ? null : RichSpans.SpanId(depth), $"Pipeline.Step{depth}",
                    start.AddMilliseconds(depth), 200 - depth))
                .ToArray());

            await using var browser = await HeadlessChromium.StartAsync();
            var (page, problems) = await BrowserPage.OpenAsync(browser, viewer.Address + "#/trace/" + trace);
            await Expect(page.Locator("#waterfall [role=treeitem]")).ToHaveCountAsync(61);
            await PageBrowserTests.ShotAsync(page, "deep-tree");

            // Per row: its level, how much of its name's box lies inside the name cell (which clips), the name's own
            // width, the depth number drawn beside it and the row's indent.
            var rows = await page.EvaluateAsync<JsonElement>(@"() => Array.from(document.querySelectorAll('#waterfall [role=treeitem]')).map((row) => {
                const cell = row.querySelector('.span-name');
                const box = cell.getBoundingClientRect();
                const label = row.querySelector('.span-label').getBoundingClientRect();
                const depth = row.querySelector('.depth');
                return {
                  level: Number(row.getAttribute('aria-level')),
                  name: row.querySelector('.span-label').textContent,
                  width: label.width,
                  visible: Math.min(label.right, box.right) - Math.max(label.left, box.left),
                  depth: depth ? getComputedStyle(depth, '::before').content : null,
                  indent: parseFloat(getComputedStyle(cell).paddingLeft),
                };
              })");
            var previousIndent = -1.0;
            foreach (var row in rows.EnumerateArray())
            {
                var depth = row.GetProperty("level").GetInt32() - 1;
                var what = $"depth {depth}: {row}";
                Assert.Equal($"Pipeline.Step{depth}", row.GetProperty("name").GetString());
                Assert.True(row.GetProperty("width").GetDouble() > 40, what);
                Assert.True(row.GetProperty("visible").GetDouble() >= row.GetProperty("width").GetDouble() - 0.5, "the whole name is visible at " + what);
                Assert.True(row.GetProperty("indent").GetDouble() >= previousIndent, "a deeper span is never less indented, at " + what);
                previousIndent = row.GetProperty("indent").GetDouble();
                if (depth > 6)
                {
                    Assert.Equal($"\"{depth}\"", row.GetProperty("depth").GetString());
                }
                else
                {
                    Assert.Equal(JsonValueKind.Null, row.GetProperty("depth").ValueKind);
                }
            }

            Assert.Equal(60, rows.EnumerateArray().Max(r => r.GetProperty("level").GetInt32()) - 1);
            await Expect(page.Locator("#waterfall [role=treeitem]").Last).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^Pipeline\\.Step60"));
            Assert.Empty(problems);
        }

        [Fact]
        public async Task A_cost_under_a_hundredth_of_a_cent_shows_its_significant_digits_and_its_exact_value_on_hover()
        {
            await using var viewer = await RunningViewer.StartAsync();
            var trace = RichSpans.TraceId("cheap");
            // gpt-4o-mini at $0.15 per million input tokens: 81 tokens cost $0.00001215, which four decimals show as $0.0000.
            await RichSpans.SendAsync(viewer,
                new RichSpan(trace, RichSpans.SpanId(1), null, "Shop.Classify", FunctionFiguresTests.Base, 50),
                new RichSpan(trace, RichSpans.SpanId(2), RichSpans.SpanId(1), "chat gpt-4o-mini", FunctionFiguresTests.Base, 40,
                    RichSpans.Chat("openai", "gpt-4o-mini", input: 81, output: 0)));

            await using var browser = await HeadlessChromium.StartAsync();
            var (page, problems) = await BrowserPage.OpenAsync(browser, viewer.Address.ToString());
            var cost = page.Locator($"#trace-rows tr[data-trace-id='{trace}'] td.cost");
            await Expect(cost).ToHaveTextAsync("$0.000012");
            await Expect(cost).ToHaveAttributeAsync("title", "Exactly $0.00001215");
            await Expect(cost).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("unpriced"));

            await cost.ClickAsync();
            await Expect(page.Locator("#trace-meta")).ToContainTextAsync("81 / 0 tokens · $0.000012");
            await page.Keyboard.PressAsync("ArrowDown");
            await Expect(page.Locator("#details .usage")).ToContainTextAsync("$0.000012 (priced as openai/gpt-4o-mini)");
            Assert.Empty(problems);
        }

        [Fact]
        public async Task The_list_header_says_how_many_traces_are_shown_of_how_many_are_stored()
        {
            await using var viewer = await RunningViewer.StartAsync();
            var start = FunctionFiguresTests.Base;
            await RichSpans.SendAsync(viewer, Enumerable.Range(0, 205)
                .Select(i => new RichSpan(RichSpans.TraceId("stored" + i), RichSpans.SpanId(1), null, i % 41 == 0 ? "Nightly.Report" : "Shop.Browse",
                    start.AddSeconds(i), 10))
                .ToArray());

            await using var browser = await HeadlessChromium.StartAsync();
            var (page, problems) = await BrowserPage.OpenAsync(browser, viewer.Address.ToString());
            await Expect(page.Locator("#trace-rows tr")).ToHaveCountAsync(200);
            await Expect(page.Locator("#summary")).ToHaveTextAsync("200 of 205 traces");

            await page.Locator("#page-older").ClickAsync();
            await Expect(page.Locator("#trace-rows tr")).ToHaveCountAsync(5);
            await Expect(page.Locator("#summary")).ToHaveTextAsync("5 of 205 traces");
            await Expect(page.Locator("#page-info")).ToHaveTextAsync("traces 201–205");

            await page.Locator("#f-name").FillAsync("Nightly");
            await Expect(page.Locator("#trace-rows tr")).ToHaveCountAsync(5);
            await Expect(page.Locator("#summary")).ToHaveTextAsync("5 matching traces · 205 stored");
            Assert.Empty(problems);
        }
    }
}
