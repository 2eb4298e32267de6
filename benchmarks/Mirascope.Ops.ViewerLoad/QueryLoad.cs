using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;

namespace Mirascope.Ops.ViewerLoad
{
    /// <summary>One query's measured runs.</summary>
    internal sealed record QueryReport(string Name, string Request, IReadOnlyCollection<double> Milliseconds, string Check);

    /// <summary>
    /// The page's queries of issue 28 item 4, each run K times one after another (after one unmeasured run): the trace
    /// list and its second page by the first page's cursor, a search with hits and one without, a trace's detail, a
    /// function's page, the functions list, the dashboard, the Cloud's search and the status counts.
    /// Each answer is checked (status 200, and hits or none where the query says so), so a fast error never counts as fast.
    /// </summary>
    internal static class QueryLoad
    {
        private const string Missing = "xylophonequartz";

        public static async Task<List<QueryReport>> RunAsync(LoadOptions options, Uri viewer, HttpClient http, IReadOnlyList<string> traceIds)
        {
            var end = DateTimeOffset.UtcNow.AddMinutes(1);
            var start = end.AddDays(-7);   // the dashboard's default period
            var range = $"startTime={Uri.EscapeDataString(start.ToString("o", CultureInfo.InvariantCulture))}&endTime={Uri.EscapeDataString(end.ToString("o", CultureInfo.InvariantCulture))}";
            var reports = new List<QueryReport>();
            var run = 0;
            string NextTrace() => traceIds.Count == 0 ? new string('0', 31) + "1" : traceIds[run++ % traceIds.Count];

            reports.Add(await MeasureAsync(options, http, "list (newest 200)", () => Get(viewer, "api/traces?limit=200"), Traces(min: 1)).ConfigureAwait(false));
            var cursor = await FirstPageCursorAsync(options, http, viewer).ConfigureAwait(false);
            reports.Add(await MeasureAsync(options, http, "list page 2 (100 after the first 100, by cursor)", () => Get(viewer, "api/traces?limit=100&cursor=" + Uri.EscapeDataString(cursor ?? "")),
                cursor is null ? _ => "the first page gave no nextCursor" : Traces(min: 1)).ConfigureAwait(false));
            reports.Add(await MeasureAsync(options, http, "search with hits (q=mystery)", () => Get(viewer, "api/traces?limit=200&q=mystery"), Traces(min: 1)).ConfigureAwait(false));
            reports.Add(await MeasureAsync(options, http, "search without hits", () => Get(viewer, "api/traces?limit=200&q=" + Missing), Traces(min: 0, max: 0)).ConfigureAwait(false));
            reports.Add(await MeasureAsync(options, http, "trace detail (10 spans)", () => Get(viewer, "api/traces/" + NextTrace()), Spans(SpanBatchBuilder.SpansPerTrace)).ConfigureAwait(false));
            reports.Add(await MeasureAsync(options, http, "function page (" + SpanBatchBuilder.Functions[0].Name + ")",
                () => Get(viewer, "api/functions/versions?name=" + Uri.EscapeDataString(SpanBatchBuilder.Functions[0].Name)), HasProperty("versions")).ConfigureAwait(false));
            reports.Add(await MeasureAsync(options, http, "functions list", () => Get(viewer, "api/functions"), HasProperty("functions")).ConfigureAwait(false));
            reports.Add(await MeasureAsync(options, http, "dashboard (7 days)", () => Get(viewer, "api/analytics?" + range), HasProperty("totalSpans")).ConfigureAwait(false));
            reports.Add(await MeasureAsync(options, http, "Cloud search, messages (mystery)", () =>
            {
                var body = $"{{\"startTime\":\"{start:o}\",\"endTime\":\"{end:o}\",\"inputMessagesQuery\":\"mystery\",\"limit\":50}}";
                var request = new HttpRequestMessage(HttpMethod.Post, new Uri(viewer, "api/v2/traces/search")) { Content = new StringContent(body, Encoding.UTF8) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                return request;
            }, HasProperty("spans")).ConfigureAwait(false));
            reports.Add(await MeasureAsync(options, http, "status", () => Get(viewer, "api/status"), HasProperty("spans")).ConfigureAwait(false));
            return reports;
        }

        /// <summary>The <c>nextCursor</c> of the list's first page of 100 (null when there is no second page).</summary>
        private static async Task<string?> FirstPageCursorAsync(LoadOptions options, HttpClient http, Uri viewer)
        {
            using var message = Get(viewer, "api/traces?limit=100");
            if (options.ApiKey is not null)
            {
                message.Headers.Add("X-API-Key", options.ApiKey);
            }

            using var response = await http.SendAsync(message).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync().ConfigureAwait(false));
            return document.RootElement.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }

        private static HttpRequestMessage Get(Uri viewer, string path) => new HttpRequestMessage(HttpMethod.Get, new Uri(viewer, path));

        private static async Task<QueryReport> MeasureAsync(LoadOptions options, HttpClient http, string name, Func<HttpRequestMessage> request, Func<JsonElement, string?> check)
        {
            var times = new List<double>();
            string? problem = null;
            string shown = "";
            for (var i = 0; i <= options.QueryRuns; i++)
            {
                using var message = request();
                shown = message.Method + " " + message.RequestUri!.PathAndQuery;
                if (options.ApiKey is not null)
                {
                    message.Headers.Add("X-API-Key", options.ApiKey);
                }

                var clock = Stopwatch.StartNew();
                using var response = await http.SendAsync(message).ConfigureAwait(false);
                var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                clock.Stop();
                if (!response.IsSuccessStatusCode)
                {
                    problem ??= $"HTTP {(int)response.StatusCode}: {text.Substring(0, Math.Min(200, text.Length))}";
                }
                else
                {
                    using var document = JsonDocument.Parse(text);
                    problem ??= check(document.RootElement);
                }

                if (i > 0)
                {
                    times.Add(clock.Elapsed.TotalMilliseconds);   // run 0 warms the caches and is not counted
                }
            }

            return new QueryReport(name, shown, times, problem ?? "ok");
        }

        private static Func<JsonElement, string?> Traces(int min, int max = int.MaxValue) => root =>
        {
            var count = root.GetProperty("traces").GetArrayLength();
            return count >= min && count <= max ? null : $"{count} traces, expected {min} to {max}";
        };

        private static Func<JsonElement, string?> Spans(int count) => root =>
        {
            var spans = root.GetProperty("spans").GetArrayLength();
            return spans == count ? null : $"{spans} spans, expected {count}";
        };

        private static Func<JsonElement, string?> HasProperty(string name) => root =>
            root.TryGetProperty(name, out _) ? null : $"no \"{name}\" in the answer";
    }
}
