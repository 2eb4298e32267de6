using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using Mirascope.Ops.Viewer.Access;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests.Security
{
    /// <summary>
    /// One access rule for the whole viewer, checked for every route of the app's own route table: with a key nothing
    /// answers without it (the page: its sign-in form), the key or the page's cookie opens everything, and no other origin
    /// can write, with or without a key.
    /// </summary>
    public sealed class AccessTests
    {
        private const string Key = "route-table-key";
        private const string OtherOrigin = "http://evil.example";

        [Fact]
        public async Task With_a_key_every_route_refuses_a_request_without_it_and_answers_one_with_it()
        {
            await using var viewer = await RunningViewer.StartAsync(o => o.ApiKey = Key);
            var seeded = await RouteTable.SeedAsync(viewer);
            var routes = RouteTable.Of(viewer);
            var before = viewer.Store.Count();

            // Only the sign-in form and the key exchange are open; everything else needs the key.
            Assert.Equal(new[] { "GET /login", "POST /login" }, routes.Where(r => r.Rule == AccessRule.SignIn).Select(r => r.ToString()));
            Assert.True(routes.Count(r => r.Rule != AccessRule.SignIn) >= 30, "the route table has " + routes.Count + " routes");

            var refused = new List<string>();
            foreach (var route in routes.Where(r => r.Rule != AccessRule.SignIn))
            {
                foreach (var (what, credentials) in new (string, Action<HttpRequestMessage>)[]
                {
                    ("no key", _ => { }),
                    ("a wrong X-API-Key", r => r.Headers.Add("X-API-Key", "guess")),
                    ("a wrong Bearer key", r => r.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Key + "x")),
                    ("a forged session cookie", r => r.Headers.Add("Cookie", PageSession.CookieName + "=forged")),
                })
                {
                    using var request = RouteTable.Request(route, seeded, "refused", credentials);
                    using var response = await viewer.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                    var text = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode != HttpStatusCode.Unauthorized)
                    {
                        refused.Add($"{route} with {what}: {(int)response.StatusCode} {text[..Math.Min(200, text.Length)]}");
                    }
                    else if (route.Pattern == "/" && route.Method == "GET")
                    {
                        Assert.Contains("<form method=\"post\" action=\"/login\">", text);   // the page answers with its sign-in form
                    }

                    Assert.DoesNotContain(Key, text);
                }
            }

            Assert.True(refused.Count == 0, "answered without the key:\n" + string.Join("\n", refused));
            Assert.Equal(before, viewer.Store.Count());

            // With the key every route answers 2xx (a redirect followed): reads first, deletes last. A write this test has no
            // sample request for (a route added later) must at least not be refused or fail.
            var answered = new List<string>();
            var order = routes.Where(r => r.Rule != AccessRule.SignIn).OrderBy(r => r.Method switch { "GET" => 0, "DELETE" => 2, _ => 1 }).ToList();
            foreach (var route in order)
            {
                using var request = RouteTable.Request(route, seeded, "allowed", r => r.Headers.Add("X-API-Key", Key));
                using var response = await viewer.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                var status = (int)response.StatusCode;
                var known = !route.Writes || route.Method == "DELETE" || RouteTable.Body(route, seeded, "allowed") is not null || route.Pattern == "/logout";
                var ok = known ? status is >= 200 and < 300 : status is not (401 or 403) and < 500;
                if (!ok)
                {
                    answered.Add($"{route}: {status} {await response.Content.ReadAsStringAsync()}");
                }
            }

            Assert.True(answered.Count == 0, "with the key:\n" + string.Join("\n", answered));
        }

        [Fact]
        public async Task The_page_signs_in_once_for_an_HttpOnly_SameSite_Strict_cookie_that_opens_every_read_and_writes_only_from_its_own_origin()
        {
            await using var viewer = await RunningViewer.StartAsync(o => o.ApiKey = Key);
            var seeded = await RouteTable.SeedAsync(viewer);
            var origin = viewer.Address.GetLeftPart(UriPartial.Authority);
            using var browser = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = viewer.Address };

            using (var page = await browser.GetAsync("/"))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, page.StatusCode);
                Assert.Contains("name=\"key\"", await page.Content.ReadAsStringAsync());
            }

            using (var wrong = await browser.SendAsync(SignIn(origin, "not-it")))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
                Assert.False(wrong.Headers.Contains("Set-Cookie"));
            }

            string cookie;
            using (var signedIn = await browser.SendAsync(SignIn(origin, Key)))
            {
                Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
                Assert.Equal("/", signedIn.Headers.Location?.ToString());
                var setCookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"));
                Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
                Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(Key, setCookie);
                cookie = setCookie.Split(';')[0];
            }

            // Every read the page (or anything) can make answers with the cookie alone.
            foreach (var route in RouteTable.Of(viewer).Where(r => r.Rule != AccessRule.SignIn && !r.Writes))
            {
                using var request = RouteTable.Request(route, seeded, "page", r => r.Headers.Add("Cookie", cookie));
                using var response = await browser.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                Assert.True((int)response.StatusCode is >= 200 and < 400, $"{route} with the page's cookie: {(int)response.StatusCode}");
            }

            // A write with the cookie: from the page's own origin it is stored; from another origin, or with no origin, it is refused.
            HttpRequestMessage Annotate(string? from, string? fetchSite)
            {
                var request = new HttpRequestMessage(HttpMethod.Post, "api/annotations")
                {
                    Content = new StringContent($@"{{""otelSpanId"":""{seeded.SpanId}"",""otelTraceId"":""{seeded.TraceId}"",""label"":""fail""}}", Encoding.UTF8, "application/json"),
                };
                request.Headers.Add("Cookie", cookie);
                if (from is not null)
                {
                    request.Headers.Add("Origin", from);
                }

                if (fetchSite is not null)
                {
                    request.Headers.Add("Sec-Fetch-Site", fetchSite);
                }

                return request;
            }

            foreach (var (from, site) in new (string?, string?)[] { (OtherOrigin, "cross-site"), (null, null), (origin, "same-site"), ("null", null), (origin.Replace("127.0.0.1", "localhost"), null) })
            {
                using var response = await browser.SendAsync(Annotate(from, site));
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"Origin {from ?? "(none)"}, Sec-Fetch-Site {site ?? "(none)"}: {(int)response.StatusCode}");
            }

            Assert.Equal(2, (await viewer.GetJsonAsync("api/v2/annotations")).GetProperty("total").GetInt32());   // the seeded ones only
            using (var own = await browser.SendAsync(Annotate(origin, "same-origin")))
            {
                Assert.Equal(HttpStatusCode.OK, own.StatusCode);
            }

            Assert.Equal(3, (await viewer.GetJsonAsync("api/v2/annotations")).GetProperty("total").GetInt32());
        }

        [Theory]
        [InlineData(null)]
        [InlineData(Key)]
        public async Task No_route_that_changes_data_accepts_a_request_from_another_origin(string? key)
        {
            await using var viewer = await RunningViewer.StartAsync(o => o.ApiKey = key);
            var seeded = await RouteTable.SeedAsync(viewer);
            var before = viewer.Store.Count();
            var functions = (await viewer.GetJsonAsync("api/v2/functions")).GetProperty("total").GetInt32();
            var annotations = (await viewer.GetJsonAsync("api/v2/annotations")).GetProperty("total").GetInt32();

            var written = new List<string>();
            foreach (var route in RouteTable.Of(viewer).Where(r => r.Writes))
            {
                // As a form or fetch on another site would send it (a form's text/plain body included), even with the key.
                foreach (var contentType in new[] { "application/json", "text/plain" })
                {
                    using var request = RouteTable.Request(route, seeded, "cross-" + contentType.Length, r =>
                    {
                        r.Headers.Add("Origin", OtherOrigin);
                        r.Headers.Add("Sec-Fetch-Site", "cross-site");
                        if (key is not null)
                        {
                            r.Headers.Add("X-API-Key", key);
                        }

                        r.Content!.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
                    });
                    using var response = await viewer.Http.SendAsync(request);
                    if (response.StatusCode != HttpStatusCode.Forbidden)
                    {
                        written.Add($"{route} ({contentType}): {(int)response.StatusCode}");
                    }
                }
            }

            Assert.True(written.Count == 0, "accepted from another origin:\n" + string.Join("\n", written));
            Assert.Equal(before, viewer.Store.Count());
            Assert.Equal(functions, (await viewer.GetJsonAsync("api/v2/functions")).GetProperty("total").GetInt32());
            Assert.Equal(annotations, (await viewer.GetJsonAsync("api/v2/annotations")).GetProperty("total").GetInt32());
        }

        [Fact]
        public async Task Every_route_of_the_viewer_declares_its_access_rule_on_itself()
        {
            await using var viewer = await RunningViewer.StartAsync();

            var undeclared = RouteTable.Of(viewer).Where(r => r.Endpoint.Metadata.GetMetadata<AccessRule>() is null).Select(r => r.ToString()).ToList();

            Assert.True(undeclared.Count == 0, "routes without .Access(AccessRule…): " + string.Join(", ", undeclared));
        }

        [Fact]
        public async Task A_route_added_without_a_rule_needs_the_key()
        {
            await using var viewer = await RunningViewer.StartAsync(o => o.ApiKey = Key, extraRoutes: app =>
                Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions.MapGet(app, "/api/added-later", () => "secret data"));

            using var without = await viewer.Http.GetAsync("api/added-later");
            var with = await viewer.GetWithKeyAsync("api/added-later");

            Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
            Assert.Equal(HttpStatusCode.OK, with.StatusCode);
        }

        [Fact]
        public async Task Without_a_key_the_viewer_says_at_start_that_anyone_on_this_machine_can_read_and_change_it()
        {
            var data = TestStore.NewLocation(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mirascope-viewer-tests", Guid.NewGuid().ToString("N")));
            var (open, _) = await ViewerProcess.StartAsync("--port", "0", "--store", data);
            using (open)
            {
                Assert.Contains("anyone on this machine can read and change everything in this viewer", open.Output);
            }

            var (keyed, _) = await ViewerProcess.StartAsync("--port", "0", "--store", data, "--api-key", Key);
            using (keyed)
            {
                Assert.DoesNotContain("anyone on this machine", keyed.Output);
                Assert.DoesNotContain(Key, keyed.Output);
            }
        }

        private static HttpRequestMessage SignIn(string origin, string key)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "login")
            {
                Content = new FormUrlEncodedContent(new[] { new KeyValuePair<string, string>("key", key) }),
            };
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Sec-Fetch-Site", "same-origin");
            return request;
        }
    }
}
