using System;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Mirascope.Ops.Viewer.Accounts;
using Mirascope.Ops.Viewer.Tests.Accounts;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests.Retention
{
    /// <summary><c>DELETE /api/traces/{traceId}</c> and <c>GET/PUT /api/retention</c> over HTTP, by role and by project.</summary>
    public sealed class TraceDeleteAndRetentionApiTests
    {
        [Fact]
        public async Task A_projects_admin_deletes_a_trace_with_its_annotations_a_developer_gets_403_and_another_project_404()
        {
            var team = await TeamViewer.StartAsync();
            await using var viewer = team.Viewer;
            var admin = team.Members[ProjectRole.Admin].Key;
            var trace = RichSpans.TraceId("to-delete");
            await RichSpans.SendAsync(viewer,   // with the shop ADMIN's key: shop/production
                new RichSpan(trace, RichSpans.SpanId(1), null, "Shop.Checkout", DateTime.UtcNow, 10),
                new RichSpan(trace, RichSpans.SpanId(2), RichSpans.SpanId(1), "chat", DateTime.UtcNow, 5));
            using (var annotated = await Send(viewer, HttpMethod.Post, "api/v2/annotations", admin, $@"{{""otelSpanId"":""{RichSpans.SpanId(2)}"",""otelTraceId"":""{trace}"",""label"":""pass""}}"))
            {
                Assert.Equal(HttpStatusCode.OK, annotated.StatusCode);
            }

            using var byDeveloper = await Send(viewer, HttpMethod.Delete, "api/traces/" + trace, team.Members[ProjectRole.Developer].Key);
            using var byOutsider = await Send(viewer, HttpMethod.Delete, "api/traces/" + trace, team.OutsiderKey);   // ADMIN, of another project
            Assert.Equal(HttpStatusCode.Forbidden, byDeveloper.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, byOutsider.StatusCode);
            Assert.Equal((1, 2), viewer.Store.Count());

            using var byAdmin = await Send(viewer, HttpMethod.Delete, "api/traces/" + trace, admin);
            using var again = await Send(viewer, HttpMethod.Delete, "api/traces/" + trace, admin);
            using var read = await Send(viewer, HttpMethod.Get, "api/traces/" + trace, admin);

            Assert.Equal(HttpStatusCode.NoContent, byAdmin.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
            Assert.Equal((0, 0), viewer.Store.Count());
            Assert.Equal(0, (await viewer.GetJsonAsync("api/v2/annotations")).GetProperty("total").GetInt32());
        }

        [Fact]
        public async Task In_single_developer_mode_deleting_a_trace_needs_the_viewers_key()
        {
            await using var viewer = await RunningViewer.StartAsync(o => o.ApiKey = "the-key");
            var trace = RichSpans.TraceId("single");
            await RichSpans.SendAsync(viewer, new RichSpan(trace, RichSpans.SpanId(1), null, "Main", DateTime.UtcNow, 1));

            using var withoutKey = await viewer.Http.DeleteAsync("api/traces/" + trace);
            Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
            Assert.Equal(1, viewer.Store.Count().Traces);

            using var withKey = await Send(viewer, HttpMethod.Delete, "api/traces/" + trace, "the-key");
            using var badId = await Send(viewer, HttpMethod.Delete, "api/traces/not-hex", "the-key");
            Assert.Equal(HttpStatusCode.NoContent, withKey.StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);
            Assert.Equal(0, viewer.Store.Count().Traces);
        }

        [Fact]
        public async Task A_projects_admin_sets_its_own_retention_limits_which_others_in_the_project_read_and_cannot_change()
        {
            var team = await TeamViewer.StartAsync(o => { o.RetentionAge = TimeSpan.FromDays(7); o.RetentionBytes = 1L << 30; });
            await using var viewer = team.Viewer;
            var admin = team.Members[ProjectRole.Admin].Key;
            var viewerKey = team.Members[ProjectRole.Viewer].Key;

            var before = await Json(await Send(viewer, HttpMethod.Get, "api/retention", viewerKey));
            Assert.True(before.GetProperty("defaults").GetBoolean());
            Assert.Equal(7, before.GetProperty("maxAgeDays").GetDouble());
            Assert.Equal(1L << 30, before.GetProperty("maxBytes").GetInt64());

            using var byDeveloper = await Send(viewer, HttpMethod.Put, "api/retention", team.Members[ProjectRole.Developer].Key, @"{""maxAgeDays"":1,""maxBytes"":null}");
            Assert.Equal(HttpStatusCode.Forbidden, byDeveloper.StatusCode);
            using var half = await Send(viewer, HttpMethod.Put, "api/retention", admin, @"{""maxAgeDays"":30}");
            Assert.Equal(HttpStatusCode.BadRequest, half.StatusCode);
            Assert.Contains("maxBytes", await half.Content.ReadAsStringAsync());
            using var negative = await Send(viewer, HttpMethod.Put, "api/retention", admin, @"{""maxAgeDays"":-1,""maxBytes"":null}");
            Assert.Equal(HttpStatusCode.BadRequest, negative.StatusCode);

            var set = await Json(await Send(viewer, HttpMethod.Put, "api/retention", admin, @"{""maxAgeDays"":30,""maxBytes"":null}"));
            Assert.False(set.GetProperty("defaults").GetBoolean());
            Assert.Equal(team.Shop.Id, set.GetProperty("projectId").GetString());
            var read = await Json(await Send(viewer, HttpMethod.Get, "api/retention", viewerKey));
            Assert.Equal(30, read.GetProperty("maxAgeDays").GetDouble());
            Assert.Equal(JsonValueKind.Null, read.GetProperty("maxBytes").ValueKind);
            var other = await Json(await Send(viewer, HttpMethod.Get, "api/retention", team.OutsiderKey));
            Assert.True(other.GetProperty("defaults").GetBoolean());   // the other project keeps the defaults

            var reset = await Json(await Send(viewer, HttpMethod.Put, "api/retention", admin, @"{""defaults"":true}"));
            Assert.True(reset.GetProperty("defaults").GetBoolean());
        }

        [Fact]
        public async Task Deleting_a_trace_and_retention_take_its_spans_out_of_the_dashboard_and_the_status_counts()
        {
            await using var viewer = await RunningViewer.StartAsync();
            const string Day = "api/analytics?startTime=2026-03-01T00:00:00Z&endTime=2026-03-02T00:00:00Z";
            var traces = new[] { RichSpans.TraceId("figures-1"), RichSpans.TraceId("figures-2"), RichSpans.TraceId("figures-3") };
            for (var i = 0; i < traces.Length; i++)
            {
                await RichSpans.SendAsync(viewer,
                    new RichSpan(traces[i], RichSpans.SpanId(1), null, "Shop.Recommend", FunctionFiguresTests.Base.AddMinutes(i), 10, RichSpans.Version("figures-hash", "figures-sig", "Recommend")),
                    new RichSpan(traces[i], RichSpans.SpanId(2), RichSpans.SpanId(1), "chat", FunctionFiguresTests.Base.AddMinutes(i), 5, RichSpans.Chat("openai", "gpt-4o-mini", 100 * (i + 1), 10)));
            }

            var before = await viewer.GetJsonAsync(Day);
            Assert.Equal(3, before.GetProperty("totalTraces").GetInt64());
            Assert.Equal(6, before.GetProperty("totalSpans").GetInt64());
            Assert.Equal(600, before.GetProperty("totalInputTokens").GetInt64());

            using (var deleted = await viewer.Http.DeleteAsync("api/traces/" + traces[1]))
            {
                Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
            }

            var after = await viewer.GetJsonAsync(Day);
            var status = await viewer.GetJsonAsync("api/status");
            Assert.Equal(2, after.GetProperty("totalTraces").GetInt64());
            Assert.Equal(4, after.GetProperty("totalSpans").GetInt64());
            Assert.Equal(400, after.GetProperty("totalInputTokens").GetInt64());   // 100 + 300: the deleted trace's 200 are gone
            Assert.Equal(2, status.GetProperty("traces").GetInt64());
            Assert.Equal(4, status.GetProperty("spans").GetInt64());

            // Retention (every trace is older than a minute an hour from now) takes the rest out the same way.
            Assert.Equal(2, RetentionTests.RunOnce(viewer.Store, new Mirascope.Ops.Viewer.Storage.Retention.RetentionPolicy(TimeSpan.FromMinutes(1), null), DateTimeOffset.UtcNow.AddHours(1)));
            var empty = await viewer.GetJsonAsync(Day);
            var emptyStatus = await viewer.GetJsonAsync("api/status");
            Assert.Equal(0, empty.GetProperty("totalTraces").GetInt64());
            Assert.Equal(0, empty.GetProperty("totalSpans").GetInt64());
            Assert.Equal(0, empty.GetProperty("totalInputTokens").GetInt64());
            Assert.Equal(0, emptyStatus.GetProperty("traces").GetInt64());
            Assert.Equal(0, emptyStatus.GetProperty("spans").GetInt64());
        }

        private static async Task<JsonElement> Json(HttpResponseMessage response)
        {
            using (response)
            {
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
                return JsonDocument.Parse(text).RootElement.Clone();
            }
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
