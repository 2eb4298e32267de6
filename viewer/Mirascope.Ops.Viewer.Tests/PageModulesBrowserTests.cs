using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Mirascope.Ops.Viewer.Tests
{
    /// <summary>
    /// The page is ES modules with no build step (wwwroot/app.js imports views/ and shared/): each is served with a
    /// JavaScript type under the page's Content-Security-Policy, and every view opened fresh loads them all without a
    /// console error.
    /// </summary>
    public sealed class PageModulesBrowserTests
    {
        [Fact]
        public async Task Every_page_module_loads_without_a_console_error_on_every_view()
        {
            await using var viewer = await RunningViewer.StartAsync();
            await FunctionFiguresTests.SeedAsync(viewer);
            var wwwroot = Path.Combine(SourceFiles.ViewerFolder, "wwwroot");
            var modules = Directory.GetFiles(wwwroot, "*.js", SearchOption.AllDirectories)
                .Select(f => "/" + Path.GetRelativePath(wwwroot, f).Replace('\\', '/'))
                .OrderBy(p => p, StringComparer.Ordinal).ToList();
            Assert.Contains("/app.js", modules);
            Assert.Contains("/views/trace.js", modules);

            foreach (var module in modules)
            {
                using var response = await viewer.Http.GetAsync(module.TrimStart('/'));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
            }

            await using var browser = await HeadlessChromium.StartAsync();
            var views = new (string Hash, string Section, string Shown)[]
            {
                ("#/", "#list-view", $"#trace-rows tr[data-trace-id='{RichSpans.TraceId("r2")}']"),
                ("#/trace/" + RichSpans.TraceId("r2"), "#trace-view", "#waterfall [role=treeitem]"),
                ("#/functions", "#functions-view", "#function-rows tr[data-function='Recommend']"),
                ("#/function/Recommend", "#function-view", "#version-trace-rows tr"),
                ("#/dashboard", "#dashboard-view", "#card-traces"),
                ("#/queue/Recommend", "#queue-view", "#waterfall [role=treeitem]"),
            };
            foreach (var (hash, section, shown) in views)
            {
                var (page, problems) = await BrowserPage.OpenAsync(browser, viewer.Address + hash);
                await Expect(page.Locator(section)).ToBeVisibleAsync();
                await Expect(page.Locator(shown).First).ToBeVisibleAsync();
                await Expect(page.Locator("#loading")).ToBeHiddenAsync();

                var loaded = (await page.EvaluateAsync<string[]>(
                        "() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((p) => p.endsWith('.js'))"))
                    .Distinct().OrderBy(p => p, StringComparer.Ordinal).ToList();
                Assert.Equal(modules, loaded);
                Assert.True(problems.Count == 0, hash + ": " + string.Join("; ", problems));

                // Both trace tables get the one column head of index.html's <template>.
                await Expect(page.Locator("#traces thead th")).ToHaveCountAsync(9);
                await Expect(page.Locator("#version-trace-rows").Locator("xpath=..").Locator("thead th")).ToHaveCountAsync(9);
                await page.CloseAsync();
            }
        }
    }
}
