// samples/LlmQuickStart's setup (OpsLlm.Instrument() plus UseMirascopeOps() on the real OpenAI SDK, its bundled fake
// server on 127.0.0.1) exported by the real exporter to a running viewer.
using System;
using System.ClientModel;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using LlmQuickStart;
using Microsoft.Extensions.AI;
using Mirascope.Ops.Viewer.Tests.ExportBranch;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using OpenAI;
using TracedBookshop;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Mirascope.Ops.Viewer.Tests.LlmSample
{
    /// <summary>
    /// Each model call is counted once although two layers record it (our <c>chat gpt-4o-mini</c> span and the OpenAI SDK's
    /// own <c>chat</c> span inside it): tokens and cost equal the fake server's usage (14 in / 21 out per call) on the
    /// trace, the function and the dashboard, whichever of the spans reaches the viewer first; the page shows one row per call.
    /// </summary>
    [Collection(GlobalOpsConfiguration.Name)]
    public sealed class LlmSampleTests
    {
        // gpt-4o-mini: $0.15 in, $0.60 out per million; two calls of 14 / 21 tokens.
        private const long Input = 2 * 14, Output = 2 * 21;
        private const decimal Cost = (Input * 0.15m + Output * 0.60m) / 1_000_000m;

        /// <summary>Runs two calls as the sample does, exported to <paramref name="viewer"/>; returns the trace id.</summary>
        private static async Task<string> RunSampleAsync(RunningViewer viewer)
        {
            await using var fake = await FakeOpenAIServer.StartAsync();
            OpsLlm.Instrument(new LlmInstrumentationOptions { CaptureMessageContent = true });
            OpsExport.Configure(o =>
            {
                o.ApiKey = viewer.Options.ApiKey ?? "any-key";   // a viewer without a key takes any
                o.BaseUrl = viewer.BaseUrl;
                o.ServiceName = "llm-quickstart";
                o.ScheduledDelay = TimeSpan.FromMilliseconds(20);
            });
            try
            {
                IChatClient chat = new OpenAI.Chat.ChatClient("gpt-4o-mini", new ApiKeyCredential("sk-offline-fake"), new OpenAIClientOptions { Endpoint = fake.Endpoint })
                    .AsIChatClient()
                    .AsBuilder()
                    .UseMirascopeOps()
                    .Build();
                var run = await MirascopeOps.WrappedAsync(() => new ChatLibrarian(chat).RecommendTwoAsync("fantasy", "poetry"));
                Assert.True(OpsExport.ForceFlush(TimeSpan.FromSeconds(10)), "the exporter did not flush within 10 s");
                return run.TraceId;
            }
            finally
            {
                OpsExport.Shutdown(TimeSpan.FromSeconds(5));
            }
        }

        private static async Task AssertCountedOnceAsync(RunningViewer viewer, string traceId, bool asExported = true)
        {
            var trace = await viewer.WaitForTraceAsync(traceId, 7);
            var spans = trace.GetProperty("spans").EnumerateArray().ToList();
            var calls = spans.Where(s => s.GetProperty("usage").ValueKind == JsonValueKind.Object && s.GetProperty("usage").GetProperty("source").GetString() == "gen_ai.usage").ToList();
            var inner = calls.Where(s => s.GetProperty("usage").GetProperty("countedBy").ValueKind == JsonValueKind.String).ToList();
            Assert.Equal(4, calls.Count);   // each call seen by two layers...
            Assert.Equal(2, inner.Count);   // ...of which the inner one repeats the outer
            foreach (var span in inner)
            {
                if (asExported)
                {
                    Assert.Equal("OpenAI.ChatClient", span.GetProperty("scope").GetProperty("name").GetString());   // the SDK's own span
                }

                Assert.Equal(span.GetProperty("parentSpanId").GetString(), span.GetProperty("usage").GetProperty("countedBy").GetString());
            }

            var cost = trace.GetProperty("cost");
            Assert.Equal((Input, Output), (cost.GetProperty("inputTokens").GetInt64(), cost.GetProperty("outputTokens").GetInt64()));
            Assert.Equal(Cost, cost.GetProperty("costUsd").GetDecimal());
            var listed = (await viewer.GetJsonAsync("api/traces")).GetProperty("traces").EnumerateArray().Single(t => t.GetProperty("traceId").GetString() == traceId);
            Assert.Equal((Input, Output), (listed.GetProperty("inputTokens").GetInt64(), listed.GetProperty("outputTokens").GetInt64()));

            var function = (await viewer.GetJsonAsync("api/functions")).GetProperty("functions").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "recommend_book");
            Assert.Equal((Input, Output), (function.GetProperty("inputTokens").GetInt64(), function.GetProperty("outputTokens").GetInt64()));
            Assert.Equal(Cost, function.GetProperty("costUsd").GetDecimal());

            var now = DateTime.UtcNow;
            var dashboard = await viewer.GetJsonAsync($"api/analytics?startTime={now.AddHours(-1):yyyy-MM-ddTHH:mm:ssZ}&endTime={now.AddHours(1):yyyy-MM-ddTHH:mm:ssZ}");
            Assert.Equal((Input, Output), (dashboard.GetProperty("totalInputTokens").GetInt64(), dashboard.GetProperty("totalOutputTokens").GetInt64()));
            Assert.Equal(Cost, dashboard.GetProperty("totalCostUsd").GetDecimal());
            var model = dashboard.GetProperty("topModels").EnumerateArray().Single();
            Assert.Equal(("gpt-4o-mini", 2L), (model.GetProperty("model").GetString(), model.GetProperty("count").GetInt64()));
        }

        [Fact]
        public async Task The_sample_setups_two_calls_count_their_tokens_and_cost_once_on_the_trace_function_and_dashboard()
        {
            await using var viewer = await RunningViewer.StartAsync(o => o.ApiKey = "local-key");
            var traceId = await RunSampleAsync(viewer);
            await AssertCountedOnceAsync(viewer, traceId);
        }

        /// <summary>The same real spans, sent again one per request, outermost first and innermost first.</summary>
        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task The_sample_setups_spans_count_once_whichever_layer_arrives_first(bool innermostFirst)
        {
            string traceId;
            List<RichSpan> spans;
            await using (var recorded = await RunningViewer.StartAsync(o => o.ApiKey = "local-key"))
            {
                traceId = await RunSampleAsync(recorded);
                spans = (await recorded.WaitForTraceAsync(traceId, 7)).GetProperty("spans").EnumerateArray().Select(AsRichSpan(traceId)).ToList();
            }

            // Stored in start order: a parent starts before its children, so reversed puts every SDK span before ours.
            if (innermostFirst)
            {
                spans.Reverse();
            }

            await using var viewer = await RunningViewer.StartAsync(o => o.ApiKey = "local-key");
            foreach (var span in spans)
            {
                await RichSpans.SendAsync(viewer, span);
            }

            await AssertCountedOnceAsync(viewer, traceId, asExported: false);
        }

        [Fact]
        public async Task The_page_shows_each_call_of_the_sample_as_one_row_with_its_conversation_and_the_sdks_layer_folded_in()
        {
            await using var viewer = await RunningViewer.StartAsync();
            var traceId = await RunSampleAsync(viewer);
            await viewer.WaitForTraceAsync(traceId, 7);
            await using var browser = await HeadlessChromium.StartAsync();
            var (page, problems) = await BrowserPage.OpenAsync(browser, viewer.Address + "#/trace/" + traceId);

            // RecommendTwoAsync, and per call recommend_book with one chat row: the SDK's chat span is folded into ours.
            var rows = page.Locator("#waterfall .span-row");
            await Expect(rows).ToHaveCountAsync(5);
            await Expect(page.Locator("#waterfall .span-row.gen-ai")).ToHaveCountAsync(2);
            await Expect(page.Locator("#waterfall .span-row.gen-ai .layers")).ToHaveTextAsync(new[] { " +1 layer", " +1 layer" });
            await Expect(page.Locator("#trace-meta")).ToContainTextAsync("7 spans (2 folded into the model calls they repeat)");
            await Expect(page.Locator("#trace-meta")).ToContainTextAsync($"{Input} / {Output} tokens · $0.0000");   // $0.0000294, shown to 4 places

            await page.Locator("#waterfall .span-row.gen-ai").First.ClickAsync();
            var details = page.Locator("#details");
            await Expect(details.Locator(".conversation .turn")).ToHaveCountAsync(2);
            await Expect(details.Locator(".conversation .turn.role-assistant .turn-role")).ToHaveTextAsync("assistant · stop");   // from gen_ai.response.finish_reasons[0]: the message has no finish_reason now
            await Expect(details.Locator("dl.facts").First).ToContainTextAsync("Promptrecommend_book · version ");   // gen_ai.prompt.name / version
            await Expect(details).ToContainTextAsync("Also recorded by");
            await Expect(details.Locator(".layers-list li")).ToContainTextAsync("OpenAI.ChatClient");
            await PageBrowserTests.ShotAsync(page, "viewer-llm-calls");

            // The folded layer's own span is one click away, and says where its call is counted.
            await details.Locator(".layers-list button").ClickAsync();
            await Expect(details).ToContainTextAsync("this span repeats that call");

            await page.Locator("#nav-dashboard").ClickAsync();
            await Expect(page.Locator("#card-input .card-value")).ToHaveTextAsync(Input.ToString(CultureInfo.InvariantCulture));
            await Expect(page.Locator("#card-output .card-value")).ToHaveTextAsync(Output.ToString(CultureInfo.InvariantCulture));
            await Expect(page.Locator("#top-models li")).ToHaveTextAsync(new[] { "gpt-4o-mini2" });
            Assert.Empty(problems);
        }

        private static Func<JsonElement, RichSpan> AsRichSpan(string traceId) => span =>
        {
            var attributes = new Dictionary<string, object>();
            foreach (var attribute in span.GetProperty("attributes").EnumerateObject())
            {
                attributes[attribute.Name] = attribute.Value.ValueKind switch
                {
                    JsonValueKind.String => attribute.Value.GetString()!,
                    JsonValueKind.Number when attribute.Value.TryGetInt64(out var whole) => whole,
                    JsonValueKind.Number => attribute.Value.GetDouble(),
                    JsonValueKind.True or JsonValueKind.False => attribute.Value.GetBoolean(),
                    JsonValueKind.Array => attribute.Value.EnumerateArray().Select(v => v.ToString()).ToArray(),
                    _ => attribute.Value.GetRawText(),
                };
            }

            var start = long.Parse(span.GetProperty("startTimeUnixNano").GetString()!, CultureInfo.InvariantCulture);
            return new RichSpan(traceId, span.GetProperty("spanId").GetString()!, span.GetProperty("parentSpanId").GetString(), span.GetProperty("name").GetString()!,
                DateTime.UnixEpoch.AddTicks(start / 100), span.GetProperty("durationNs").GetInt64() / 1e6, attributes);
        };
    }
}
