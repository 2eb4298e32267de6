using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mirascope.Ops.Viewer.Tests.Infrastructure
{
    /// <summary>A 1366×768 page in the headless Chromium that records every console error, page error and failed request.</summary>
    internal static class BrowserPage
    {
        public static async Task<(IPage Page, List<string> Problems)> OpenAsync(HeadlessChromium browser, string url)
        {
            var page = await browser.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 768 } });
            SetDefaultExpectTimeout(20_000);   // CI runs every test project at once on two cores
            var problems = new List<string>();
            page.Console += (_, message) =>
            {
                if (message.Type is "error" or "warning")
                {
                    problems.Add(message.Text);
                }
            };
            page.PageError += (_, error) => problems.Add(error);
            page.RequestFailed += (_, request) => problems.Add("request failed: " + request.Url);
            await page.GotoAsync(url);
            return (page, problems);
        }
    }
}
