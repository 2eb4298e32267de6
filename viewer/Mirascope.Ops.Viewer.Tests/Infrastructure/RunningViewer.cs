using System;
using System.IO;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mirascope.Ops.Viewer.Storage;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests.Infrastructure
{
    /// <summary>The real viewer app on 127.0.0.1 with a free port and its own new database (<see cref="TestStore"/>).</summary>
    internal sealed class RunningViewer : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private RunningViewer(WebApplication app, ViewerOptions options, string folder)
        {
            _app = app;
            Options = options;
            Folder = folder;
            Address = ViewerApp.Address(app);
            Http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
        }

        public Uri Address { get; }

        /// <summary>The MIRASCOPE_BASE_URL a traced app uses to send here.</summary>
        public Uri BaseUrl => new Uri(StartupBanner.BaseUrl(Address));

        public ViewerOptions Options { get; }

        public string Folder { get; }

        public HttpClient Http { get; }

        public TraceStore Store => _app.Services.GetRequiredService<TraceStore>();

        /// <summary>The app itself: its services and its route table.</summary>
        public WebApplication App => _app;

        public T Services<T>() where T : notnull => _app.Services.GetRequiredService<T>();

        /// <param name="configure">Changes the options before the app is built.</param>
        /// <param name="extraRoutes">Maps more routes on the built app (as a later endpoint would be), before it starts.</param>
        /// <param name="log">Receives the viewer's log; none when null.</param>
        public static async Task<RunningViewer> StartAsync(Action<ViewerOptions>? configure = null, Action<WebApplication>? extraRoutes = null, ILoggerProvider? log = null)
        {
            var folder = Path.Combine(Path.GetTempPath(), "mirascope-viewer-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);   // also on PostgreSQL, where no file is written: tests check that none appears
            var options = new ViewerOptions { Port = 0, Store = TestStore.NewLocation(folder), RetentionAge = null, RetentionBytes = null };
            configure?.Invoke(options);
            var app = ViewerApp.Build(options, logging =>
            {
                logging.ClearProviders();
                if (log is not null)
                {
                    logging.AddProvider(log);
                }
            });
            extraRoutes?.Invoke(app);
            await app.StartAsync();
            return new RunningViewer(app, options, folder);
        }

        /// <summary>GET with the viewer's key when it has one (as a script reading the API would send it).</summary>
        public Task<HttpResponseMessage> GetWithKeyAsync(string path)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (!string.IsNullOrEmpty(Options.ApiKey))
            {
                request.Headers.Add("X-API-Key", Options.ApiKey);
            }

            return Http.SendAsync(request);
        }

        public async Task<JsonElement> GetJsonAsync(string path)
        {
            using var response = await GetWithKeyAsync(path);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {text}");
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }

        /// <summary>The trace's spans once at least <paramref name="spanCount"/> are stored (polls; fails after the timeout).</summary>
        public async Task<JsonElement> WaitForTraceAsync(string traceId, int spanCount, TimeSpan? timeout = null)
        {
            var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
            var seen = 0;
            while (true)
            {
                using var response = await GetWithKeyAsync("api/traces/" + traceId);
                if (response.IsSuccessStatusCode)
                {
                    using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                    seen = document.RootElement.GetProperty("spans").GetArrayLength();
                    if (seen >= spanCount)
                    {
                        return document.RootElement.Clone();
                    }
                }

                Assert.True(DateTime.UtcNow < deadline, $"trace {traceId} has {seen} of {spanCount} spans in the viewer after the timeout");
                await Task.Delay(25);
            }
        }

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
            {
                await _app.StopAsync(timeout.Token);
            }

            await _app.DisposeAsync();
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
