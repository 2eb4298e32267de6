using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Mirascope.Ops.Viewer.Access;
using Mirascope.Ops.Viewer.Accounts;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests.Accounts
{
    /// <summary>Accounts mode over HTTP: every route of the app's route table per role, foreign and unknown resources, keys, sign-in.</summary>
    public sealed class AccountsAccessTests
    {
        private static readonly ProjectRole[] Roles = { ProjectRole.Viewer, ProjectRole.Annotator, ProjectRole.Developer, ProjectRole.Admin };

        [Fact]
        public async Task Every_route_answers_each_role_as_its_rule_says_allowed_or_403()
        {
            var team = await TeamViewer.StartAsync();
            await using var viewer = team.Viewer;
            var seeded = await RouteTable.SeedAsync(viewer);
            var routes = RouteTable.Of(viewer).Where(r => r.Rule != AccessRule.SignIn).ToList();
            Assert.Contains(routes, r => r.Pattern == "/api/admin/environments/{environmentId}/keys");
            Assert.All(routes, r => Assert.NotNull(r.Endpoint.Metadata.GetMetadata<AccessRule>()));   // every route declares its rule

            var wrong = new List<string>();
            var checkedCount = 0;
            foreach (var route in routes.OrderBy(r => r.Method switch { "GET" => 0, "DELETE" => 2, _ => 1 }).ThenBy(r => r.Pattern, StringComparer.Ordinal))
            {
                foreach (var role in Roles)
                {
                    var throwaway = team.Accounts.CreateKey(team.Production.Id, "throwaway", team.Members[ProjectRole.Admin].User.Id, DateTimeOffset.UtcNow).Record;
                    var expected = Allowed(route.Rule, role);
                    using var request = RouteTable.Request(route, seeded, "role-" + ProjectRoles.Name(role) + "-" + Guid.NewGuid().ToString("N")[..8],
                        r => r.Headers.Add("X-API-Key", team.Members[role].Key));
                    request.RequestUri = new Uri(AdminPath(request.RequestUri?.ToString() ?? string.Empty, team, throwaway.Id), UriKind.Relative);
                    if (AdminBody(route, role) is { } body)
                    {
                        request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                    }

                    using var response = await viewer.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                    // The event stream never ends: its headers say enough (an allowed stream is 200 text/event-stream).
                    var text = response.Content.Headers.ContentType?.MediaType == "text/event-stream" ? string.Empty : await response.Content.ReadAsStringAsync();
                    var refused = IsAccessRefusal(response.StatusCode, text);
                    checkedCount++;
                    if (expected && (refused || (int)response.StatusCode >= 500))
                    {
                        wrong.Add($"{route} as {role}: expected allowed, got {(int)response.StatusCode} {text[..Math.Min(160, text.Length)]}");
                    }
                    else if (!expected && response.StatusCode != HttpStatusCode.Forbidden)
                    {
                        wrong.Add($"{route} as {role}: expected 403, got {(int)response.StatusCode} {text[..Math.Min(160, text.Length)]}");
                    }
                }
            }

            Assert.True(wrong.Count == 0, string.Join("\n", wrong));
            Assert.True(checkedCount >= 4 * 35, "checked " + checkedCount);
        }

        [Fact]
        public async Task A_project_environment_or_key_that_is_not_yours_is_404_exactly_like_one_that_does_not_exist()
        {
            var team = await TeamViewer.StartAsync();
            await using var viewer = team.Viewer;
            var otherKey = team.Accounts.CreateKey(team.OtherProduction.Id, "theirs", team.Outsider.Id, DateTimeOffset.UtcNow).Record;
            var routes = RouteTable.Of(viewer).Where(r => r.RouteParameters.Any(p => p is "projectId" or "environmentId" or "keyId")).ToList();
            Assert.True(routes.Count >= 6);

            var wrong = new List<string>();
            foreach (var route in routes)
            {
                var bodies = new List<string>();
                foreach (var (what, ids) in new (string, Func<string, string>)[]
                {
                    ("another project's", p => p switch { "projectId" => team.Other.Id, "environmentId" => team.OtherProduction.Id, _ => otherKey.Id }),
                    ("an unknown", _ => Guid.NewGuid().ToString()),
                })
                {
                    foreach (var role in Roles)
                    {
                        using var request = new HttpRequestMessage(new HttpMethod(route.Method), route.Path(ids));
                        request.Headers.Add("X-API-Key", team.Members[role].Key);
                        if (route.Writes)
                        {
                            request.Content = new StringContent(@"{""name"":""x"",""email"":""x@example.com"",""role"":""VIEWER""}", Encoding.UTF8, "application/json");
                        }

                        using var response = await viewer.Http.SendAsync(request);
                        var text = await response.Content.ReadAsStringAsync();
                        bodies.Add(text);
                        if (response.StatusCode != HttpStatusCode.NotFound)
                        {
                            wrong.Add($"{route} with {what} id as {role}: {(int)response.StatusCode} {text}");
                        }
                    }
                }

                Assert.Single(bodies.Distinct());   // the same answer whether the resource exists elsewhere or not at all
            }

            Assert.True(wrong.Count == 0, string.Join("\n", wrong));
            Assert.Null(team.Accounts.GetKey(otherKey.Id)!.RevokedMs);
        }

        [Fact]
        public async Task A_key_is_shown_once_at_creation_listed_by_prefix_and_refused_with_401_once_revoked()
        {
            var team = await TeamViewer.StartAsync();
            await using var viewer = team.Viewer;
            var admin = team.Members[ProjectRole.Admin].Key;

            using var created = await Send(viewer, HttpMethod.Post, $"api/admin/environments/{team.Staging.Id}/keys", admin, @"{""name"":""ci""}");
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var answer = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
            var key = answer.GetProperty("key").GetString()!;
            var id = answer.GetProperty("id").GetString()!;
            Assert.Equal(key[..10] + "...", answer.GetProperty("prefix").GetString());

            using (var listed = await Send(viewer, HttpMethod.Get, $"api/admin/projects/{team.Shop.Id}/keys", admin))
            {
                var text = await listed.Content.ReadAsStringAsync();
                Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
                Assert.Contains(key[..10] + "...", text);
                Assert.DoesNotContain(key, text);
                Assert.DoesNotContain("\"key\"", text);
            }

            using (var works = await Send(viewer, HttpMethod.Get, "api/v2/functions", key))
            {
                Assert.Equal(HttpStatusCode.OK, works.StatusCode);
            }

            using (var revoked = await Send(viewer, HttpMethod.Delete, $"api/admin/keys/{id}", admin))
            {
                Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
            }

            using var refused = await Send(viewer, HttpMethod.Get, "api/v2/functions", key);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Contains(AccountAccess.InvalidKeyMessage, await refused.Content.ReadAsStringAsync());
            using var unknown = await Send(viewer, HttpMethod.Get, "api/v2/functions", "mk_" + new string('a', 43));
            Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        }

        [Fact]
        public async Task A_person_signs_in_with_email_and_password_for_an_HttpOnly_SameSite_Strict_session_that_sign_out_ends_everywhere()
        {
            var team = await TeamViewer.StartAsync();
            await using var viewer = team.Viewer;
            var origin = viewer.Address.GetLeftPart(UriPartial.Authority);
            using var browser = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = viewer.Address };

            using (var page = await browser.GetAsync("/"))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, page.StatusCode);
                var form = await page.Content.ReadAsStringAsync();
                Assert.Contains("name=\"email\"", form);
                Assert.Contains("name=\"password\"", form);
            }

            foreach (var (email, password) in new[] { ("viewer@example.com", "wrong password!!"), ("nobody@example.com", TeamViewer.Password) })
            {
                using var wrong = await browser.SendAsync(SignIn(origin, email, password));
                Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
                Assert.Contains(System.Net.WebUtility.HtmlEncode(AccountSignIn.WrongCredentials), await wrong.Content.ReadAsStringAsync());
                Assert.False(wrong.Headers.Contains("Set-Cookie"));
            }

            string cookie;
            using (var signedIn = await browser.SendAsync(SignIn(origin, "Viewer@Example.com", TeamViewer.Password)))
            {
                Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
                var setCookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"));
                Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
                Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
                cookie = setCookie.Split(';')[0];
            }

            using (var account = await WithCookie(browser, HttpMethod.Get, "api/account", cookie, origin))
            {
                var json = JsonDocument.Parse(await account.Content.ReadAsStringAsync()).RootElement;
                Assert.True(json.GetProperty("accounts").GetBoolean());
                var project = Assert.Single(json.GetProperty("projects").EnumerateArray());
                Assert.Equal("shop", project.GetProperty("name").GetString());
                Assert.Equal("VIEWER", project.GetProperty("role").GetString());
                Assert.Equal(team.Production.Id, json.GetProperty("environmentId").GetString());
            }

            using (var read = await WithCookie(browser, HttpMethod.Get, "api/traces", cookie, origin))
            {
                Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            }

            using (var write = await WithCookie(browser, HttpMethod.Post, "api/v2/functions", cookie, origin, FunctionEndpointTests.CreateBody("F", "h", "s")))
            {
                Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);   // a VIEWER reads only
            }

            using (var elsewhere = await WithCookie(browser, HttpMethod.Get, "api/traces", cookie, origin, environment: team.OtherProduction.Id))
            {
                Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);   // a project they are not in
            }

            using (var signOut = await WithCookie(browser, HttpMethod.Post, "logout", cookie, origin))
            {
                Assert.True((int)signOut.StatusCode is >= 300 and < 400, "sign-out answered " + signOut.StatusCode);
            }

            using var after = await WithCookie(browser, HttpMethod.Get, "api/traces", cookie, origin);
            Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);   // the session is gone from the store, not just from this browser
        }

        [Fact]
        public async Task A_cookie_write_from_another_origin_or_without_one_is_refused_in_accounts_mode_too()
        {
            var team = await TeamViewer.StartAsync();
            await using var viewer = team.Viewer;
            var origin = viewer.Address.GetLeftPart(UriPartial.Authority);
            using var browser = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = viewer.Address };
            using var signedIn = await browser.SendAsync(SignIn(origin, "developer@example.com", TeamViewer.Password));
            var cookie = signedIn.Headers.GetValues("Set-Cookie").Single().Split(';')[0];

            using (var ok = await WithCookie(browser, HttpMethod.Post, "api/v2/functions", cookie, origin, FunctionEndpointTests.CreateBody("F", "h1", "s")))
            {
                Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            }

            using (var foreign = await WithCookie(browser, HttpMethod.Post, "api/v2/functions", cookie, "https://evil.example", FunctionEndpointTests.CreateBody("F", "h2", "s")))
            {
                Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
            }

            using var none = await WithCookie(browser, HttpMethod.Post, "api/v2/functions", cookie, origin: null, FunctionEndpointTests.CreateBody("F", "h3", "s"));
            Assert.Equal(HttpStatusCode.Forbidden, none.StatusCode);
        }

        [Fact]
        public async Task A_public_origin_passes_the_host_check_and_is_the_pages_own_origin_for_writes()
        {
            var team = await TeamViewer.StartAsync(o => o.PublicOrigin = new Uri("https://ops.example.com"));
            await using var viewer = team.Viewer;
            using var browser = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = viewer.Address };
            using var signedIn = await browser.SendAsync(SignIn("https://ops.example.com", "developer@example.com", TeamViewer.Password));
            Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
            var setCookie = signedIn.Headers.GetValues("Set-Cookie").Single();
            Assert.Contains("secure", setCookie, StringComparison.OrdinalIgnoreCase);   // https public origin: the cookie travels over TLS only
            var cookie = setCookie.Split(';')[0];

            using (var proxied = new HttpRequestMessage(HttpMethod.Get, "api/traces"))
            {
                proxied.Headers.Host = "ops.example.com";
                proxied.Headers.Add("Cookie", cookie);
                using var answer = await browser.SendAsync(proxied);
                Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            }

            using (var rebound = new HttpRequestMessage(HttpMethod.Get, "api/traces"))
            {
                rebound.Headers.Host = "evil.example";
                using var answer = await browser.SendAsync(rebound);
                Assert.Equal(HttpStatusCode.MisdirectedRequest, answer.StatusCode);
            }

            using (var write = await WithCookie(browser, HttpMethod.Post, "api/v2/functions", cookie, "https://ops.example.com", FunctionEndpointTests.CreateBody("F", "po", "s")))
            {
                Assert.Equal(HttpStatusCode.OK, write.StatusCode);
            }

            using var foreign = await WithCookie(browser, HttpMethod.Post, "api/v2/functions", cookie, "https://ops.example.com.evil.example", FunctionEndpointTests.CreateBody("F", "po2", "s"));
            Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        }

        [Fact]
        public async Task Spans_land_in_the_keys_environment_and_another_environments_key_sees_that_trace_as_not_stored()
        {
            var team = await TeamViewer.StartAsync();
            await using var viewer = team.Viewer;
            var developer = team.Members[ProjectRole.Developer];
            var stagingKey = team.Accounts.CreateKey(team.Staging.Id, "staging", developer.User.Id, DateTimeOffset.UtcNow).Key;
            var trace = RichSpans.TraceId("environments");
            var body = RichSpans.Build(new RichSpan(trace, RichSpans.SpanId(1), null, "Shop.Checkout", FunctionFiguresTests.Base, 3));

            using (var stored = await CloudIngestTests.PostAsync(viewer, body, key: developer.Key))
            {
                Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
            }

            using (var connection = viewer.Store.Open())
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT DISTINCT environment_id FROM spans UNION ALL SELECT environment_id FROM traces";
                using var reader = command.ExecuteReader();
                var environments = new List<string>();
                while (reader.Read())
                {
                    environments.Add(reader.GetString(0));
                }

                Assert.Equal(new[] { team.Production.Id, team.Production.Id }, environments);
            }

            Assert.Contains(trace, await Text(viewer, "api/traces", developer.Key));
            using (var search = await Send(viewer, HttpMethod.Post, "api/v2/traces/search", developer.Key, @"{""startTime"":""2000-01-01T00:00:00Z"",""endTime"":""2100-01-01T00:00:00Z""}"))
            {
                Assert.Equal(1, JsonDocument.Parse(await search.Content.ReadAsStringAsync()).RootElement.GetProperty("spans").GetArrayLength());
            }

            Assert.Equal(1, JsonDocument.Parse(await Text(viewer, "api/v2/traces/analytics?startTime=2000-01-01T00:00:00Z&endTime=2100-01-01T00:00:00Z", developer.Key)).RootElement.GetProperty("totalSpans").GetInt64());
            Assert.Contains("Shop.Checkout", await Text(viewer, "api/traces/" + trace, developer.Key));
            foreach (var other in new[] { stagingKey, team.OutsiderKey })
            {
                Assert.DoesNotContain(trace, await Text(viewer, "api/traces", other));
                using (var detail = await Send(viewer, HttpMethod.Get, "api/traces/" + trace, other))
                {
                    Assert.Equal(HttpStatusCode.NotFound, detail.StatusCode);
                }

                var cloud = JsonDocument.Parse(await Text(viewer, "api/v2/traces/" + trace, other)).RootElement;
                Assert.Equal(0, cloud.GetProperty("spans").GetArrayLength());   // as the Cloud answered an unknown trace

                // The Cloud search and the analytics count only the caller's environment.
                using (var search = await Send(viewer, HttpMethod.Post, "api/v2/traces/search", other, @"{""startTime"":""2000-01-01T00:00:00Z"",""endTime"":""2100-01-01T00:00:00Z""}"))
                {
                    var found = await search.Content.ReadAsStringAsync();
                    Assert.True(JsonDocument.Parse(found).RootElement.GetProperty("spans").GetArrayLength() == 0, found);
                }

                var figures = JsonDocument.Parse(await Text(viewer, "api/v2/traces/analytics?startTime=2000-01-01T00:00:00Z&endTime=2100-01-01T00:00:00Z", other)).RootElement;
                Assert.Equal(0, figures.GetProperty("totalSpans").GetInt64());
            }

            // Another environment sending under the same trace id (W3C trace context across two services) neither adds to nor
            // overwrites this trace: its spans are its own trace of that id, answered as any batch is.
            var before = await Text(viewer, "api/traces/" + trace, developer.Key);
            var sameId = RichSpans.Build(new RichSpan(trace, RichSpans.SpanId(1), null, "Staging.Own", FunctionFiguresTests.Base, 3),
                new RichSpan(RichSpans.TraceId("innocent"), RichSpans.SpanId(1), null, "Other", FunctionFiguresTests.Base, 3));
            using (var stored = await CloudIngestTests.PostAsync(viewer, sameId, key: stagingKey))
            {
                Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
                Assert.Equal("{\"partialSuccess\":{}}", await stored.Content.ReadAsStringAsync());
            }

            Assert.Equal(before, await Text(viewer, "api/traces/" + trace, developer.Key));
            var staging = await Text(viewer, "api/traces/" + trace, stagingKey);
            Assert.Contains("Staging.Own", staging);
            Assert.DoesNotContain("Shop.Checkout", staging);
        }

        private static async Task<string> Text(RunningViewer viewer, string path, string key)
        {
            using var response = await Send(viewer, HttpMethod.Get, path, key);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
            return text;
        }

        /// <summary>True when <see cref="ViewerAccess"/> (not the endpoint) refused: 401, 403, or its own 404.</summary>
        internal static bool IsAccessRefusal(HttpStatusCode status, string body) =>
            status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
            || (status == HttpStatusCode.NotFound && body.Contains("\"message\":\"" + AccountAccess.NotFoundMessage + "\"", StringComparison.Ordinal));

        private static bool Allowed(AccessRule rule, ProjectRole role) =>
            rule.NeedsOwner ? role == ProjectRole.Admin : rule.Role is not { } needed || role >= needed;

        /// <summary>The admin routes' ids: the shop project, its production environment, a throwaway key of it.</summary>
        private static string AdminPath(string path, TeamViewer team, string keyId) => path
            .Replace("/projects/x/", "/projects/" + team.Shop.Id + "/", StringComparison.Ordinal)
            .Replace("/environments/x/", "/environments/" + team.Production.Id + "/", StringComparison.Ordinal)
            .Replace("/keys/x", "/keys/" + keyId, StringComparison.Ordinal);

        private static string? AdminBody(RouteCase route, ProjectRole role)
        {
            var unique = ProjectRoles.Name(role) + Guid.NewGuid().ToString("N")[..8];
            return (route.Method, route.Pattern) switch
            {
                ("POST", "/api/admin/projects") => $@"{{""name"":""p-{unique}""}}",
                ("POST", "/api/admin/projects/{projectId}/environments") => $@"{{""name"":""e-{unique}""}}",
                ("POST", "/api/admin/environments/{environmentId}/keys") => $@"{{""name"":""k-{unique}""}}",
                ("PUT", "/api/admin/projects/{projectId}/members") => $@"{{""email"":""m-{unique}@example.com"",""role"":""VIEWER"",""password"":""{TeamViewer.Password}""}}",
                _ => null,
            };
        }

        internal static HttpRequestMessage SignIn(string origin, string email, string password)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "login")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = email, ["password"] = password }),
            };
            request.Headers.Add("Origin", origin);
            return request;
        }

        private static Task<HttpResponseMessage> WithCookie(HttpClient browser, HttpMethod method, string path, string cookie, string? origin, string? json = null, string? environment = null)
        {
            var request = new HttpRequestMessage(method, path);
            request.Headers.Add("Cookie", cookie);
            if (origin is not null && method != HttpMethod.Get)
            {
                request.Headers.Add("Origin", origin);
            }

            if (environment is not null)
            {
                request.Headers.Add(EnvironmentSelection.Header, environment);
            }

            if (json is not null)
            {
                request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            }

            return browser.SendAsync(request);
        }

        private static Task<HttpResponseMessage> Send(RunningViewer viewer, HttpMethod method, string path, string key, string? json = null)
        {
            var request = new HttpRequestMessage(method, path);
            request.Headers.Add("X-API-Key", key);
            if (json is not null)
            {
                request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            }

            return viewer.Http.SendAsync(request);
        }
    }
}
