using System;
using System.Threading.Tasks;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Mirascope.Ops.Viewer.Tests
{
    /// <summary>The dashboard over a chosen period and a model call's conversation, in a real Chromium.</summary>
    public sealed class DashboardBrowserTests
    {
        internal static RichSpan[] AgentRun(string seed, DateTime start)
        {
            var trace = RichSpans.TraceId(seed);
            var chat = RichSpans.Chat("openai", "gpt-4o", input: 2000, output: 500);
            chat["gen_ai.system_instructions"] = "[{\"type\":\"text\",\"content\":\"You are a librarian.\"}]";
            chat["gen_ai.input.messages"] = "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Recommend a fantasy book.\"}]},"
                + "{\"role\":\"assistant\",\"parts\":[{\"type\":\"tool_call\",\"id\":\"call_1\",\"name\":\"search_books\",\"arguments\":{\"genre\":\"fantasy\"}}]},"
                + "{\"role\":\"tool\",\"parts\":[{\"type\":\"tool_call_response\",\"id\":\"call_1\",\"response\":[\"Mistborn\"]}]}]";
            chat["gen_ai.output.messages"] = "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Try Mistborn.\"}],\"finish_reason\":\"stop\"}]";
            return new[]
            {
                new RichSpan(trace, RichSpans.SpanId(1), null, "Agent.Answer", start, 900, RichSpans.Version("a1", "as1", name: "Answer")),
                new RichSpan(trace, RichSpans.SpanId(2), RichSpans.SpanId(1), "chat gpt-4o", start.AddMilliseconds(10), 800, chat),
            };
        }

        [Fact]
        public async Task The_dashboard_shows_the_periods_figures_and_a_model_call_shows_its_conversation_as_chat_turns()
        {
            await using var viewer = await RunningViewer.StartAsync();
            await RichSpans.SendAsync(viewer, AgentRun("recent", DateTime.UtcNow.AddHours(-1)));
            await RichSpans.SendAsync(viewer, AgentRun("old", DateTime.UtcNow.AddDays(-20)));
            await RichSpans.SendAsync(viewer, new RichSpan(RichSpans.TraceId("response"), RichSpans.SpanId(1), null, "recommend_book", DateTime.UtcNow.AddDays(-40), 5,
                new System.Collections.Generic.Dictionary<string, object>
                {
                    ["mirascope.response.messages"] = "[{\"role\":\"system\",\"content\":{\"type\":\"text\",\"text\":\"Be brief.\"}},"
                        + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Recommend a fantasy book.\"}],\"name\":null}]",
                    ["mirascope.response.content"] = "[{\"type\":\"thought\",\"thought\":\"the user likes magic\"},{\"type\":\"tool_call\",\"id\":\"t1\",\"name\":\"search\",\"args\":\"{}\"},{\"type\":\"text\",\"text\":\"Mistborn.\"}]",
                }));
            await using var browser = await HeadlessChromium.StartAsync();
            var (page, problems) = await BrowserPage.OpenAsync(browser, viewer.Address.ToString());

            await page.Locator("#nav-dashboard").ClickAsync();
            await Expect(page.Locator("#card-traces .card-value")).ToHaveTextAsync("1");   // the last 7 days, the default
            await Expect(page.Locator("#card-spans .card-value")).ToHaveTextAsync("2");
            await Expect(page.Locator("#card-errors .card-value")).ToHaveTextAsync("0.0%");
            await Expect(page.Locator("#card-latency .card-value")).ToHaveTextAsync("850 ms");
            await Expect(page.Locator("#card-latency .card-sub")).ToHaveTextAsync("p50 800 ms · p95 900 ms · p99 900 ms");
            await Expect(page.Locator("#card-input .card-value")).ToHaveTextAsync("2,000");
            await Expect(page.Locator("#card-output .card-value")).ToHaveTextAsync("500");
            await Expect(page.Locator("#card-cost .card-value")).ToHaveTextAsync("$0.01");   // 2000 × $2.50 + 500 × $10 per million
            await Expect(page.Locator("#top-models li")).ToHaveTextAsync(new[] { "gpt-4o1" });
            await Expect(page.Locator("#top-functions li")).ToHaveTextAsync(new[] { "Answer1" });
            await PageBrowserTests.ShotAsync(page, "dashboard");
            await page.Locator("#d-period").SelectOptionAsync(new[] { "30d" });
            await Expect(page.Locator("#card-traces .card-value")).ToHaveTextAsync("2");
            await Expect(page.Locator("#card-cost .card-value")).ToHaveTextAsync("$0.02");
            await page.Locator("#d-period").SelectOptionAsync(new[] { "24h" });
            await Expect(page.Locator("#card-traces .card-value")).ToHaveTextAsync("1");

            // The model call's messages as turns with roles, tool calls and results, next to the raw attributes.
            await page.GotoAsync(viewer.Address + "#/trace/" + RichSpans.TraceId("recent"));
            await Expect(page.Locator("#trace-title")).ToHaveTextAsync("Agent.Answer");
            await page.Keyboard.PressAsync("ArrowDown");
            var turns = page.Locator("#details .conversation .turn");
            await Expect(turns).ToHaveCountAsync(5);
            await Expect(turns.Nth(0)).ToHaveClassAsync("turn role-system");
            await Expect(turns.Nth(0)).ToContainTextAsync("You are a librarian.");
            await Expect(turns.Nth(1)).ToHaveClassAsync("turn role-user");
            await Expect(turns.Nth(1)).ToContainTextAsync("Recommend a fantasy book.");
            await Expect(turns.Nth(2).Locator(".turn-tool-head")).ToHaveTextAsync("→ calls tool search_books (call_1)");
            await Expect(turns.Nth(2).Locator("pre.json")).ToHaveTextAsync("{\n  \"genre\": \"fantasy\"\n}");
            await Expect(turns.Nth(3)).ToHaveClassAsync("turn role-tool");
            await Expect(turns.Nth(3).Locator(".turn-tool-head")).ToHaveTextAsync("← result of tool (call_1)");
            await Expect(turns.Nth(3)).ToContainTextAsync("Mistborn");
            await Expect(turns.Nth(4).Locator(".turn-role")).ToHaveTextAsync("assistant · stop");
            await Expect(turns.Nth(4)).ToContainTextAsync("Try Mistborn.");
            await Expect(page.Locator("#details h4", new Microsoft.Playwright.PageLocatorOptions { HasText = "Input messages" })).ToBeVisibleAsync();   // the raw value stays
            await turns.Nth(4).ScrollIntoViewIfNeededAsync();
            await PageBrowserTests.ShotAsync(page, "conversation");

            // A traced method that returned a response: Mirascope's response messages and content, when no gen_ai messages are there.
            await page.GotoAsync(viewer.Address + "#/trace/" + RichSpans.TraceId("response"));
            await Expect(page.Locator("#trace-title")).ToHaveTextAsync("recommend_book");
            var responseTurns = page.Locator("#details .conversation .turn");
            await Expect(responseTurns).ToHaveCountAsync(3);
            await Expect(responseTurns.Nth(0)).ToHaveClassAsync("turn role-system");
            await Expect(responseTurns.Nth(1)).ToContainTextAsync("Recommend a fantasy book.");
            await Expect(responseTurns.Nth(2)).ToHaveClassAsync("turn role-assistant");
            await Expect(responseTurns.Nth(2).Locator(".turn-thought")).ToContainTextAsync("thinking: the user likes magic");
            await Expect(responseTurns.Nth(2).Locator(".turn-tool-head")).ToHaveTextAsync("→ calls tool search (t1)");
            await Expect(responseTurns.Nth(2)).ToContainTextAsync("Mistborn.");

            Assert.Empty(problems);
        }
    }
}
