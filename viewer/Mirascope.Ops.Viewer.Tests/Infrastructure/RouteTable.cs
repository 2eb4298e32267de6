using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Mirascope.Ops.Viewer.Access;
using Mirascope.Ops.Viewer.Api;

namespace Mirascope.Ops.Viewer.Tests.Infrastructure
{
    /// <summary>One route of the running app, read from its route table (<see cref="EndpointDataSource"/>), with one method.</summary>
    internal sealed record RouteCase(string Method, string Pattern, RouteEndpoint Endpoint)
    {
        /// <summary>The route's declared access rule (<see cref="AccessRule.Admin"/> when it declares none, as the viewer treats it).</summary>
        public AccessRule Rule => Endpoint.Metadata.GetMetadata<AccessRule>() ?? AccessRule.Admin;

        public IReadOnlyList<string> RouteParameters => Endpoint.RoutePattern.Parameters.Select(p => p.Name).ToList();

        /// <summary>The query parameters the route declares; null when it declares none (it ignores its query).</summary>
        public IReadOnlyList<string>? QueryParameters => Endpoint.Metadata.GetMetadata<QueryParameterNames>()?.Names;

        public bool Writes => Method is not ("GET" or "HEAD" or "OPTIONS");

        /// <summary>The path with each route parameter replaced by <paramref name="valueOf"/>'s value, escaped as one segment.</summary>
        public string Path(Func<string, string> valueOf) =>
            Regex.Replace(Pattern, @"\{([A-Za-z0-9_]+)[^}]*\}", m => Uri.EscapeDataString(valueOf(m.Groups[1].Value))).TrimStart('/');

        public override string ToString() => Method + " " + Pattern;
    }

    /// <summary>
    /// The app's routes and, for the routes we know, a valid request to start from (ids of seeded data, a body that
    /// succeeds). A route added later is still in <see cref="Of"/>: the tests cover it with the generic values.
    /// </summary>
    internal static class RouteTable
    {
        public static IReadOnlyList<RouteCase> Of(RunningViewer viewer) =>
            viewer.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
                .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? new[] { "GET" })
                    .Select(m => new RouteCase(m, e.RoutePattern.RawText ?? "/", e)))
                .OrderBy(r => r.Pattern, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal)
                .ToList();

        /// <summary>Stored data every route can be pointed at: a trace with a versioned span, its function and an annotation.</summary>
        internal sealed record Seeded(string TraceId, string SpanId, string OtherSpanId, string FunctionId, string Hash, string AnnotationId, string PageAnnotationId, string DeletableTraceId);

        public static async Task<Seeded> SeedAsync(RunningViewer viewer)
        {
            var trace = RichSpans.TraceId("routes");
            await RichSpans.SendAsync(viewer,
                new RichSpan(trace, RichSpans.SpanId(1), null, "Shop.Recommend", FunctionFiguresTests.Base, 10, RichSpans.Version("routes-hash", "routes-sig", name: "Recommend")),
                new RichSpan(trace, RichSpans.SpanId(2), RichSpans.SpanId(1), "chat", FunctionFiguresTests.Base, 5),
                new RichSpan(trace, RichSpans.SpanId(3), RichSpans.SpanId(1), "chat again", FunctionFiguresTests.Base, 5),
                new RichSpan(trace, RichSpans.SpanId(4), RichSpans.SpanId(1), "chat once more", FunctionFiguresTests.Base, 5));
            var function = await FunctionEndpointTests.CreateAsync(viewer, FunctionEndpointTests.CreateBody("Recommend", "routes-hash", "routes-sig"));
            var annotation = await AnnotateAsync(viewer, trace, RichSpans.SpanId(2));
            var pageAnnotation = await AnnotateAsync(viewer, trace, RichSpans.SpanId(4));
            // A trace of its own for DELETE /api/traces/{traceId}, so the routes after it still find the one above.
            var deletable = RichSpans.TraceId("routes-deletable");
            await RichSpans.SendAsync(viewer, new RichSpan(deletable, RichSpans.SpanId(1), null, "Shop.Deletable", FunctionFiguresTests.Base, 1));
            return new Seeded(trace, RichSpans.SpanId(1), RichSpans.SpanId(3), function.GetProperty("id").GetString()!, "routes-hash", annotation, pageAnnotation, deletable);
        }

        private static async Task<string> AnnotateAsync(RunningViewer viewer, string traceId, string spanId)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/v2/annotations")
            {
                Content = new StringContent($@"{{""otelSpanId"":""{spanId}"",""otelTraceId"":""{traceId}"",""label"":""pass""}}", Encoding.UTF8, "application/json"),
            };
            if (!string.IsNullOrEmpty(viewer.Options.ApiKey))
            {
                request.Headers.Add("X-API-Key", viewer.Options.ApiKey);
            }

            using var response = await viewer.Http.SendAsync(request);
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        }

        /// <summary>A value for a route parameter that names seeded data (or "x" for a parameter this table does not know).</summary>
        public static string ValueOf(RouteCase route, string parameter, Seeded seeded) => parameter switch
        {
            "traceId" when route.Method == "DELETE" => seeded.DeletableTraceId,
            "traceId" => seeded.TraceId,
            "hash" => seeded.Hash,
            "id" when route.Pattern.StartsWith("/api/v2/annotations", StringComparison.Ordinal) => seeded.AnnotationId,
            "id" when route.Pattern.Contains("annotations", StringComparison.Ordinal) => seeded.PageAnnotationId,
            "id" => seeded.FunctionId,
            _ => "x",
        };

        /// <summary>A query that the route answers with 2xx, for the routes that need one.</summary>
        public static string Query(RouteCase route, Seeded seeded) => route.Pattern switch
        {
            "/api/functions/versions" => "?name=Recommend",
            "/api/v2/traces/analytics" or "/api/analytics" => "?startTime=2000-01-01T00:00:00Z&endTime=2100-01-01T00:00:00Z",
            _ => string.Empty,
        };

        /// <summary>A body (content type and text) the route accepts; null for a route this table has none for.</summary>
        public static (string ContentType, string Body)? Body(RouteCase route, Seeded seeded, string uniqueness) => (route.Method, route.Pattern) switch
        {
            ("POST", "/api/v2/traces" or "/v1/traces") => ("application/json", OtlpBody(uniqueness)),
            ("POST", "/api/v2/functions") => ("application/json", FunctionEndpointTests.CreateBody("Hostile" + uniqueness, "hash-" + uniqueness, "sig-" + uniqueness,
                extra: @",""description"":""d"",""tags"":[""t""],""metadata"":{""k"":""v""},""dependencies"":{""p"":{""version"":""1"",""extras"":[""e""]}}")),
            ("POST", "/api/v2/traces/search") => ("application/json", @"{""startTime"":""2000-01-01T00:00:00Z"",""endTime"":""2100-01-01T00:00:00Z"",""query"":""shop"",
                ""inputMessagesQuery"":""a"",""outputMessagesQuery"":""b"",""traceId"":""t"",""spanId"":""s"",""model"":[""m""],""provider"":[""p""],""functionName"":""f"",
                ""spanNamePrefix"":""Shop"",""hasError"":false,""minTokens"":0,""maxTokens"":10,""minDuration"":0,""maxDuration"":10,
                ""attributeFilters"":[{""key"":""k"",""operator"":""eq"",""value"":""v""},{""key"":""k2"",""operator"":""contains"",""value"":""v2""},{""key"":""k3"",""operator"":""exists""}],
                ""limit"":10,""offset"":0,""sortBy"":""start_time"",""sortOrder"":""desc"",""rootSpansOnly"":false}"),
            ("POST", "/api/v2/annotations" or "/api/annotations") => ("application/json",
                $@"{{""otelSpanId"":""{(route.Pattern.StartsWith("/api/v2", StringComparison.Ordinal) ? seeded.SpanId : seeded.OtherSpanId)}"",""otelTraceId"":""{seeded.TraceId}"",""label"":""fail"",""reasoning"":""r"",""metadata"":{{""k"":""v""}},""tags"":[""t""]}}"),
            ("PUT", "/api/v2/annotations/{id}" or "/api/annotations/{id}") => ("application/json", @"{""label"":""pass"",""reasoning"":""r"",""metadata"":{""k"":""v""},""tags"":[""t""]}"),
            ("PUT", "/api/retention") => ("application/json", @"{""maxAgeDays"":30,""maxBytes"":1073741824}"),
            ("POST", "/login") => ("application/x-www-form-urlencoded", "key=" + Uri.EscapeDataString("not-the-key")),
            _ => null,
        };

        /// <summary>The request for a route: seeded values in the path, the query and body it accepts; <paramref name="configure"/> adds credentials.</summary>
        public static HttpRequestMessage Request(RouteCase route, Seeded seeded, string uniqueness, Action<HttpRequestMessage>? configure = null)
        {
            var request = new HttpRequestMessage(new HttpMethod(route.Method), route.Path(p => ValueOf(route, p, seeded)) + Query(route, seeded));
            if (Body(route, seeded, uniqueness) is { } body)
            {
                request.Content = new StringContent(body.Body, Encoding.UTF8);
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(body.ContentType);
            }
            else if (route.Writes)
            {
                request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
            }

            configure?.Invoke(request);
            return request;
        }

        private static string OtlpBody(string uniqueness)
        {
            var trace = RichSpans.TraceId("hostile-" + uniqueness);
            return $@"{{""resourceSpans"":[{{""resource"":{{""attributes"":[{{""key"":""service.name"",""value"":{{""stringValue"":""svc""}}}}]}},
                ""scopeSpans"":[{{""scope"":{{""name"":""Mirascope.Ops"",""version"":""1""}},""spans"":[
                {{""traceId"":""{trace}"",""spanId"":""eee19b7ec3c1b174"",""name"":""Calc.Multiply"",""kind"":1,""traceState"":""a=b"",
                 ""startTimeUnixNano"":""1735689600000000000"",""endTimeUnixNano"":""1735689600000120000"",
                 ""attributes"":[{{""key"":""mirascope.trace.output"",""value"":{{""stringValue"":""35""}}}},{{""key"":""mirascope.version.hash"",""value"":{{""stringValue"":""h""}}}},
                   {{""key"":""mirascope.trace.tags"",""value"":{{""arrayValue"":{{""values"":[{{""stringValue"":""t""}}]}}}}}}],
                 ""events"":[{{""name"":""exception"",""timeUnixNano"":""1735689600000000000"",""attributes"":[{{""key"":""exception.message"",""value"":{{""stringValue"":""m""}}}}]}}],
                 ""status"":{{""code"":2,""message"":""m""}}}}]}}]}}]}}";
        }
    }
}
