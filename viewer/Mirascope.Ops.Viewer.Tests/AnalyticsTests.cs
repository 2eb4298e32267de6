using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading.Tasks;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests
{
    /// <summary><c>GET /api/v2/traces/analytics</c>: the Cloud's analytics summary of a period, whole or for one function.</summary>
    public sealed class AnalyticsTests
    {
        private const string Day = "startTime=2026-03-01T00:00:00Z&endTime=2026-03-02T00:00:00Z";

        [Fact]
        public async Task The_summary_has_the_periods_counts_error_rate_percentiles_tokens_cost_and_top_models_and_functions()
        {
            await using var viewer = await RunningViewer.StartAsync();
            await FunctionFiguresTests.SeedAsync(viewer);

            var summary = await viewer.GetJsonAsync("api/v2/traces/analytics?" + Day);

            Assert.Equal(4, summary.GetProperty("totalTraces").GetInt64());
            Assert.Equal(7, summary.GetProperty("totalSpans").GetInt64());
            Assert.Equal(1.0 / 7, summary.GetProperty("errorRate").GetDouble(), 6);
            Assert.Equal(112.857, summary.GetProperty("avgDurationMs").GetDouble());   // (20+40+50+80+100+200+300) / 7
            Assert.Equal(80, summary.GetProperty("p50DurationMs").GetDouble());
            Assert.Equal(300, summary.GetProperty("p95DurationMs").GetDouble());
            Assert.Equal(300, summary.GetProperty("p99DurationMs").GetDouble());
            Assert.Equal(3010, summary.GetProperty("totalInputTokens").GetInt64());
            Assert.Equal(305, summary.GetProperty("totalOutputTokens").GetInt64());
            Assert.Equal(3315, summary.GetProperty("totalTokens").GetInt64());
            Assert.Equal(0.0006m, summary.GetProperty("totalCostUsd").GetDecimal());
            Assert.False(summary.GetProperty("costComplete").GetBoolean());
            Assert.Equal("[\"ollama/local-llama\"]", summary.GetProperty("unpricedModels").GetRawText());
            Assert.Equal(new[] { ("Recommend", 3L), ("Summarize", 1L) },
                summary.GetProperty("topFunctions").EnumerateArray().Select(f => (f.GetProperty("functionName").GetString()!, f.GetProperty("count").GetInt64())));
            Assert.Equal(new[] { "gpt-4o-mini", "gpt-4o-mini-2024-07-18", "local-llama" },
                summary.GetProperty("topModels").EnumerateArray().Select(m => m.GetProperty("model").GetString()));

            // One function's calls and what they called; the page's copy answers the same.
            var functionId = (await viewer.GetJsonAsync("api/v2/functions/hash/h1")).GetProperty("id").GetString();
            var recommend = await viewer.GetJsonAsync($"api/analytics?{Day}&functionId={functionId}");
            Assert.Equal(2, recommend.GetProperty("totalTraces").GetInt64());
            Assert.Equal(4, recommend.GetProperty("totalSpans").GetInt64());
            Assert.Equal(3000, recommend.GetProperty("totalInputTokens").GetInt64());
            Assert.True(recommend.GetProperty("costComplete").GetBoolean());

            var empty = await viewer.GetJsonAsync("api/analytics?startTime=2020-01-01T00:00:00Z&endTime=2020-01-02T00:00:00Z");
            Assert.Equal(0, empty.GetProperty("totalSpans").GetInt64());
            Assert.Equal(JsonValueKind.Null, empty.GetProperty("p50DurationMs").ValueKind);
            Assert.Equal(0, empty.GetProperty("topModels").GetArrayLength());
        }

        [Theory]
        [InlineData("endTime=2026-03-02T00:00:00Z", HttpStatusCode.BadRequest, "startTime is required (an ISO 8601 time)")]
        [InlineData("startTime=soon&endTime=2026-03-02T00:00:00Z", HttpStatusCode.BadRequest, "startTime must be an ISO 8601 time")]
        [InlineData("startTime=2026-03-03T00:00:00Z&endTime=2026-03-02T00:00:00Z", HttpStatusCode.BadRequest, "startTime is after endTime")]
        [InlineData(Day + "&functionId=abc", HttpStatusCode.BadRequest, "functionId must be a UUID")]
        [InlineData(Day + "&functionId=00000000-0000-0000-0000-000000000009", HttpStatusCode.NotFound, "Function with id 00000000-0000-0000-0000-000000000009 not found")]
        [InlineData(Day + "&period=7d", HttpStatusCode.BadRequest, "\"period\" is not a parameter of /api/v2/traces/analytics; it takes startTime, endTime, functionId")]
        public async Task A_bad_analytics_query_is_a_4xx_naming_the_parameter(string query, HttpStatusCode status, string message)
        {
            await using var viewer = await RunningViewer.StartAsync();

            using var response = await viewer.Http.GetAsync("api/v2/traces/analytics?" + query);

            Assert.Equal(status, response.StatusCode);
            Assert.StartsWith(message, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString());
        }
    }
}
