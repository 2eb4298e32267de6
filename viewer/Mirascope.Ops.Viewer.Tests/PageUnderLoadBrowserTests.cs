using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Mirascope.Ops.Viewer.Tests
{
    /// <summary>
    /// The page while spans keep arriving and its queries take seconds (as at 1 M spans): every view shows a loading state,
    /// renders its answers, and never has the same query running twice at once, however many live events arrive.
    /// </summary>
    public sealed class PageUnderLoadBrowserTests
    {
        private static readonly TimeSpan SlowDashboard = TimeSpan.FromMilliseconds(1500);
        private static readonly TimeSpan SlowList = TimeSpan.FromMilliseconds(800);

        [Fact]
        public async Task With_spans_arriving_continuously_and_slow_queries_the_dashboard_and_the_list_render_and_never_run_the_same_query_twice_at_once()
        {
            var queries = new QueryTracker();
            await using var viewer = await RunningViewer.StartAsync(extraRoutes: app => app.Use(queries.HandleAsync));
            await RichSpans.SendAsync(viewer, DashboardBrowserTests.AgentRun("seed", DateTime.UtcNow.AddMinutes(-5)));

            using var stopSending = new CancellationTokenSource();
            var sent = 0;
            var sender = Task.Run(async () =>
            {
                while (!stopSending.IsCancellationRequested)
                {
                    await RichSpans.SendAsync(viewer, DashboardBrowserTests.AgentRun("arriving-" + sent.ToString(CultureInfo.InvariantCulture), DateTime.UtcNow));
                    Interlocked.Increment(ref sent);
                    await Task.Delay(100);
                }
            });
            try
            {
                await using var browser = await HeadlessChromium.StartAsync();
                var (page, problems) = await BrowserPage.OpenAsync(browser, viewer.Address + "#/dashboard");

                // While the (slowed) query runs the page says so, then the figures render although spans keep arriving.
                await Expect(page.Locator("#loading")).ToHaveTextAsync("Loading the dashboard…");
                await Expect(page.Locator("#dashboard-view")).ToHaveAttributeAsync("aria-busy", "true");
                await Expect(page.Locator("#card-traces .card-value")).ToHaveTextAsync(new Regex(@"^\d+$"));
                var firstFigure = int.Parse(await page.Locator("#card-traces .card-value").TextContentAsync() ?? "", CultureInfo.InvariantCulture);
                var clock = Stopwatch.StartNew();
                var sentBefore = Volatile.Read(ref sent);
                await Task.Delay(SlowDashboard * 4);

                // Later answers render too: the figure follows the arriving traces.
                await Expect(page.Locator("#card-traces .card-value")).Not.ToHaveTextAsync(firstFigure.ToString(CultureInfo.InvariantCulture));
                var events = Volatile.Read(ref sent) - sentBefore;
                Assert.True(events >= 15, $"only {events} batches arrived meanwhile; the test needs a stream of live events");
                Assert.Equal(1, queries.MostAtOnce("/api/analytics"));
                // One query at a time: about one per slow answer, not one per arriving batch.
                Assert.InRange(queries.Started("/api/analytics"), 2, (int)(clock.Elapsed / SlowDashboard) + 3);

                // The trace list the same.
                await page.Locator("#nav-traces").ClickAsync();
                await Expect(page.Locator("#trace-rows tr").First).ToBeVisibleAsync();
                await Task.Delay(SlowList * 4);
                await Expect(page.Locator("#trace-rows tr").First).ToBeVisibleAsync();
                Assert.Equal(1, queries.MostAtOnce("/api/traces"));
                Assert.DoesNotContain(problems, p => !p.StartsWith("request failed", StringComparison.Ordinal));
            }
            finally
            {
                stopSending.Cancel();
                await sender;
            }
        }

        /// <summary>Slows the page's list and dashboard queries and counts how many of each run at once (server side).</summary>
        private sealed class QueryTracker
        {
            private readonly ConcurrentDictionary<string, int[]> _counts = new ConcurrentDictionary<string, int[]>();   // [running, most, started]

            public int MostAtOnce(string path) => _counts.TryGetValue(path, out var c) ? Volatile.Read(ref c[1]) : 0;

            public int Started(string path) => _counts.TryGetValue(path, out var c) ? Volatile.Read(ref c[2]) : 0;

            public async Task HandleAsync(HttpContext context, RequestDelegate next)
            {
                var path = context.Request.Path.Value ?? "";
                var delay = path == "/api/analytics" ? SlowDashboard : path == "/api/traces" ? SlowList : TimeSpan.Zero;
                if (delay == TimeSpan.Zero || context.Request.Method != "GET")
                {
                    await next(context);
                    return;
                }

                var counts = _counts.GetOrAdd(path, _ => new int[3]);
                Interlocked.Increment(ref counts[2]);
                var running = Interlocked.Increment(ref counts[0]);
                int most;
                while (running > (most = Volatile.Read(ref counts[1])) && Interlocked.CompareExchange(ref counts[1], running, most) != most)
                {
                }

                try
                {
                    await Task.Delay(delay);   // a query that takes this long, as the dashboard's did at 1 M spans (30 s)
                    await next(context);
                }
                finally
                {
                    Interlocked.Decrement(ref counts[0]);
                }
            }
        }
    }
}
