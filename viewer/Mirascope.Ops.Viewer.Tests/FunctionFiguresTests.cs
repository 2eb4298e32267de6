using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading.Tasks;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests
{
    /// <summary>
    /// Spans linked to functions by <c>mirascope.version.hash</c>: the page's functions list and a function's versions with
    /// their calls, error rate, latency, tokens and cost, and the trace list filtered by function and version.
    /// </summary>
    public sealed class FunctionFiguresTests
    {
        internal static readonly DateTime Base = new DateTime(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

        /// <summary>
        /// Recommend 1.0 (hash h1) called twice (100 ms ok, 300 ms failed), each with a gpt-4o-mini call below it;
        /// Recommend 1.1 (h2) once (50 ms) with a model without a price; Summarize (h3) seen in spans only, never registered.
        /// </summary>
        internal static async Task SeedAsync(RunningViewer viewer)
        {
            await FunctionEndpointTests.CreateAsync(viewer, FunctionEndpointTests.CreateBody("Recommend", "h1", "s1", code: "string Recommend(string genre)\n{\n    return \"Dune\";\n}"));
            await FunctionEndpointTests.CreateAsync(viewer, FunctionEndpointTests.CreateBody("Recommend", "h2", "s1", code: "string Recommend(string genre)\n{\n    return \"Mistborn\";\n}"));
            await RichSpans.SendAsync(viewer,
                new RichSpan(RichSpans.TraceId("r1"), RichSpans.SpanId(1), null, "Shop.Recommend", Base, 100, RichSpans.Version("h1", "s1")),
                new RichSpan(RichSpans.TraceId("r1"), RichSpans.SpanId(2), RichSpans.SpanId(1), "chat gpt-4o-mini", Base.AddMilliseconds(10), 80,
                    RichSpans.Chat("openai", "gpt-4o-mini", input: 1000, output: 200, cacheRead: 400)),
                new RichSpan(RichSpans.TraceId("r2"), RichSpans.SpanId(1), null, "Shop.Recommend", Base.AddMinutes(1), 300, RichSpans.Version("h1", "s1"), Failed: true),
                new RichSpan(RichSpans.TraceId("r2"), RichSpans.SpanId(2), RichSpans.SpanId(1), "chat gpt-4o-mini", Base.AddMinutes(1), 200,
                    RichSpans.Chat("openai", "gpt-4o-mini-2024-07-18", input: 2000, output: 100)),
                new RichSpan(RichSpans.TraceId("r3"), RichSpans.SpanId(1), null, "Shop.Recommend", Base.AddMinutes(2), 50, RichSpans.Version("h2", "s1")),
                new RichSpan(RichSpans.TraceId("r3"), RichSpans.SpanId(2), RichSpans.SpanId(1), "chat llama", Base.AddMinutes(2), 40,
                    RichSpans.Chat("ollama", "local-llama", input: 10, output: 5)),
                new RichSpan(RichSpans.TraceId("s1"), RichSpans.SpanId(1), null, "Shop.Summarize", Base.AddMinutes(3), 20, RichSpans.Version("h3", "t1", name: "Summarize")));
        }

        [Fact]
        public async Task The_functions_list_shows_each_function_with_its_latest_version_calls_error_rate_latency_tokens_and_cost()
        {
            await using var viewer = await RunningViewer.StartAsync();
            await SeedAsync(viewer);

            var functions = (await viewer.GetJsonAsync("api/functions")).GetProperty("functions");

            Assert.Equal(new[] { "Summarize", "Recommend" }, functions.EnumerateArray().Select(f => f.GetProperty("name").GetString()));   // most recently seen first
            var recommend = functions[1];
            Assert.Equal("1.1", recommend.GetProperty("latestVersion").GetString());
            Assert.Equal(2, recommend.GetProperty("versionCount").GetInt32());
            Assert.Equal(3, recommend.GetProperty("calls").GetInt64());
            Assert.Equal(1, recommend.GetProperty("errors").GetInt64());
            Assert.Equal(1.0 / 3, recommend.GetProperty("errorRate").GetDouble(), 6);
            Assert.Equal(100, recommend.GetProperty("p50DurationMs").GetDouble());   // of 50, 100, 300
            Assert.Equal(300, recommend.GetProperty("p95DurationMs").GetDouble());
            Assert.Equal(3010, recommend.GetProperty("inputTokens").GetInt64());
            Assert.Equal(305, recommend.GetProperty("outputTokens").GetInt64());
            // gpt-4o-mini at $0.15 / $0.60 / $0.075 (cache read) per million: (600×0.15 + 200×0.6 + 400×0.075 + 2000×0.15 + 100×0.6) / 1e6
            Assert.Equal(0.0006m, recommend.GetProperty("costUsd").GetDecimal());
            Assert.False(recommend.GetProperty("costComplete").GetBoolean());
            Assert.Equal("[\"ollama/local-llama\"]", recommend.GetProperty("unpricedModels").GetRawText());

            var summarize = functions[0];
            Assert.Equal(JsonValueKind.Null, summarize.GetProperty("latestVersion").ValueKind);   // seen, not registered
            Assert.Equal(1, summarize.GetProperty("calls").GetInt64());
            Assert.Equal(JsonValueKind.Null, summarize.GetProperty("costUsd").ValueKind);   // no model calls: no cost, not $0
        }

        [Fact]
        public async Task A_functions_page_has_each_versions_code_first_and_last_seen_and_figures()
        {
            await using var viewer = await RunningViewer.StartAsync();
            await SeedAsync(viewer);
            await RichSpans.SendAsync(viewer, new RichSpan(RichSpans.TraceId("r4"), RichSpans.SpanId(1), null, "Shop.Recommend", Base.AddMinutes(5), 10,
                RichSpans.Version("h9", "s9", name: "Recommend")));   // a version the app has not registered (yet)

            var page = await viewer.GetJsonAsync("api/functions/versions?name=Recommend");

            var versions = page.GetProperty("versions");
            Assert.Equal(new[] { "1.1", "1.0", null }, versions.EnumerateArray().Select(v => v.GetProperty("version").GetString()));
            var v10 = versions[1];
            Assert.True(v10.GetProperty("registered").GetBoolean());
            Assert.Contains("return \"Dune\";", v10.GetProperty("function").GetProperty("code").GetString());
            Assert.Equal(2, v10.GetProperty("calls").GetInt64());
            Assert.Equal(0.5, v10.GetProperty("errorRate").GetDouble());
            Assert.Equal("2026-03-01T12:00:00.000Z", v10.GetProperty("firstSeen").GetString());
            Assert.Equal("2026-03-01T12:01:00.000Z", v10.GetProperty("lastSeen").GetString());
            Assert.Equal(0.0006m, v10.GetProperty("costUsd").GetDecimal());
            Assert.True(v10.GetProperty("costComplete").GetBoolean());
            var unregistered = versions[2];
            Assert.False(unregistered.GetProperty("registered").GetBoolean());
            Assert.Equal("h9", unregistered.GetProperty("hash").GetString());
            Assert.Equal(4, page.GetProperty("totals").GetProperty("calls").GetInt64());

            using var unknown = await viewer.Http.GetAsync("api/functions/versions?name=Nothing");
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            using var missing = await viewer.Http.GetAsync("api/functions/versions");
            Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
            Assert.Contains("name is required", await missing.Content.ReadAsStringAsync());
            using var typo = await viewer.Http.GetAsync("api/functions/versions?nmae=Recommend");
            Assert.Equal(HttpStatusCode.BadRequest, typo.StatusCode);
            Assert.Contains("\\\"nmae\\\" is not a parameter of /api/functions/versions; it takes name", await typo.Content.ReadAsStringAsync());
        }

        [Fact]
        public async Task The_trace_list_filters_by_function_and_by_version()
        {
            await using var viewer = await RunningViewer.StartAsync();
            await SeedAsync(viewer);

            Assert.Equal(3, (await viewer.GetJsonAsync("api/traces?function=Recommend")).GetProperty("traces").GetArrayLength());
            Assert.Equal(2, (await viewer.GetJsonAsync("api/traces?version=h1")).GetProperty("traces").GetArrayLength());
            Assert.Equal(1, (await viewer.GetJsonAsync("api/traces?function=Summarize")).GetProperty("traces").GetArrayLength());
            Assert.Equal(0, (await viewer.GetJsonAsync("api/traces?function=Shop.Summarize")).GetProperty("traces").GetArrayLength());   // its version name wins
        }
    }
}
