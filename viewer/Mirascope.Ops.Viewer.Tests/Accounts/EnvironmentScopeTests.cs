using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Google.Protobuf;
using Mirascope.Ops.Otlp.Protos.Collector;
using Mirascope.Ops.Otlp.Protos.Trace;
using Mirascope.Ops.Viewer.Access;
using Mirascope.Ops.Viewer.Accounts;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;
using ProtoSpan = Mirascope.Ops.Otlp.Protos.Trace.Span;

namespace Mirascope.Ops.Viewer.Tests.Accounts
{
    /// <summary>
    /// Accounts mode, two projects with data (traces, a registered function, annotations): a member of "shop" reads nothing
    /// of "other" on any route of the app's route table, and every write route answers 404 on "other"'s data and changes
    /// nothing of it. Counts and live-event numbers tell nothing of the other project either.
    /// </summary>
    public sealed class EnvironmentScopeTests
    {
        private const string OurHash = "our-hash";

        [Fact]
        public async Task No_read_route_shows_another_projects_traces_functions_annotations_or_counts()
        {
            var (team, theirs, markers) = await StartWithTwoProjectsAsync();
            await using var viewer = team.Viewer;
            var ours = team.Members[ProjectRole.Admin].Key;   // the shop ADMIN's key: scoped to shop/production, so no 403 hides a leak

            var wrong = new List<string>();
            var reads = 0;
            foreach (var route in RouteTable.Of(viewer).Where(IsDataRoute).Where(r => !r.Writes || r.Pattern == "/api/v2/traces/search"))
            {
                using var request = RouteTable.Request(route, theirs, "scope-" + Guid.NewGuid().ToString("N")[..8], r => r.Headers.Add("X-API-Key", ours));
                using var response = await viewer.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                reads++;
                if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
                {
                    continue;   // the event stream never ends; its numbers are checked on their own below
                }

                var text = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    continue;   // "not there" is the right answer for their ids
                }

                if (!response.IsSuccessStatusCode)
                {
                    wrong.Add($"{route}: {(int)response.StatusCode} {text[..Math.Min(200, text.Length)]}");
                    continue;
                }

                // A marker the request itself carries (their trace id in the path) may be echoed; any other is a leak.
                var sent = request.RequestUri!.ToString();
                foreach (var marker in markers.Where(m => !sent.Contains(m, StringComparison.Ordinal)))
                {
                    if (text.Contains(marker, StringComparison.Ordinal))
                    {
                        wrong.Add($"{route}: the answer shows \"{marker}\" of the other project: {text[..Math.Min(300, text.Length)]}");
                    }
                }
            }

            Assert.True(wrong.Count == 0, string.Join("\n", wrong));
            Assert.True(reads >= 15, "read routes checked: " + reads);

            // What the routes do show is ours: the counts are our environment's, our function and annotation are listed.
            var status = JsonDocument.Parse(await Text(viewer, "api/status", ours)).RootElement;
            Assert.Equal(1, status.GetProperty("traces").GetInt64());
            Assert.Equal(2, status.GetProperty("spans").GetInt64());
            Assert.Equal(2, status.GetProperty("latestSequence").GetInt64());
            Assert.Contains("OurFunction", await Text(viewer, "api/functions", ours));
            Assert.Contains(OurHash, await Text(viewer, "api/v2/functions", ours));
            var annotations = JsonDocument.Parse(await Text(viewer, "api/v2/annotations", ours)).RootElement.GetProperty("annotations");
            Assert.Equal(1, annotations.GetArrayLength());

            // Their member still sees all of theirs (the scope hides, it does not delete): RouteTable's trace of four spans
            // and its one-span trace for DELETE.
            var theirStatus = JsonDocument.Parse(await Text(viewer, "api/status", team.OutsiderKey)).RootElement;
            Assert.Equal(2, theirStatus.GetProperty("traces").GetInt64());
            Assert.Equal(5, theirStatus.GetProperty("spans").GetInt64());
            Assert.Contains(theirs.FunctionId, await Text(viewer, "api/v2/functions/" + theirs.FunctionId, team.OutsiderKey));
        }

        [Fact]
        public async Task Every_write_route_answers_404_on_another_projects_span_annotation_or_function_and_changes_nothing()
        {
            var (team, theirs, _) = await StartWithTwoProjectsAsync();
            await using var viewer = team.Viewer;
            var ours = team.Members[ProjectRole.Admin].Key;
            var before = await TheirDataAsync(viewer, team, theirs);

            var wrong = new List<string>();
            var writes = 0;
            foreach (var route in RouteTable.Of(viewer).Where(IsDataRoute).Where(r => r.Writes && r.Pattern != "/api/v2/traces/search"))
            {
                switch (route.Pattern)
                {
                    case "/api/v2/traces" or "/v1/traces":
                        // Ingest names no stored data but its own spans: under their trace id they make our own trace of that
                        // id and leave theirs whole (Two_projects_sending_under_one_trace_id_...).
                        continue;
                    case "/api/retention":
                        // Names no stored data: it sets the caller's own project's limits (who may: TraceDeleteAndRetentionApiTests).
                        continue;
                    case "/api/v2/functions":
                        // Registering code another project has registered is a new function of ours, not theirs.
                        using (var created = await Send(viewer, HttpMethod.Post, "api/v2/functions", ours, FunctionEndpointTests.CreateBody("Recommend", theirs.Hash, "routes-sig")))
                        {
                            var text = await created.Content.ReadAsStringAsync();
                            Assert.True(created.StatusCode == HttpStatusCode.OK, text);
                            var function = JsonDocument.Parse(text).RootElement;
                            Assert.NotEqual(theirs.FunctionId, function.GetProperty("id").GetString());
                            Assert.Equal("1.0", function.GetProperty("version").GetString());   // our numbering, not theirs continued
                        }

                        writes++;
                        continue;
                }

                // The rest name their data: a span to annotate, an annotation or a function by id.
                using var request = RouteTable.Request(route, theirs, "scope-" + Guid.NewGuid().ToString("N")[..8], r => r.Headers.Add("X-API-Key", ours));
                using var response = await viewer.Http.SendAsync(request);
                var answer = await response.Content.ReadAsStringAsync();
                writes++;
                if (response.StatusCode != HttpStatusCode.NotFound)
                {
                    wrong.Add($"{route} on their data: {(int)response.StatusCode} {answer[..Math.Min(200, answer.Length)]}");
                }
            }

            Assert.True(wrong.Count == 0, string.Join("\n", wrong));
            Assert.True(writes >= 8, "write routes checked: " + writes);
            Assert.Equal(before, await TheirDataAsync(viewer, team, theirs));
        }

        [Fact]
        public async Task Two_projects_sending_under_one_trace_id_each_read_only_their_own_whole_trace_on_every_route()
        {
            var (team, theirs, theirMarkers) = await StartWithTwoProjectsAsync();
            await using var viewer = team.Viewer;
            var ours = team.Members[ProjectRole.Admin].Key;
            var shared = theirs.TraceId;   // one service calling another with W3C trace context: both export under this id
            var before = await TheirDataAsync(viewer, team, theirs);
            var theirStatus = await Text(viewer, "api/status", team.OutsiderKey);

            // Our spans under their trace id, the same span ids as theirs, by each ingest: answered as for a free id.
            var protobufSpan = new ProtoSpan
            {
                TraceId = ByteString.CopyFrom(Convert.FromHexString(shared)), SpanId = ByteString.CopyFrom(Convert.FromHexString(RichSpans.SpanId(1))),
                Name = "Ours.Protobuf", StartTimeUnixNano = 1_772_366_400_000_000_000, EndTimeUnixNano = 1_772_366_400_004_000_000,
            };
            var protobuf = new ExportTraceServiceRequest { ResourceSpans = { new ResourceSpans { ScopeSpans = { new ScopeSpans { Spans = { protobufSpan } } } } } };
            var free = RichSpans.TraceId("free-" + Guid.NewGuid().ToString("N"));
            var protobufFree = protobuf.Clone();
            protobufFree.ResourceSpans[0].ScopeSpans[0].Spans[0].TraceId = ByteString.CopyFrom(Convert.FromHexString(free));
            RichSpan Json(string trace) => new RichSpan(trace, RichSpans.SpanId(2), RichSpans.SpanId(1), "Ours.Json", FunctionFiguresTests.Base, 3);
            RichSpan Cloud(string trace) => new RichSpan(trace, RichSpans.SpanId(3), RichSpans.SpanId(1), "Ours.Cloud", FunctionFiguresTests.Base, 2,
                RichSpans.Chat("openai", "gpt-4o-mini", 700, 70));
            foreach (var (path, type, body, freeBody) in new[]
            {
                ("v1/traces", "application/x-protobuf", protobuf.ToByteArray(), protobufFree.ToByteArray()),
                ("v1/traces", "application/json", RichSpans.Build(Json(shared)), RichSpans.Build(Json(free))),
                ("api/v2/traces", "application/json", RichSpans.Build(Cloud(shared)), RichSpans.Build(Cloud(free))),
            })
            {
                var (freeStatus, freeAnswer) = await PostAsync(viewer, path, type, freeBody, ours);
                var (sharedStatus, sharedAnswer) = await PostAsync(viewer, path, type, body, ours);
                Assert.Equal(HttpStatusCode.OK, freeStatus);
                Assert.Equal((freeStatus, Convert.ToHexString(freeAnswer)), (sharedStatus, Convert.ToHexString(sharedAnswer)));
            }

            // The same span id annotated in both projects: each its own annotation.
            string ourAnnotation;
            using (var annotated = await Send(viewer, HttpMethod.Post, "api/v2/annotations", ours, $@"{{""otelSpanId"":""{RichSpans.SpanId(2)}"",""otelTraceId"":""{shared}"",""label"":""fail"",""reasoning"":""ours-reasoning""}}"))
            {
                var text = await annotated.Content.ReadAsStringAsync();
                Assert.True(annotated.StatusCode == HttpStatusCode.OK, text);
                ourAnnotation = JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
            }

            // Theirs is untouched: the trace, its function, its annotations (one on the same span id) and its counts.
            Assert.Equal(before, await TheirDataAsync(viewer, team, theirs));
            Assert.Equal(theirStatus, await Text(viewer, "api/status", team.OutsiderKey));

            // Every read route, pointed at the shared trace id: ours shows nothing of theirs, theirs nothing of ours.
            var ourMarkers = new[] { "Ours.Protobuf", "Ours.Json", "Ours.Cloud", ourAnnotation, "ours-reasoning" };
            var wrong = new List<string>();
            foreach (var (key, foreign) in new[] { (ours, theirMarkers.Where(m => m != shared).ToArray()), (team.OutsiderKey, ourMarkers) })
            {
                foreach (var route in RouteTable.Of(viewer).Where(IsDataRoute).Where(r => !r.Writes || r.Pattern == "/api/v2/traces/search"))
                {
                    using var request = RouteTable.Request(route, theirs, "shared-" + Guid.NewGuid().ToString("N")[..8], r => r.Headers.Add("X-API-Key", key));
                    using var response = await viewer.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                    if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
                    {
                        continue;
                    }

                    // A marker the request itself carries (their id in the path, echoed by a 404) is no leak; any other is.
                    var text = await response.Content.ReadAsStringAsync();
                    var sent = request.RequestUri!.ToString();
                    foreach (var marker in foreign.Where(m => !sent.Contains(m, StringComparison.Ordinal) && text.Contains(m, StringComparison.Ordinal)))
                    {
                        wrong.Add($"{route} ({(key == ours ? "ours" : "theirs")}): shows \"{marker}\" of the other project: {text[..Math.Min(300, text.Length)]}");
                    }
                }
            }

            Assert.True(wrong.Count == 0, string.Join("\n", wrong));

            // What each reads is its own whole trace of that id.
            static string[] Names(JsonElement spans) => spans.EnumerateArray().Select(s => s.GetProperty("name").GetString()!).OrderBy(n => n, StringComparer.Ordinal).ToArray();
            Assert.Equal(new[] { "Ours.Cloud", "Ours.Json", "Ours.Protobuf" }, Names(JsonDocument.Parse(await Text(viewer, "api/traces/" + shared, ours)).RootElement.GetProperty("spans")));
            Assert.Equal(new[] { "Ours.Cloud", "Ours.Json", "Ours.Protobuf" }, Names(JsonDocument.Parse(await Text(viewer, "api/v2/traces/" + shared, ours)).RootElement.GetProperty("spans")));
            Assert.Equal(new[] { "Shop.Recommend", "chat", "chat again", "chat once more" }, Names(JsonDocument.Parse(await Text(viewer, "api/traces/" + shared, team.OutsiderKey)).RootElement.GetProperty("spans")));
            var ourDetail = JsonDocument.Parse(await Text(viewer, "api/traces/" + shared, ours)).RootElement;
            Assert.Equal("ours-reasoning", Assert.Single(ourDetail.GetProperty("annotations").EnumerateArray()).GetProperty("reasoning").GetString());
            Assert.Equal(770, ourDetail.GetProperty("cost").GetProperty("inputTokens").GetInt64() + ourDetail.GetProperty("cost").GetProperty("outputTokens").GetInt64());
            var ourList = JsonDocument.Parse(await Text(viewer, "api/traces", ours)).RootElement;
            var listed = ourList.GetProperty("traces").EnumerateArray().Single(t => t.GetProperty("traceId").GetString() == shared);
            Assert.Equal(3, listed.GetProperty("spanCount").GetInt64());
            Assert.True(ourList.GetProperty("costs").TryGetProperty(shared, out _));
            var theirListed = JsonDocument.Parse(await Text(viewer, "api/traces", team.OutsiderKey)).RootElement.GetProperty("traces").EnumerateArray().Single(t => t.GetProperty("traceId").GetString() == shared);
            Assert.Equal(4, theirListed.GetProperty("spanCount").GetInt64());
            using (var search = await Send(viewer, HttpMethod.Post, "api/v2/traces/search", ours, $@"{{""startTime"":""2000-01-01T00:00:00Z"",""endTime"":""2100-01-01T00:00:00Z"",""traceId"":""{shared}""}}"))
            {
                Assert.Equal(new[] { "Ours.Cloud", "Ours.Json", "Ours.Protobuf" }, Names(JsonDocument.Parse(await search.Content.ReadAsStringAsync()).RootElement.GetProperty("spans")));
            }

            // Counts: ours are the trace "ours" (two spans), the free id's trace and the shared id's trace (three spans each).
            var status = JsonDocument.Parse(await Text(viewer, "api/status", ours)).RootElement;
            Assert.Equal(3, status.GetProperty("traces").GetInt64());
            Assert.Equal(2 + 3 + 3, status.GetProperty("spans").GetInt64());
            var figures = JsonDocument.Parse(await Text(viewer, "api/v2/traces/analytics?startTime=2000-01-01T00:00:00Z&endTime=2100-01-01T00:00:00Z", ours)).RootElement;
            Assert.Equal(2 + 3 + 3, figures.GetProperty("totalSpans").GetInt64());
            Assert.Equal(700 * 2, figures.GetProperty("totalInputTokens").GetInt64());   // the free id's copy and the shared id's
            var theirFigures = JsonDocument.Parse(await Text(viewer, "api/v2/traces/analytics?startTime=2000-01-01T00:00:00Z&endTime=2100-01-01T00:00:00Z", team.OutsiderKey)).RootElement;
            Assert.Equal(5, theirFigures.GetProperty("totalSpans").GetInt64());

            // Our ADMIN deletes our trace of that id: theirs stays whole, ours is gone.
            using (var deleted = await Send(viewer, HttpMethod.Delete, "api/traces/" + shared, ours))
            {
                Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
            }

            using (var gone = await Send(viewer, HttpMethod.Get, "api/traces/" + shared, ours))
            {
                Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
            }

            Assert.Equal(before, await TheirDataAsync(viewer, team, theirs));
            Assert.Equal(theirStatus, await Text(viewer, "api/status", team.OutsiderKey));
        }

        private static async Task<(HttpStatusCode Status, byte[] Body)> PostAsync(RunningViewer viewer, string path, string contentType, byte[] body, string key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
            request.Headers.Add("X-API-Key", key);
            using var response = await viewer.Http.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsByteArrayAsync());
        }

        [Fact]
        public async Task The_event_stream_moves_with_our_spans_only_and_says_nothing_when_another_project_sends()
        {
            var (team, _, _) = await StartWithTwoProjectsAsync();
            await using var viewer = team.Viewer;
            var ours = team.Members[ProjectRole.Viewer].Key;
            using var request = new HttpRequestMessage(HttpMethod.Get, "api/events");
            request.Headers.Add("X-API-Key", ours);
            using var response = await viewer.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            Assert.Equal(2, await NextSequenceAsync(reader));   // our two spans, not the store's newest sequence number

            // Their batch first, then ours: the next event is ours (their batch made none), and its number counts only ours.
            using (var theirBatch = await CloudIngestTests.PostAsync(viewer, RichSpans.Build(
                new RichSpan(RichSpans.TraceId("their-more"), RichSpans.SpanId(1), null, "Theirs.More", FunctionFiguresTests.Base, 2),
                new RichSpan(RichSpans.TraceId("their-more"), RichSpans.SpanId(2), RichSpans.SpanId(1), "Theirs.More", FunctionFiguresTests.Base, 1)), key: team.OutsiderKey))
            {
                Assert.Equal(HttpStatusCode.OK, theirBatch.StatusCode);
            }

            await Task.Delay(TimeSpan.FromSeconds(1));   // past a stream's wake-up and its scoped read (QueryEndpoints.ScopedInterval)
            using (var ourBatch = await CloudIngestTests.PostAsync(viewer, RichSpans.Build(
                new RichSpan(RichSpans.TraceId("our-more"), RichSpans.SpanId(1), null, "Ours.More", FunctionFiguresTests.Base, 2)), key: team.Members[ProjectRole.Developer].Key))
            {
                Assert.Equal(HttpStatusCode.OK, ourBatch.StatusCode);
            }

            Assert.Equal(3, await NextSequenceAsync(reader));
        }

        /// <summary>Data routes: every route but sign-in, the page's files and the admin routes (their 404s: AccountsAccessTests).</summary>
        private static bool IsDataRoute(RouteCase route) =>
            route.Rule != AccessRule.SignIn
            && !route.Pattern.StartsWith("/api/admin", StringComparison.Ordinal)
            && route.Pattern is not ("/logout" or "/api/account")
            && (route.Pattern.StartsWith("/api/", StringComparison.Ordinal) || route.Pattern.StartsWith("/v1/", StringComparison.Ordinal));

        /// <summary>
        /// A team viewer where "other" holds RouteTable's seeded data (a trace with a registered versioned function, two
        /// annotations) and "shop"/production one trace of its own function with one annotation. The markers are strings only
        /// "other"'s data contains.
        /// </summary>
        private static async Task<(TeamViewer Team, RouteTable.Seeded Theirs, string[] Markers)> StartWithTwoProjectsAsync()
        {
            var team = await TeamViewer.StartAsync();
            var viewer = team.Viewer;
            var shopKey = team.Members[ProjectRole.Admin].Key;
            viewer.Options.ApiKey = team.OutsiderKey;   // the seeding helpers send "the viewer's key"
            var theirs = await RouteTable.SeedAsync(viewer);
            viewer.Options.ApiKey = shopKey;

            var trace = RichSpans.TraceId("ours");
            await RichSpans.SendAsync(viewer,
                new RichSpan(trace, RichSpans.SpanId(1), null, "Ours.Call", FunctionFiguresTests.Base, 4, RichSpans.Version(OurHash, "our-sig", name: "OurFunction")),
                new RichSpan(trace, RichSpans.SpanId(2), RichSpans.SpanId(1), "Ours.Step", FunctionFiguresTests.Base, 2));
            using (var registered = await Send(viewer, HttpMethod.Post, "api/v2/functions", shopKey, FunctionEndpointTests.CreateBody("OurFunction", OurHash, "our-sig")))
            {
                Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
            }

            using (var annotated = await Send(viewer, HttpMethod.Post, "api/v2/annotations", shopKey, $@"{{""otelSpanId"":""{RichSpans.SpanId(1)}"",""otelTraceId"":""{trace}"",""label"":""pass""}}"))
            {
                Assert.Equal(HttpStatusCode.OK, annotated.StatusCode);
            }

            var markers = new[] { theirs.TraceId, theirs.FunctionId, theirs.AnnotationId, theirs.PageAnnotationId, theirs.Hash, "Recommend", "chat again" };
            return (team, theirs, markers);
        }

        /// <summary>Their trace, function and annotations as their own member reads them.</summary>
        private static async Task<string> TheirDataAsync(RunningViewer viewer, TeamViewer team, RouteTable.Seeded theirs) =>
            await Text(viewer, "api/traces/" + theirs.TraceId, team.OutsiderKey)
            + await Text(viewer, "api/v2/functions/" + theirs.FunctionId, team.OutsiderKey)
            + await Text(viewer, "api/v2/annotations/" + theirs.AnnotationId, team.OutsiderKey)
            + await Text(viewer, "api/annotations/" + theirs.PageAnnotationId, team.OutsiderKey);

        private static async Task<long> NextSequenceAsync(StreamReader reader)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            while (true)
            {
                var line = await reader.ReadLineAsync(timeout.Token) ?? throw new EndOfStreamException("the event stream ended");
                if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    using var data = JsonDocument.Parse(line.Substring("data: ".Length));
                    return data.RootElement.GetProperty("latestSequence").GetInt64();
                }
            }
        }

        private static async Task<string> Text(RunningViewer viewer, string path, string key)
        {
            using var response = await Send(viewer, HttpMethod.Get, path, key);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
            return text;
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
