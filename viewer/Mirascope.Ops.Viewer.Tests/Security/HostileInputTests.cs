using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests.Security
{
    /// <summary>
    /// Every endpoint of the app's route table gets SQL metacharacters in every place a client controls: each path segment,
    /// each query parameter the route declares (a made-up one for a route that declares none), each field and field name
    /// of a valid body (filter keys and values, attribute keys, ids, texts), and whole bodies. Nothing answers 5xx, no
    /// table loses a row or changes unless the request was a write the viewer accepted, the schema is unchanged and no file
    /// appears in the data folder. A new endpoint is covered without editing this test.
    /// </summary>
    public sealed class HostileInputTests
    {
        private static IReadOnlyList<string> Payloads(string folder) => new[]
        {
            "'",
            "\"",
            "';--",
            "\" OR \"1\"=\"1",
            "' OR '1'='1' --",
            "x'); DELETE FROM functions; --",
            "'||'x'||char(34)) IS NOT NULL; DELETE FROM functions; --",
            "\"; DROP TABLE spans; --",
            "1; DELETE FROM annotations",
            "/* comment */ SELECT 1",
            "-- comment\nDELETE FROM traces",
            $"'; ATTACH DATABASE '{Path.Combine(folder, "attached.db")}' AS a; CREATE TABLE a.t(x); --",
            $"x\") IS NOT NULL; ATTACH DATABASE '{Path.Combine(folder, "attached2.db")}' AS b; --",
            "char(34)||char(39)",
            "$.\"a\"') IS NULL OR 1=1 --",
            "%_\\",
            "a\0b'; DELETE FROM spans; --",
            "\0",
            "\u2018\u2019\u201C\u201D\uFF07\uFF02\u02BC; DELETE FROM functions; --",
            string.Concat(Enumerable.Repeat("'; DELETE FROM spans; --", 430)),   // 10 KB
            new string('\'', 10 * 1024),
            new string('%', 10 * 1024),
        };

        [Fact]
        public async Task Sql_metacharacters_in_every_path_segment_query_parameter_and_body_field_of_every_route_change_nothing_and_never_answer_5xx()
        {
            await using var viewer = await RunningViewer.StartAsync();
            var seeded = await RouteTable.SeedAsync(viewer);
            var payloads = Payloads(viewer.Folder);
            var files = Files(viewer.Folder);
            var schema = StoreCatalog.Schema(viewer.Store);
            var counts = StoreCatalog.Counts(viewer.Store);
            var failures = new List<string>();
            var sent = 0;
            var routes = RouteTable.Of(viewer);
            Assert.True(routes.Count >= 30, "the route table has " + routes.Count + " routes");

            foreach (var route in routes)
            {
                foreach (var (where, request) in Requests(route, seeded, payloads))
                {
                    sent++;
                    using (request)
                    {
                        using var response = await viewer.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                        var status = (int)response.StatusCode;
                        var text = route.Pattern == "/api/events" && status == 200 ? string.Empty : await response.Content.ReadAsStringAsync();
                        if (status >= 500)
                        {
                            failures.Add($"{route} {where}: {status} {text[..Math.Min(300, text.Length)]}");
                        }

                        var now = StoreCatalog.Counts(viewer.Store);
                        var acceptedWrite = status is >= 200 and < 300 && route.Method is "POST" or "PUT";
                        foreach (var (table, count) in counts)
                        {
                            var after = now.TryGetValue(table, out var n) ? n : -1;
                            if (acceptedWrite ? after < count : after != count)
                            {
                                failures.Add($"{route} {where} ({status}): table {table} had {count} rows, now {after}");
                            }
                        }

                        counts = now;
                    }
                }
            }

            Assert.True(sent > 1000, $"only {sent} requests were sent");
            Assert.True(failures.Count == 0, $"{failures.Count} of {sent} requests:\n" + string.Join("\n", failures.Take(60)));
            Assert.Equal(schema, StoreCatalog.Schema(viewer.Store));
            Assert.Equal(files, Files(viewer.Folder));
            Assert.Equal(1, (await viewer.GetJsonAsync("api/v2/functions?")).GetProperty("functions").EnumerateArray()
                .Count(f => f.GetProperty("hash").GetString() == seeded.Hash));
        }

        /// <summary>Each hostile variant of a valid request to the route, named by where the payload went.</summary>
        private static IEnumerable<(string Where, HttpRequestMessage Request)> Requests(RouteCase route, RouteTable.Seeded seeded, IReadOnlyList<string> payloads)
        {
            var body = RouteTable.Body(route, seeded, "base");
            // A delete with a hostile query or body must not delete the seeded row for the reason the request was valid:
            // it points at an id that exists nowhere, so any row that goes away went away through the payload.
            string Value(string name) => route.Method == "DELETE" ? Guid.NewGuid().ToString("D") : RouteTable.ValueOf(route, name, seeded);
            var baseQuery = RouteTable.Query(route, seeded).TrimStart('?');
            var queryNames = route.QueryParameters is { Count: > 0 } declared ? declared : new[] { "q" };
            for (var p = 0; p < payloads.Count; p++)
            {
                var payload = payloads[p];
                var label = $"payload {p}";
                foreach (var parameter in route.RouteParameters)
                {
                    yield return ($"path {{{parameter}}} {label}", Build(route, route.Path(n => n == parameter ? payload : Value(n)), body));
                }

                var path = route.Path(Value);
                foreach (var name in queryNames)
                {
                    var query = string.Join("&", baseQuery.Split('&', StringSplitOptions.RemoveEmptyEntries).Where(q => !q.StartsWith(name + "=", StringComparison.Ordinal))
                        .Append(name + "=" + Uri.EscapeDataString(payload)));
                    yield return ($"query {name} {label}", Build(route, path + "?" + query, body));
                }

                var target = path + (baseQuery.Length > 0 ? "?" + baseQuery : string.Empty);
                if (body is { ContentType: "application/json" } json)
                {
                    var leaves = Leaves(JsonNode.Parse(json.Body)!).ToList();
                    for (var i = 0; i < leaves.Count; i++)
                    {
                        var (pointer, _) = leaves[i];
                        // Each variant a body of its own (its own trace, function name, ...): a span sent again replaces the
                        // earlier copy, and the rollups kept at ingest then rightly lose what the copy had and this one lacks.
                        var own = RouteTable.Body(route, seeded, $"base-{p}-{i}")!.Value.Body;
                        yield return ($"body {pointer} {label}", Build(route, target, ("application/json", Mutate(own, i, payload, renameInstead: false))));
                        if (!pointer.EndsWith("]", StringComparison.Ordinal))   // a field of an object: its name too
                        {
                            var renamed = RouteTable.Body(route, seeded, $"base-{p}-{i}-name")!.Value.Body;
                            yield return ($"body name of {pointer} {label}", Build(route, target, ("application/json", Mutate(renamed, i, payload, renameInstead: true))));
                        }
                    }
                }
                else if (body is { } form)
                {
                    yield return ($"form field {label}", Build(route, target, (form.ContentType, "key=" + Uri.EscapeDataString(payload))));
                }

                if (route.Writes || body is not null)
                {
                    yield return ($"whole JSON string body {label}", Build(route, target, ("application/json", System.Text.Json.JsonSerializer.Serialize(payload))));
                    yield return ($"raw body {label}", Build(route, target, ("application/json", payload)));
                }
            }
        }

        private static HttpRequestMessage Build(RouteCase route, string pathAndQuery, (string ContentType, string Body)? body)
        {
            var request = new HttpRequestMessage(new HttpMethod(route.Method), pathAndQuery);
            if (body is { } content && (route.Writes || route.Method == "POST"))
            {
                request.Content = new StringContent(content.Body, Encoding.UTF8);
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(content.ContentType);
            }

            return request;
        }

        /// <summary>Every scalar of the JSON (path like <c>.attributeFilters[0].key</c>) in document order.</summary>
        private static IEnumerable<(string Pointer, JsonNode? Node)> Leaves(JsonNode? node, string pointer = "")
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (name, child) in obj)
                    {
                        foreach (var leaf in Leaves(child, pointer + "." + name))
                        {
                            yield return leaf;
                        }
                    }

                    break;
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        foreach (var leaf in Leaves(array[i], $"{pointer}[{i}]"))
                        {
                            yield return leaf;
                        }
                    }

                    break;
                default:
                    yield return (pointer, node);
                    break;
            }
        }

        /// <summary>The body with its <paramref name="index"/>th scalar replaced by the payload (or, instead, the name of the field holding it).</summary>
        private static string Mutate(string json, int index, string payload, bool renameInstead)
        {
            var root = JsonNode.Parse(json)!;
            var leaf = Leaves(root).ElementAt(index).Node ?? throw new InvalidOperationException("the sample bodies hold no null");
            var parent = leaf.Parent;
            if (parent is JsonObject obj)
            {
                var name = obj.First(p => ReferenceEquals(p.Value, leaf)).Key;
                if (renameInstead)
                {
                    obj.Remove(name);
                    obj[payload] = leaf;
                }
                else
                {
                    obj[name] = payload;
                }
            }
            else if (parent is JsonArray array)
            {
                array[array.IndexOf(leaf)] = payload;
            }

            return root.ToJsonString();
        }

        private static string[] Files(string folder) =>
            Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f)).OrderBy(f => f, StringComparer.Ordinal).ToArray();
    }
}
