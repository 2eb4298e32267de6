using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests
{
    /// <summary>
    /// One model call seen by two layers (our chat span outside, the SDK's own inside) is counted once, whichever of the
    /// two spans arrives first, and two different calls are never taken for one (docs/viewer.md, "Each call counted once").
    /// </summary>
    public sealed class RepeatedCallTests
    {
        private static readonly DateTime Start = new DateTime(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

        private static Dictionary<string, object> Call(string? responseId, long input = 1000, long output = 100, string model = "gpt-4o-mini")
        {
            var attributes = RichSpans.Chat("openai", model, input, output);
            if (responseId is not null)
            {
                attributes["gen_ai.response.id"] = responseId;
            }

            return attributes;
        }

        private static (RichSpan Method, RichSpan Outer, RichSpan Inner) Layers(string trace, Dictionary<string, object> outer, Dictionary<string, object> inner) => (
            new RichSpan(trace, RichSpans.SpanId(1), null, "Shop.Recommend", Start, 100, RichSpans.Version("h-repeat", "s-repeat", "Recommend")),
            new RichSpan(trace, RichSpans.SpanId(2), RichSpans.SpanId(1), "chat gpt-4o-mini", Start.AddMilliseconds(1), 90, outer),
            new RichSpan(trace, RichSpans.SpanId(3), RichSpans.SpanId(2), "chat", Start.AddMilliseconds(2), 80, inner));

        private static async Task<(long Input, long Output, decimal Cost, Dictionary<string, string?> CountedBy)> FiguresAsync(RunningViewer viewer, string trace)
        {
            var listed = (await viewer.GetJsonAsync("api/traces")).GetProperty("traces").EnumerateArray().Single(t => t.GetProperty("traceId").GetString() == trace);
            var detail = await viewer.GetJsonAsync("api/traces/" + trace);
            var cost = detail.GetProperty("cost");
            Assert.Equal(listed.GetProperty("inputTokens").GetInt64(), cost.GetProperty("inputTokens").GetInt64());   // list and header agree
            var countedBy = detail.GetProperty("spans").EnumerateArray()
                .Where(s => s.GetProperty("usage").ValueKind == JsonValueKind.Object)
                .ToDictionary(s => s.GetProperty("spanId").GetString()!, s => s.GetProperty("usage").GetProperty("countedBy").GetString());
            return (listed.GetProperty("inputTokens").GetInt64(), listed.GetProperty("outputTokens").GetInt64(), cost.GetProperty("costUsd").GetDecimal(), countedBy);
        }

        // gpt-4o-mini: $0.15 in, $0.60 out per million.
        private const decimal OneCallCost = (1000 * 0.15m + 100 * 0.60m) / 1_000_000m;

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task The_SDK_span_inside_our_chat_span_is_counted_once_whichever_arrives_first(bool innerFirst)
        {
            await using var viewer = await RunningViewer.StartAsync();
            var trace = RichSpans.TraceId("repeat-" + innerFirst);
            var (method, outer, inner) = Layers(trace, Call("chatcmpl-1"), Call("chatcmpl-1"));

            // Each span in its own request, as batches of an exporter may split them.
            foreach (var span in innerFirst ? new[] { inner, method, outer } : new[] { method, outer, inner })
            {
                await RichSpans.SendAsync(viewer, span);
            }

            var (input, output, cost, countedBy) = await FiguresAsync(viewer, trace);
            Assert.Equal((1000, 100), (input, output));
            Assert.Equal(OneCallCost, cost);
            Assert.Null(countedBy[outer.SpanId]);
            Assert.Equal(outer.SpanId, countedBy[inner.SpanId]);

            var function = (await viewer.GetJsonAsync("api/functions")).GetProperty("functions").EnumerateArray().Single();
            Assert.Equal(1000, function.GetProperty("inputTokens").GetInt64());
            Assert.Equal(OneCallCost, function.GetProperty("costUsd").GetDecimal());
            var dashboard = await viewer.GetJsonAsync("api/analytics?startTime=2026-03-01T00:00:00Z&endTime=2026-03-02T00:00:00Z");
            Assert.Equal(1100, dashboard.GetProperty("totalTokens").GetInt64());
            Assert.Equal(OneCallCost, dashboard.GetProperty("totalCostUsd").GetDecimal());
            Assert.Equal(1, dashboard.GetProperty("topModels").EnumerateArray().Single().GetProperty("count").GetInt64());
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task An_agent_spans_total_is_not_counted_again_beside_its_model_calls_and_is_counted_when_they_are_absent(bool withCalls)
        {
            // Microsoft Agent Framework's invoke_agent span carries the run's summed usage and the chat spans under it each
            // carry their own: the run is the sum of its calls, once.
            await using var viewer = await RunningViewer.StartAsync();
            var trace = RichSpans.TraceId("agent-total-" + withCalls);
            var total = Call("chatcmpl-last", input: 2000, output: 200);
            total["gen_ai.operation.name"] = "invoke_agent";
            total["gen_ai.agent.name"] = "Shopper";
            var agent = new RichSpan(trace, RichSpans.SpanId(1), null, "invoke_agent Shopper", Start, 100, total);
            var first = new RichSpan(trace, RichSpans.SpanId(2), agent.SpanId, "chat gpt-4o-mini", Start.AddMilliseconds(1), 40, Call("chatcmpl-first"));
            var last = new RichSpan(trace, RichSpans.SpanId(3), agent.SpanId, "chat gpt-4o-mini", Start.AddMilliseconds(50), 40, Call("chatcmpl-last"));
            if (withCalls)
            {
                await RichSpans.SendAsync(viewer, first, last);
            }

            await RichSpans.SendAsync(viewer, agent);

            var (input, output, cost, _) = await FiguresAsync(viewer, trace);
            Assert.Equal((2000, 200), (input, output));
            Assert.Equal(2 * OneCallCost, cost);
            var dashboard = await viewer.GetJsonAsync("api/analytics?startTime=2026-03-01T00:00:00Z&endTime=2026-03-02T00:00:00Z");
            Assert.Equal(2200, dashboard.GetProperty("totalTokens").GetInt64());
            Assert.Equal(2 * OneCallCost, dashboard.GetProperty("totalCostUsd").GetDecimal());
            var detail = await viewer.GetJsonAsync("api/traces/" + trace);
            var agentUsage = detail.GetProperty("spans").EnumerateArray().Single(s => s.GetProperty("spanId").GetString() == agent.SpanId).GetProperty("usage");
            Assert.Equal("gen_ai.usage (agent total)", agentUsage.GetProperty("source").GetString());
        }

        [Fact]
        public async Task Without_a_response_id_a_child_with_the_parents_model_and_usage_is_the_same_call()
        {
            await using var viewer = await RunningViewer.StartAsync();
            var trace = RichSpans.TraceId("repeat-no-id");
            var (method, outer, inner) = Layers(trace, Call(null), Call("chatcmpl-2"));
            await RichSpans.SendAsync(viewer, inner);
            await RichSpans.SendAsync(viewer, method, outer);

            var (input, _, cost, countedBy) = await FiguresAsync(viewer, trace);
            Assert.Equal(1000, input);
            Assert.Equal(OneCallCost, cost);
            Assert.Equal(outer.SpanId, countedBy[inner.SpanId]);
        }

        [Theory]
        [InlineData("chatcmpl-a", "chatcmpl-b", 1000)]   // both have ids and they differ: two calls, even with equal usage
        [InlineData(null, null, 999)]                    // no ids and other usage: two calls
        public async Task Calls_that_differ_are_both_counted(string? outerId, string? innerId, long innerInput)
        {
            await using var viewer = await RunningViewer.StartAsync();
            var trace = RichSpans.TraceId("repeat-differ-" + innerInput);
            var (method, outer, inner) = Layers(trace, Call(outerId), Call(innerId, input: innerInput));
            await RichSpans.SendAsync(viewer, method, outer, inner);

            var (input, _, _, countedBy) = await FiguresAsync(viewer, trace);
            Assert.Equal(1000 + innerInput, input);
            Assert.All(countedBy.Values, Assert.Null);
        }

        [Fact]
        public async Task Three_layers_of_one_call_count_once_and_a_span_sent_again_with_another_id_is_counted_again()
        {
            await using var viewer = await RunningViewer.StartAsync();
            var trace = RichSpans.TraceId("repeat-three");
            var (method, outer, inner) = Layers(trace, Call("chatcmpl-3"), Call("chatcmpl-3"));
            var http = new RichSpan(trace, RichSpans.SpanId(4), inner.SpanId, "POST", Start.AddMilliseconds(3), 70);
            var innermost = new RichSpan(trace, RichSpans.SpanId(5), http.SpanId, "chat raw", Start.AddMilliseconds(4), 60, Call("chatcmpl-3"));
            await RichSpans.SendAsync(viewer, innermost);
            await RichSpans.SendAsync(viewer, method, outer, inner);
            await RichSpans.SendAsync(viewer, http);   // links the innermost to the others only now

            var (input, _, _, countedBy) = await FiguresAsync(viewer, trace);
            Assert.Equal(1000, input);
            Assert.Equal(inner.SpanId, countedBy[innermost.SpanId]);   // the nearest layer above it

            await RichSpans.SendAsync(viewer, innermost with { Attributes = Call("chatcmpl-other") });
            (input, _, _, countedBy) = await FiguresAsync(viewer, trace);
            Assert.Equal(2000, input);
            Assert.Null(countedBy[innermost.SpanId]);
        }
    }
}
