using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests
{
    /// <summary>The viewer as a user runs it: its own process, its banner, its options, and a database shared by two processes.</summary>
    public sealed class ViewerProcessTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "mirascope-viewer-tests", Guid.NewGuid().ToString("N"));

        [Fact]
        public async Task Two_viewer_processes_on_one_database_store_every_span_sent_to_either_at_the_same_time()
        {
            var data = TestStore.NewLocation(_folder, "shared.db");
            var (first, firstUrl) = await ViewerProcess.StartAsync("--port", "0", "--store", data);
            using var firstProcess = first;
            var (second, secondUrl) = await ViewerProcess.StartAsync("--port", "0", "--store", data);
            using var secondProcess = second;
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            const int Batches = 25, SpansPerBatch = 20;

            async Task SendAll(Uri baseUrl, int writer)
            {
                for (var batch = 0; batch < Batches; batch++)
                {
                    var traceId = TraceStoreTests.TraceIdOf($"{writer}-{batch}");
                    var spans = Enumerable.Range(1, SpansPerBatch).Select(i =>
                        $@"{{""traceId"":""{traceId}"",""spanId"":""{i:x16}"",{(i > 1 ? @"""parentSpanId"":""0000000000000001""," : "")}""name"":""w{writer}"",""startTimeUnixNano"":""{1000 + i}"",""endTimeUnixNano"":""{2000 + i}""}}");
                    var body = @"{""resourceSpans"":[{""scopeSpans"":[{""spans"":[" + string.Join(",", spans) + "]}]}]}";
                    using var content = new StringContent(body, Encoding.UTF8, "application/json");
                    using var response = await http.PostAsync(new Uri(baseUrl + "/traces"), content);
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                }
            }

            await Task.WhenAll(Task.Run(() => SendAll(firstUrl, 1)), Task.Run(() => SendAll(secondUrl, 2)));

            foreach (var baseUrl in new[] { firstUrl, secondUrl })
            {
                var status = await GetJsonAsync(http, new Uri(baseUrl, "/api/status"));
                Assert.Equal(2 * Batches, status.GetProperty("traces").GetInt64());
                Assert.Equal(2 * Batches * SpansPerBatch, status.GetProperty("spans").GetInt64());
            }

            var list = await GetJsonAsync(http, new Uri(firstUrl, "/api/traces?name=w2&limit=1000"));
            Assert.Equal(Batches, list.GetProperty("traces").GetArrayLength());
            Assert.All(list.GetProperty("traces").EnumerateArray(), t => Assert.Equal(SpansPerBatch, t.GetProperty("spanCount").GetInt32()));

            // The first viewer's page hears about spans that only the second one stored.
            using var events = await http.GetStreamAsync(new Uri(firstUrl, "/api/events"));
            using var reader = new StreamReader(events);
            var before = await NextSequenceAsync(reader);
            await SendAll(secondUrl, 3);
            var after = await NextSequenceAsync(reader);
            Assert.True(after > before, $"the event stream reported {after} after {before}");
        }

        private static async Task<long> NextSequenceAsync(StreamReader reader)
        {
            using var timeout = new System.Threading.CancellationTokenSource(TimeSpan.FromSeconds(20));
            while (true)
            {
                var line = await reader.ReadLineAsync(timeout.Token) ?? throw new EndOfStreamException("the event stream ended");
                if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    using var data = JsonDocument.Parse(line.Substring("data: ".Length));
                    return data.RootElement.GetProperty("latestSequence").GetInt64();
                }
            }
        }

        [Fact]
        public async Task The_banner_prints_the_page_url_and_the_MIRASCOPE_BASE_URL_and_OTLP_endpoint_to_use()
        {
            var data = TestStore.NewLocation(_folder, "banner.db");
            var (viewer, baseUrl) = await ViewerProcess.StartAsync("--port=0", "--store", data, "--retention-days", "3", "--retention-size", "500MB");
            using var process = viewer;

            var origin = baseUrl.GetLeftPart(UriPartial.Authority);
            Assert.StartsWith("http://127.0.0.1:", origin);
            Assert.Equal(origin + "/api/v2", baseUrl.ToString());
            Assert.Contains($"Mirascope.Ops viewer: open {origin}/", viewer.Output);
            Assert.Contains("MIRASCOPE_API_KEY=local", viewer.Output);
            Assert.Contains($"OTEL_EXPORTER_OTLP_ENDPOINT={origin}", viewer.Output);
            Assert.Contains($"Spans are kept in {Mirascope.Ops.Viewer.Storage.StoreEngines.Describe(data)} (each project for 3 days, at most 500 MB, unless its ADMIN sets its own).", viewer.Output);
            Assert.DoesNotContain("Password", viewer.Output, StringComparison.OrdinalIgnoreCase);   // a connection string's password is never shown
            using var http = new HttpClient();
            var page = await http.GetStringAsync(origin + "/");
            Assert.Contains("<title>Mirascope.Ops viewer</title>", page);
        }

        [Fact]
        public async Task A_port_in_use_and_a_bad_option_end_the_viewer_with_a_message_that_says_what_to_do()
        {
            await using var running = await RunningViewer.StartAsync();

            var (busyCode, busy) = await ViewerProcess.RunToExitAsync("--port", running.Address.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--store", TestStore.NewLocation(_folder, "busy.db"));
            var (badCode, bad) = await ViewerProcess.RunToExitAsync("--port", "http", "--retention-days", "-1");

            Assert.Equal(1, busyCode);
            Assert.Contains($"Port {running.Address.Port} on 127.0.0.1 is in use. Start the viewer with --port <n>", busy);
            Assert.Equal(2, badCode);
            Assert.Contains("--port must be a number from 0 to 65535, got \"http\"", bad);
            Assert.Contains("--retention-days must be a number of days from 0 (no age limit) to 36500, got \"-1\"", bad);
            Assert.Contains("usage:", bad);
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        private static async Task<JsonElement> GetJsonAsync(HttpClient http, Uri url)
        {
            using var document = JsonDocument.Parse(await http.GetStringAsync(url));
            return document.RootElement.Clone();
        }
    }
}
