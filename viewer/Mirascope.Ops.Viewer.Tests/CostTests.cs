using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Mirascope.Ops.Viewer.Cost;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests
{
    /// <summary>Cost from token counts and the price table: rules, the override file, and what the API shows per span and trace.</summary>
    public sealed class CostTests
    {
        [Fact]
        public void Cached_tokens_are_taken_out_of_the_input_and_priced_at_the_cache_rates()
        {
            var prices = PriceTable.Load();

            // claude-sonnet-4: $3 in, $15 out, $0.30 cache read, $3.75 cache write per million.
            var cost = prices.Cost(new TokenUsage("anthropic", "claude-sonnet-4-20250514", Input: 10_000, Output: 1_000, CacheRead: 4_000, CacheWrite: 2_000));

            Assert.Equal((4_000 * 3m + 1_000 * 15m + 4_000 * 0.30m + 2_000 * 3.75m) / 1_000_000m, cost);
        }

        [Theory]
        [InlineData("openai", "gpt-4o-mini", "gpt-4o-mini")]
        [InlineData("openai", "gpt-4o-mini-2024-07-18", "gpt-4o-mini")]   // a dated id is priced as its model
        [InlineData(null, "openai/gpt-4o", "gpt-4o")]                      // Mirascope's provider/model id
        [InlineData("gcp.gemini", "gemini-2.5-flash", "gemini-2.5-flash")] // OpenTelemetry's provider name
        [InlineData("ollama", "gpt-4o", "gpt-4o")]                         // an unknown provider: any provider's model
        public void Models_are_found_as_the_spans_name_them(string? provider, string model, string expected)
        {
            Assert.Equal(expected, PriceTable.Load().Find(provider, model)?.Model);
        }

        [Fact]
        public void An_unknown_model_has_no_price_rather_than_a_price_of_0()
        {
            Assert.Null(PriceTable.Load().Cost(new TokenUsage("ollama", "local-llama", 10, 5, 0, 0)));
            Assert.Null(PriceTable.Load().Cost(new TokenUsage("openai", "gpt-4o-minimal", 10, 5, 0, 0)));   // not "gpt-4o" + "-…"
        }

        [Fact]
        public void A_prices_file_is_laid_over_the_shipped_table_and_a_broken_one_is_refused_saying_where()
        {
            var folder = Directory.CreateTempSubdirectory("viewer-prices-").FullName;
            var path = Path.Combine(folder, "prices.json");
            File.WriteAllText(path, @"{ ""ollama"": { ""local-llama"": { ""input"": 1, ""output"": 2 } }, ""openai"": { ""gpt-4o"": { ""input"": 100, ""output"": 100 } } }");

            var table = PriceTable.Load(path);

            Assert.Equal(20m / 1_000_000m, table.Cost(new TokenUsage("ollama", "local-llama", 10, 5, 0, 0)));
            Assert.Equal(100m * 15 / 1_000_000m, table.Cost(new TokenUsage("openai", "gpt-4o", 10, 5, 0, 0)));
            Assert.NotNull(table.Find("openai", "gpt-4o-mini"));   // the shipped entries stay

            File.WriteAllText(path, @"{ ""openai"": { ""gpt-4o"": { ""input"": -1, ""output"": 1 } } }");
            var negative = Assert.Throws<ArgumentException>(() => PriceTable.Load(path));
            Assert.Equal($"--prices {path}: openai.gpt-4o.input: must be a number of USD per million tokens, 0 or more, got -1", negative.Message);
            File.WriteAllText(path, @"{ ""openai"": { ""gpt-4o"": { ""output"": 1 } } }");
            Assert.Contains("openai.gpt-4o: needs \"input\"", Assert.Throws<ArgumentException>(() => PriceTable.Load(path)).Message);
            Assert.Contains("cannot be read", Assert.Throws<ArgumentException>(() => PriceTable.Load(Path.Combine(folder, "missing.json"))).Message);
            var options = Assert.Throws<ArgumentException>(() => ViewerOptions.Parse(new[] { "--prices", path }, _ => null));
            Assert.Contains("needs \"input\"", options.Message);
            Directory.Delete(folder, recursive: true);
        }

        [Fact]
        public async Task A_trace_shows_each_model_calls_cost_and_its_total_and_counts_a_response_once()
        {
            await using var viewer = await RunningViewer.StartAsync();
            var trace = RichSpans.TraceId("cost");
            var wrapper = RichSpans.Version("h1", "s1");
            // The traced method returned the model's response, so it records mirascope.response.usage for the same tokens.
            wrapper["mirascope.response.usage"] = "{\"input_tokens\":1000,\"output_tokens\":200,\"cache_read_tokens\":0,\"cache_write_tokens\":0,\"reasoning_tokens\":0,\"total_tokens\":1200}";
            wrapper["mirascope.response.model_id"] = "gpt-4o";
            await RichSpans.SendAsync(viewer,
                new RichSpan(trace, RichSpans.SpanId(1), null, "Shop.Recommend", FunctionFiguresTests.Base, 100, wrapper),
                new RichSpan(trace, RichSpans.SpanId(2), RichSpans.SpanId(1), "chat gpt-4o", FunctionFiguresTests.Base, 90, RichSpans.Chat("openai", "gpt-4o", 1000, 200)),
                new RichSpan(trace, RichSpans.SpanId(3), RichSpans.SpanId(1), "chat llama", FunctionFiguresTests.Base, 10, RichSpans.Chat("ollama", "local-llama", 7, 3)));

            var detail = await viewer.GetJsonAsync("api/traces/" + trace);

            var chat = detail.GetProperty("spans").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "chat gpt-4o").GetProperty("usage");
            Assert.Equal("openai/gpt-4o", chat.GetProperty("pricedAs").GetString());
            Assert.Equal((1000 * 2.5m + 200 * 10m) / 1_000_000m, chat.GetProperty("costUsd").GetDecimal());
            var llama = detail.GetProperty("spans").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "chat llama").GetProperty("usage");
            Assert.Equal(JsonValueKind.Null, llama.GetProperty("costUsd").ValueKind);
            var total = detail.GetProperty("cost");
            Assert.Equal(1007, total.GetProperty("inputTokens").GetInt64());   // the wrapper's copy of the gpt-4o tokens is not counted again
            Assert.Equal(0.0045m, total.GetProperty("costUsd").GetDecimal());
            Assert.False(total.GetProperty("costComplete").GetBoolean());
            Assert.Equal("[\"ollama/local-llama\"]", total.GetProperty("unpricedModels").GetRawText());

            var listed = await viewer.GetJsonAsync("api/traces");
            Assert.Equal(1007, listed.GetProperty("traces")[0].GetProperty("inputTokens").GetInt64());
            Assert.Equal(0.0045m, listed.GetProperty("costs").GetProperty(trace).GetProperty("costUsd").GetDecimal());
        }

        [Fact]
        public async Task A_traced_method_that_returned_a_response_is_counted_when_no_model_call_span_is_there()
        {
            await using var viewer = await RunningViewer.StartAsync();
            var trace = RichSpans.TraceId("response-only");
            var attributes = RichSpans.Version("h1", "s1");
            attributes["mirascope.response.usage"] = "{\"input_tokens\":100,\"output_tokens\":10,\"cache_read_tokens\":50,\"cache_write_tokens\":0}";
            attributes["mirascope.response.provider_id"] = "openai";
            attributes["mirascope.response.model_id"] = "gpt-4o-mini";
            await RichSpans.SendAsync(viewer, new RichSpan(trace, RichSpans.SpanId(1), null, "recommend", FunctionFiguresTests.Base, 10, attributes));

            var span = (await viewer.GetJsonAsync("api/traces/" + trace)).GetProperty("spans")[0].GetProperty("usage");

            Assert.Equal("mirascope.response.usage", span.GetProperty("source").GetString());
            Assert.Equal(50, span.GetProperty("cacheReadTokens").GetInt64());
            Assert.Equal((50 * 0.15m + 10 * 0.6m + 50 * 0.075m) / 1_000_000m, span.GetProperty("costUsd").GetDecimal());
        }

        [Theory]
        [InlineData("gen_ai.usage.cache_write.input_tokens", 300)]      // the current conventions' name
        [InlineData("gen_ai.usage.cache_creation.input_tokens", 200)]   // GenAI v1.41's, read when the current one is absent
        public async Task Cache_write_tokens_are_read_under_the_current_name_first_then_the_v141_name(string present, long expected)
        {
            await using var viewer = await RunningViewer.StartAsync();
            var trace = RichSpans.TraceId("cache-write-" + expected);
            var attributes = RichSpans.Chat("anthropic", "claude-sonnet-4-20250514", input: 1000, output: 10);
            attributes["gen_ai.usage.cache_creation.input_tokens"] = 200L;
            if (present == "gen_ai.usage.cache_write.input_tokens")
            {
                attributes[present] = 300L;
            }

            await RichSpans.SendAsync(viewer, new RichSpan(trace, RichSpans.SpanId(1), null, "chat claude", new DateTime(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc), 5, attributes));

            var usage = (await viewer.GetJsonAsync("api/traces/" + trace)).GetProperty("spans")[0].GetProperty("usage");
            Assert.Equal(expected, usage.GetProperty("cacheWriteTokens").GetInt64());
        }
    }
}
