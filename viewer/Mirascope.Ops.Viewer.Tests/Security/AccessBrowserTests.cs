using System;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Mirascope.Ops.Viewer.Tests.Security
{
    /// <summary>A viewer with a key in a real Chromium: the page signs in once and annotates; a page of another origin cannot write.</summary>
    public sealed class AccessBrowserTests
    {
        private const string Key = "browser-key";

        [Fact]
        public async Task With_a_key_the_page_signs_in_once_and_annotates_and_a_form_and_fetch_of_another_origin_write_nothing()
        {
            await using var viewer = await RunningViewer.StartAsync(o => o.ApiKey = Key);
            await FunctionFiguresTests.SeedAsync(viewer);
            await using var browser = await HeadlessChromium.StartAsync();
            var (page, problems) = await BrowserPage.OpenAsync(browser, viewer.Address.ToString());

            // Without the session the page is its sign-in form; a wrong key says so; the right one opens the page.
            await page.Locator("#key").FillAsync("wrong");
            await page.Locator("button[type=submit]").ClickAsync();
            await Expect(page.Locator("#problem")).ToHaveTextAsync("That is not this viewer's key.");
            await page.Locator("#key").FillAsync(Key);
            await page.Locator("button[type=submit]").ClickAsync();
            await Expect(page.Locator("#live")).ToHaveTextAsync("live");   // the page and its event stream, with the cookie
            var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == Mirascope.Ops.Viewer.Access.PageSession.CookieName);
            Assert.True(cookie.HttpOnly);
            Assert.Equal(Microsoft.Playwright.SameSiteAttribute.Strict, cookie.SameSite);
            problems.Clear();   // the 401s before signing in are logged as console errors

            // Annotating from the page works after signing in.
            await page.GotoAsync(viewer.Address + "#/trace/" + RichSpans.TraceId("r2"));
            await Expect(page.Locator("#trace-title")).ToHaveTextAsync("Shop.Recommend");
            await page.Keyboard.PressAsync("ArrowDown");
            await Expect(page.Locator("#details h3")).ToHaveTextAsync("chat gpt-4o-mini");
            await page.Keyboard.PressAsync("p");
            await Expect(page.Locator("#annotation-status")).ToHaveTextAsync("Saved: pass.");
            Assert.Equal(1, (await viewer.GetJsonAsync("api/v2/annotations?otelTraceId=" + RichSpans.TraceId("r2"))).GetProperty("total").GetInt32());
            Assert.Empty(problems);

            // When the session ends (here: the cookie is gone), the page's next request sends it to the sign-in form, and
            // signing in again brings it back to the view it was on.
            await page.Context.ClearCookiesAsync();
            await page.GotoAsync(viewer.Address + "login");
            await page.Locator("#key").FillAsync(Key);
            await page.Locator("button[type=submit]").ClickAsync();
            await Expect(page.Locator("#live")).ToHaveTextAsync("live");
            await page.EvaluateAsync("location.hash = '#/trace/" + RichSpans.TraceId("r1") + "'");
            await Expect(page.Locator("#trace-title")).Not.ToBeEmptyAsync();
            await page.Context.ClearCookiesAsync();
            await page.EvaluateAsync("location.hash = '#/trace/" + RichSpans.TraceId("r2") + "'");   // a request of the running page: 401
            await Expect(page.Locator("#key")).ToBeVisibleAsync();
            await page.Locator("#key").FillAsync(Key);
            await page.Locator("button[type=submit]").ClickAsync();
            await Expect(page.Locator("#trace-title")).ToHaveTextAsync("Shop.Recommend");
            Assert.EndsWith("#/trace/" + RichSpans.TraceId("r2"), page.Url);
            problems.Clear();   // the 401 that ended the session is logged as a console error

            // Another origin on this machine (another loopback port: same site, so the Strict cookie is sent) tries a
            // text/plain form, a no-cors fetch and a JSON fetch; none writes.
            var body = $@"{{""otelSpanId"":""{RichSpans.SpanId(1)}"",""otelTraceId"":""{RichSpans.TraceId("r1")}"",""label"":""fail""}}";
            var target = viewer.Address + "api/annotations";
            await using var attacker = await AttackerPageAsync($@"<!doctype html><html><body>
<form id=""f"" method=""post"" action=""{target}"" enctype=""text/plain""><input type=""hidden"" name='{body[..^1]},""x"":""' value='""}}'></form>
<p id=""done""></p>
<script>
  const sent = [];
  sent.push(fetch({System.Text.Json.JsonSerializer.Serialize(target)}, {{ method: 'POST', mode: 'no-cors', credentials: 'include', headers: {{ 'Content-Type': 'text/plain' }}, body: {System.Text.Json.JsonSerializer.Serialize(body)} }}).catch(() => null));
  sent.push(fetch({System.Text.Json.JsonSerializer.Serialize(target)}, {{ method: 'POST', credentials: 'include', headers: {{ 'Content-Type': 'application/json' }}, body: {System.Text.Json.JsonSerializer.Serialize(body)} }}).catch(() => null));
  Promise.all(sent).then(() => {{ document.getElementById('done').textContent = 'sent'; }});
</script></body></html>");
            await page.GotoAsync(attacker.Url);
            await Expect(page.Locator("#done")).ToHaveTextAsync("sent");
            var answered = await page.RunAndWaitForResponseAsync(() => page.EvaluateAsync("document.getElementById('f').submit()"),
                response => response.Url == target && response.Request.Method == "POST");
            Assert.Equal((int)HttpStatusCode.Forbidden, answered.Status);
            Assert.Equal(0, (await viewer.GetJsonAsync("api/v2/annotations?otelTraceId=" + RichSpans.TraceId("r1"))).GetProperty("total").GetInt32());
        }

        /// <summary>A page served from another loopback port: another origin, the same site.</summary>
        private static async Task<AttackerPage> AttackerPageAsync(string html)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
            builder.Logging.ClearProviders();
            var app = builder.Build();
            app.MapGet("/", () => Results.Content(html, "text/html; charset=utf-8"));
            await app.StartAsync();
            return new AttackerPage(app);
        }

        private sealed class AttackerPage : IAsyncDisposable
        {
            private readonly WebApplication _app;

            public AttackerPage(WebApplication app)
            {
                _app = app;
                Url = ViewerApp.Address(app).ToString();
            }

            public string Url { get; }

            public async ValueTask DisposeAsync()
            {
                await _app.StopAsync();
                await _app.DisposeAsync();
            }
        }
    }
}
