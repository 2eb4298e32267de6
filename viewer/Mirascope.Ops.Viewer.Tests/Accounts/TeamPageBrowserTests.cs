using System;
using System.Linq;
using System.Threading.Tasks;
using Mirascope.Ops.Viewer.Accounts;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Mirascope.Ops.Viewer.Tests.Accounts
{
    /// <summary>Accounts mode in a real Chromium: sign in, switch project, see only that project's traces, make a key.</summary>
    public sealed class TeamPageBrowserTests
    {
        [Fact]
        public async Task A_person_signs_in_switches_project_and_sees_only_that_projects_traces_and_a_new_key_once()
        {
            var team = await TeamViewer.StartAsync();
            await using var viewer = team.Viewer;
            var shopTrace = RichSpans.TraceId("shop-trace");
            var otherTrace = RichSpans.TraceId("other-trace");
            using (var shop = await CloudIngestTests.PostAsync(viewer, RichSpans.Build(new RichSpan(shopTrace, RichSpans.SpanId(1), null, "Shop.Checkout", FunctionFiguresTests.Base, 3)), key: team.Members[ProjectRole.Admin].Key))
            using (var other = await CloudIngestTests.PostAsync(viewer, RichSpans.Build(new RichSpan(otherTrace, RichSpans.SpanId(1), null, "Other.Work", FunctionFiguresTests.Base, 3)), key: team.OutsiderKey))
            {
                Assert.True(shop.IsSuccessStatusCode && other.IsSuccessStatusCode);
            }

            await using var browser = await HeadlessChromium.StartAsync();
            var (page, problems) = await BrowserPage.OpenAsync(browser, viewer.Address.ToString());
            await page.Locator("#email").FillAsync("admin@example.com");
            await page.Locator("#password").FillAsync("not the password");
            await page.Locator("button[type=submit]").ClickAsync();
            await Expect(page.Locator("#problem")).ToHaveTextAsync(Mirascope.Ops.Viewer.Access.AccountSignIn.WrongCredentials);
            await page.Locator("#email").FillAsync("admin@example.com");
            await page.Locator("#password").FillAsync(TeamViewer.Password);
            await page.Locator("button[type=submit]").ClickAsync();
            await Expect(page.Locator("#live")).ToHaveTextAsync("live");
            problems.Clear();   // the 401s before signing in are logged as console errors

            // The admin owns the organization, so both projects are listed; "other" comes first and is shown first.
            var switcher = page.Locator("#environment-switcher");
            await Expect(switcher.Locator("option")).ToHaveCountAsync(3);
            await Expect(page.Locator($"#trace-rows tr[data-trace-id='{otherTrace}']")).ToHaveCountAsync(1);
            await Expect(page.Locator($"#trace-rows tr[data-trace-id='{shopTrace}']")).ToHaveCountAsync(0);

            await switcher.SelectOptionAsync(team.Production.Id);   // shop / production: the page reloads in it
            await Expect(page.Locator($"#trace-rows tr[data-trace-id='{shopTrace}']")).ToHaveCountAsync(1);
            await Expect(page.Locator($"#trace-rows tr[data-trace-id='{otherTrace}']")).ToHaveCountAsync(0);
            await Expect(page.Locator("#trace-rows tr")).ToHaveCountAsync(1);

            await page.Locator("#settings-button").ClickAsync();
            await Expect(page.Locator("#key-rows tr")).ToHaveCountAsync(4);   // the four members' keys of shop
            const int keysBefore = 4;
            await page.Locator("#new-key-form input[name=name]").FillAsync("from the page");
            await page.Locator("#new-key-form button[type=submit]").ClickAsync();
            var shown = page.Locator("#new-key");
            await Expect(shown).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^mk_[A-Za-z0-9_-]{43}$"));
            var key = await shown.TextContentAsync();
            await Expect(page.Locator("#key-rows tr")).ToHaveCountAsync(keysBefore + 1);
            Assert.DoesNotContain(key!, await page.Locator("#key-rows").InnerTextAsync());   // listed by its prefix only
            Assert.Equal(team.Production.Id, team.Accounts.FindKey(key!)!.EnvironmentId);
            Assert.Empty(problems);
        }
    }
}
