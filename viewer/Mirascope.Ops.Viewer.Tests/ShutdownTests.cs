using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Mirascope.Ops.Viewer.Storage;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests
{
    /// <summary>Ctrl+C / SIGTERM: the viewer stops in seconds, finishes the ingest it admitted and keeps every acknowledged span.</summary>
    public sealed class ShutdownTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "mirascope-viewer-tests", Guid.NewGuid().ToString("N"));

        [Fact]
        public async Task SIGTERM_with_an_open_event_stream_and_an_ingest_in_flight_stops_within_seconds_and_stores_and_acknowledges_that_ingest()
        {
            var data = Path.Combine(_folder, "spans.db");
            var (viewer, baseUrl) = await ViewerProcess.StartAsync("--port", "0", "--data", data);
            using var process = viewer;
            var root = new Uri(baseUrl, "/");
            using var http = new HttpClient { BaseAddress = root, Timeout = TimeSpan.FromSeconds(60) };
            Assert.Equal(HttpStatusCode.OK, await PostAsync(http, "before-stop", 5));

            // The page's live stream, open and past its first event.
            using var events = await http.GetAsync("api/events", HttpCompletionOption.ResponseHeadersRead);
            var stream = await events.Content.ReadAsStreamAsync();
            await ReadUntilAsync(stream, "event: spans");

            // An ingest the viewer admitted and is reading when the stop comes.
            using var held = HeldIngest.Start(new Uri(root, "api/v2/traces"), IngestBackpressureTests.JsonBody("in-flight", 5));
            await held.FirstHalfSent;
            await Task.Delay(300);

            var clock = Stopwatch.StartNew();
            Signal(process.Process, "TERM");
            await Task.Delay(300);
            held.Release();
            using (var answer = await held.Response)
            {
                Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            }

            Assert.True(await ExitedWithinAsync(process.Process, TimeSpan.FromSeconds(15)), "the viewer did not exit within 15 s of SIGTERM:\n" + process.Output);
            clock.Stop();
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"the viewer took {clock.Elapsed.TotalSeconds:0.0} s to stop:\n" + process.Output);
            Assert.Equal(0, process.Process.ExitCode);
            Assert.Equal(0, await stream.ReadAsync(new byte[64]));   // the event stream was ended, not left hanging

            var store = new TraceStore(data);
            Assert.Equal((2L, 10L), store.Count());
        }

        [Fact]
        public async Task SIGTERM_stops_within_the_shutdown_timeout_while_a_request_is_stuck_on_the_database_and_that_request_is_not_acknowledged()
        {
            var data = Path.Combine(_folder, "spans.db");
            var (viewer, baseUrl) = await ViewerProcess.StartAsync("--port", "0", "--data", data);
            using var process = viewer;
            var root = new Uri(baseUrl, "/");
            using var http = new HttpClient { BaseAddress = root, Timeout = TimeSpan.FromSeconds(60) };
            Assert.Equal(HttpStatusCode.OK, await PostAsync(http, "acknowledged", 4));

            // Another process (this test) holds the file's write lock: the next ingest waits in SQLite's busy timeout (30 s),
            // as a long query or a busy shared file keeps a request running. Before, stopping waited for it: about 30 s.
            var outside = new TraceStore(data);
            using var connection = outside.Open();
            using var writeLock = outside.Engine.BeginWrite(connection, new[] { "any trace" });   // SQLite: the file's one write lock
            var stuck = PostAsync(http, "stuck", 3);
            await Task.Delay(500);
            Assert.False(stuck.IsCompleted, "the ingest was answered while another process held the write lock");

            var clock = Stopwatch.StartNew();
            Signal(process.Process, "TERM");
            Assert.True(await ExitedWithinAsync(process.Process, TimeSpan.FromSeconds(25)), "the viewer did not exit within 25 s of SIGTERM:\n" + process.Output);
            clock.Stop();
            Assert.True(clock.Elapsed < ViewerApp.ShutdownTimeout + TimeSpan.FromSeconds(2), $"the viewer took {clock.Elapsed.TotalSeconds:0.0} s to stop:\n" + process.Output);

            // Never acknowledged: its sender sees a failure and sends it again; nothing of it is in the file.
            var outcome = await Task.WhenAny(stuck, Task.Delay(TimeSpan.FromSeconds(10)));
            Assert.Same(stuck, outcome);
            HttpStatusCode? status = null;
            try
            {
                status = await stuck;
            }
            catch (HttpRequestException)
            {
                // the connection was cut: no answer at all
            }

            Assert.NotEqual(HttpStatusCode.OK, status);
            writeLock.Rollback();
            Assert.Equal((1L, 4L), outside.Count());
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

        private static async Task<HttpStatusCode> PostAsync(HttpClient http, string seed, int spans)
        {
            using var content = new ByteArrayContent(IngestBackpressureTests.JsonBody(seed, spans));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await http.PostAsync("api/v2/traces", content);
            return response.StatusCode;
        }

        /// <summary>Sends a POSIX signal, as Ctrl+C (INT) or a service manager (TERM) does.</summary>
        private static void Signal(Process process, string signal)
        {
            using var kill = Process.Start(new ProcessStartInfo("kill", $"-{signal} {process.Id}") { UseShellExecute = false })!;
            kill.WaitForExit();
            Assert.Equal(0, kill.ExitCode);
        }

        private static async Task<bool> ExitedWithinAsync(Process process, TimeSpan limit)
        {
            using var timeout = new CancellationTokenSource(limit);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        private static async Task ReadUntilAsync(Stream stream, string text)
        {
            var seen = new StringBuilder();
            var buffer = new byte[256];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (!seen.ToString().Contains(text, StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer, timeout.Token);
                Assert.True(read > 0, "the event stream ended before " + text);
                seen.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }
        }
    }
}
