using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading.Tasks;
using Microsoft.Playwright;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Mirascope.Ops.Viewer.Tests
{
    /// <summary>
    /// The page in a real headless Chromium with traces no well-behaved app sends (issue 17): parent links that loop,
    /// JSON text nested thousands deep, values of hundreds of thousands of elements, a 1 MB name. Every span must still be
    /// shown, nothing may break the rest of the trace, and large values must cost bounded time and elements.
    /// </summary>
    public sealed class HostilePageBrowserTests
    {
        private readonly ITestOutputHelper _output;

        public HostilePageBrowserTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Fact]
        public async Task Traces_whose_parent_links_loop_open_with_every_span_shown_the_loop_marked_and_their_own_header()
        {
            await using var viewer = await RunningViewer.StartAsync();
            var normal = TraceStoreTests.TraceIdOf("normal");
            var loop = TraceStoreTests.TraceIdOf("loop");
            var self = TraceStoreTests.TraceIdOf("self");
            var hidden = TraceStoreTests.TraceIdOf("hidden");
            await PostAsync(viewer,
                new TestSpan(normal, "00000000000000a1", null, "Normal.Root", 10, 50),
                new TestSpan(normal, "00000000000000a2", "00000000000000a1", "Normal.Child", 20, 30),
                new TestSpan(normal, "00000000000000a3", "00000000000000a1", "Normal.Other", 30, 40),
                // A's parent is B and B's parent is A.
                new TestSpan(loop, "00000000000000b1", "00000000000000b2", "Loop.A", 10, 20),
                new TestSpan(loop, "00000000000000b2", "00000000000000b1", "Loop.B", 11, 20),
                // The only span is its own parent.
                new TestSpan(self, "00000000000000c1", "00000000000000c1", "Self.Only", 10, 20),
                // A real root, and beside it a loop X <-> Y with a child Z that no walk from the root reaches.
                new TestSpan(hidden, "00000000000000d1", null, "Hidden.Root", 10, 50),
                new TestSpan(hidden, "00000000000000d2", "00000000000000d1", "Hidden.Child", 11, 20),
                new TestSpan(hidden, "00000000000000d3", "00000000000000d4", "Hidden.X", 12, 20),
                new TestSpan(hidden, "00000000000000d4", "00000000000000d3", "Hidden.Y", 13, 20),
                new TestSpan(hidden, "00000000000000d5", "00000000000000d3", "Hidden.Z", 14, 20));
            await using var browser = await HeadlessChromium.StartAsync();
            var (page, problems) = await OpenAsync(browser, viewer);
            var rows = page.Locator("#waterfall [role=treeitem]");

            await page.EvaluateAsync($"location.hash = '#/trace/{normal}'");
            await Expect(page.Locator("#trace-title")).ToHaveTextAsync("Normal.Root");
            await Expect(page.Locator("#trace-meta")).ToContainTextAsync("3 spans");

            // The two-span loop: both spans, the earliest at the top marked as where the loop is broken, the header its own.
            await page.EvaluateAsync($"location.hash = '#/trace/{loop}'");
            await Expect(page.Locator("#trace-title")).ToHaveTextAsync("Loop.A");
            await Expect(page.Locator("#trace-meta")).ToContainTextAsync("2 spans");
            await Expect(page.Locator("#trace-meta")).ToContainTextAsync("trace " + loop);
            await Expect(page.Locator("#trace-meta")).Not.ToContainTextAsync("3 spans");
            await ExpectTreeAsync(rows, ("Loop.A", 1, true), ("Loop.B", 2, false));
            await Expect(page.Locator("#details .span-note")).ToContainTextAsync("Its parent links loop (its parent 00000000000000b2 is below it)");

            await page.EvaluateAsync($"location.hash = '#/trace/{self}'");
            await Expect(page.Locator("#trace-title")).ToHaveTextAsync("Self.Only");
            await Expect(page.Locator("#trace-meta")).ToContainTextAsync("1 span ");
            await ExpectTreeAsync(rows, ("Self.Only", 1, true));
            await Expect(page.Locator("#details .span-note")).ToContainTextAsync("This span is its own parent");

            // The loop beside a real root is not lost: it is shown after the root's tree, broken at its earliest span.
            await page.EvaluateAsync($"location.hash = '#/trace/{hidden}'");
            await Expect(page.Locator("#trace-title")).ToHaveTextAsync("Hidden.Root");
            await Expect(page.Locator("#trace-meta")).ToContainTextAsync("5 spans");
            await ExpectTreeAsync(rows, ("Hidden.Root", 1, false), ("Hidden.Child", 2, false), ("Hidden.X", 1, true), ("Hidden.Y", 2, false), ("Hidden.Z", 2, false));

            await PageBrowserTests.ShotAsync(page, "loop");
            Assert.Empty(problems);
        }

        [Fact]
        public async Task Json_text_nested_6000_deep_is_shown_as_text_and_the_other_spans_and_sections_still_render()
        {
            await using var viewer = await RunningViewer.StartAsync();
            var traceId = TraceStoreTests.TraceIdOf("deep");
            var deepArray = new string('[', 6000) + new string(']', 6000);                          // 12 KB, under every cap
            var deepObject = string.Concat(Enumerable.Repeat("{\"a\":", 6000)) + "1" + new string('}', 6000);
            await PostAsync(viewer,
                new TestSpan(traceId, "00000000000000a1", null, "Deep.Root", 10, 50, new Dictionary<string, string>
                {
                    ["mirascope.trace.arg_values"] = deepArray,
                    ["mirascope.trace.output"] = deepObject,
                    ["mirascope.trace.metadata"] = "{\"owner\":\"team\"}",
                }),
                new TestSpan(traceId, "00000000000000a2", "00000000000000a1", "Deep.Child", 20, 30, new Dictionary<string, string>
                {
                    ["mirascope.trace.arg_values"] = "{\"x\":1}",
                }));
            await using var browser = await HeadlessChromium.StartAsync();
            var (page, problems) = await OpenAsync(browser, viewer);

            await page.EvaluateAsync($"location.hash = '#/trace/{traceId}'");

            await ExpectTreeAsync(page.Locator("#waterfall [role=treeitem]"), ("Deep.Root", 1, false), ("Deep.Child", 2, false));
            var details = page.Locator("#details");
            await Expect(details.Locator(".value-note")).ToHaveCountAsync(4);   // arguments and output, each in its section and in the attribute table
            await Expect(details.Locator(".value-note").First).ToHaveTextAsync("JSON text nested deeper than 64 levels, shown as text");
            await Expect(details.Locator("pre.text").First).ToHaveTextAsync(deepArray);
            await Expect(details.Locator("pre.json").First).ToHaveTextAsync("{\n  \"owner\": \"team\"\n}");   // the metadata section after them
            await page.Locator("#waterfall [role=treeitem]").Nth(1).ClickAsync();
            await Expect(details.Locator("h3")).ToHaveTextAsync("Deep.Child");
            await Expect(details.Locator("pre.json").First).ToHaveTextAsync("{\n  \"x\": 1\n}");

            Assert.Empty(problems);
        }

        [Fact]
        public async Task A_300000_element_value_and_a_1_MB_name_render_cut_in_bounded_elements_and_time()
        {
            await using var viewer = await RunningViewer.StartAsync();
            var traceId = TraceStoreTests.TraceIdOf("large");
            var zeros = "[" + string.Join(",", Enumerable.Repeat("0", 300_000)) + "]";                   // 600 KB: parsed, indented to 2.4 MB
            var numbers = "[" + string.Join(",", Enumerable.Range(0, 300_000)) + "]";                    // 1.9 MB: over the parse bound, raw text
            var name = "Large." + new string('n', 1024 * 1024);
            await PostAsync(viewer,
                new TestSpan(traceId, "00000000000000a1", null, name, 10, 50, new Dictionary<string, string>
                {
                    ["mirascope.trace.output"] = zeros,
                    ["mirascope.trace.arg_values"] = numbers,
                }),
                new TestSpan(traceId, "00000000000000a2", "00000000000000a1", "Large.Child", 20, 30));
            await using var browser = await HeadlessChromium.StartAsync();
            var (page, problems) = await OpenAsync(browser, viewer);

            // The list: the name cut by the server and marked.
            var row = page.Locator($"#trace-rows tr[data-trace-id='{traceId}']");
            await Expect(row.Locator(".cut")).ToHaveTextAsync("cut");
            Assert.True((await row.InnerTextAsync()).Length < 400, "the list row shows a bounded name");

            var clock = Stopwatch.StartNew();
            await row.ClickAsync();
            var details = page.Locator("#details");
            // Cut, in page order: the whole name (folded away), the arguments and the output, those two again in the attribute table.
            await Expect(details.Locator(".value-cut")).ToHaveCountAsync(5);
            clock.Stop();
            var elements = await page.EvaluateAsync<int>("document.querySelectorAll('#details *, #waterfall *').length");
            _output.WriteLine($"opened the trace in {clock.ElapsedMilliseconds} ms; {elements} elements in the tree and details");

            Assert.True(elements < 300, $"{elements} elements for two spans");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"opening took {clock.Elapsed}");   // 15.7 s before the bounds
            var indentedZeros = "[\n".Length + (300_000 - 1) * "  0,\n".Length + "  0\n]".Length;
            var cuts = details.Locator(".value-cut");
            await Expect(cuts.Nth(0)).ToContainTextAsync($"cut: 50,000 of {N(name.Length)} characters shown");
            await Expect(cuts.Nth(1)).ToContainTextAsync($"cut: 50,000 of {N(numbers.Length)} characters shown");
            await Expect(cuts.Nth(2)).ToContainTextAsync($"cut: 50,000 of {N(indentedZeros)} characters shown");
            await Expect(details.Locator(".value-note").First).ToHaveTextAsync($"JSON text of {N(numbers.Length)} characters, shown as text");
            await Expect(page.Locator("#trace-title")).ToHaveTextAsync(name.Substring(0, 300) + "…");
            await Expect(details.Locator("h3")).ToHaveTextAsync(name.Substring(0, 300) + "…");
            await Expect(details.Locator(".full-name summary")).ToHaveTextAsync($"Whole name ({N(name.Length)} characters)");

            // "Show all" puts the whole value in, still as one text node.
            await cuts.Nth(1).Locator("button").ClickAsync();
            await Expect(cuts).ToHaveCountAsync(4);
            Assert.Equal(numbers.Length, await page.EvaluateAsync<int>("document.querySelectorAll('#details .value')[1].querySelector('pre').textContent.length"));
            Assert.Equal(1, await page.EvaluateAsync<int>("document.querySelectorAll('#details .value')[1].querySelector('pre').childNodes.length"));

            Assert.Empty(problems);
        }

        private static string N(int number) => number.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

        private static async Task PostAsync(RunningViewer viewer, params TestSpan[] spans)
        {
            using var sent = await CloudIngestTests.PostAsync(viewer, SpanBodies.Build(spans));
            Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
            Assert.Equal("{\"partialSuccess\":{}}", await sent.Content.ReadAsStringAsync());
        }

        /// <summary>The page on the list, with every console error, uncaught exception and failed request collected.</summary>
        private static async Task<(IPage Page, List<string> Problems)> OpenAsync(HeadlessChromium browser, RunningViewer viewer)
        {
            var (page, problems) = await BrowserPage.OpenAsync(browser, viewer.Address.ToString());
            await Expect(page.Locator("#trace-rows tr").First).ToBeVisibleAsync();
            return (page, problems);
        }

        /// <summary>The tree shows exactly these spans in this order, at these levels, the marked ones as where a loop is broken.</summary>
        private static async Task ExpectTreeAsync(ILocator rows, params (string Name, int Level, bool LoopMarked)[] expected)
        {
            await Expect(rows).ToHaveCountAsync(expected.Length);
            for (var i = 0; i < expected.Length; i++)
            {
                var (name, level, looped) = expected[i];
                await Expect(rows.Nth(i).Locator(".span-name")).ToHaveTextAsync((looped ? "↻" : level == 1 ? "●" : string.Empty) + name);
                await Expect(rows.Nth(i)).ToHaveAttributeAsync("aria-level", level.ToString(System.Globalization.CultureInfo.InvariantCulture));
                if (looped)
                {
                    await Expect(rows.Nth(i)).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("\\blooped\\b"));
                }
                else
                {
                    await Expect(rows.Nth(i)).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("\\blooped\\b"));
                }
            }
        }
    }
}
