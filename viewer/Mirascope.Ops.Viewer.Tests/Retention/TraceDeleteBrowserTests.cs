using System;
using System.Threading.Tasks;
using Microsoft.Playwright;
using Mirascope.Ops.Viewer.Accounts;
using Mirascope.Ops.Viewer.Tests.Accounts;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Mirascope.Ops.Viewer.Tests.Retention
{
    /// <summary>The trace view's delete button in a real Chromium: shown to the project's ADMIN only, asks first, deletes.</summary>
    public sealed class TraceDeleteBrowserTests
    {
        [Fact]
        public async Task An_admin_deletes_a_trace_from_its_page_after_confirming_and_a_viewer_is_not_offered_the_button()
        {
            var team = await TeamViewer.StartAsync();
            await using var viewer = team.Viewer;
            var kept = RichSpans.TraceId("kept-in-page");
            var doomed = RichSpans.TraceId("deleted-from-page");
            foreach (var trace in new[] { kept, doomed })
            {
                await RichSpans.SendAsync(viewer, new RichSpan(trace, RichSpans.SpanId(1), null, "Shop.Checkout", FunctionFiguresTests.Base, 3));   // shop/production
            }

            await using var browser = await HeadlessChromium.StartAsync();
            var (asViewer, viewerProblems) = await SignInAsync(browser, viewer, "viewer@example.com");
            await asViewer.GotoAsync(viewer.Address + "#/trace/" + doomed);
            await Expect(asViewer.Locator("#trace-title")).ToHaveTextAsync("Shop.Checkout");
            await Expect(asViewer.Locator("#delete-trace")).ToBeHiddenAsync();
            Assert.Empty(viewerProblems);

            var (asAdmin, problems) = await SignInAsync(browser, viewer, "admin@example.com");
            await asAdmin.Locator("#environment-switcher").SelectOptionAsync(team.Production.Id);   // the admin also sees "other" first
            await Expect(asAdmin.Locator($"#trace-rows tr[data-trace-id='{doomed}']")).ToHaveCountAsync(1);
            await asAdmin.GotoAsync(viewer.Address + "#/trace/" + doomed);
            var button = asAdmin.Locator("#delete-trace");
            await Expect(button).ToBeVisibleAsync();

            string? asked = null;
            void Dismiss(object? sender, IDialog dialog) { asked = dialog.Message; _ = dialog.DismissAsync(); }
            asAdmin.Dialog += Dismiss;
            await button.ClickAsync();
            Assert.Contains("Delete this trace", asked);
            Assert.Equal((2, 2), viewer.Store.Count());   // dismissed: nothing deleted
            asAdmin.Dialog -= Dismiss;

            asAdmin.Dialog += (_, dialog) => _ = dialog.AcceptAsync();
            await button.ClickAsync();
            await Expect(asAdmin.Locator($"#trace-rows tr[data-trace-id='{kept}']")).ToHaveCountAsync(1);   // back on the list
            await Expect(asAdmin.Locator($"#trace-rows tr[data-trace-id='{doomed}']")).ToHaveCountAsync(0);
            Assert.Equal((1, 1), viewer.Store.Count());
            Assert.Empty(problems);
        }

        private static async Task<(IPage Page, System.Collections.Generic.List<string> Problems)> SignInAsync(HeadlessChromium browser, RunningViewer viewer, string email)
        {
            var (page, problems) = await BrowserPage.OpenAsync(browser, viewer.Address.ToString());
            await page.Locator("#email").FillAsync(email);
            await page.Locator("#password").FillAsync(TeamViewer.Password);
            await page.Locator("button[type=submit]").ClickAsync();
            await Expect(page.Locator("#live")).ToHaveTextAsync("live");
            problems.Clear();   // the 401 before signing in is logged as a console error
            return (page, problems);
        }
    }
}
