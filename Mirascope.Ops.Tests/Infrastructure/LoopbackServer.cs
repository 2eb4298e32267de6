using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mirascope.Ops.Tests.Infrastructure
{
    /// <summary>
    /// A real HTTP server for tests: Kestrel on 127.0.0.1 with an ephemeral port, no logging, serving what
    /// <c>map</c> maps. It starts outside the caller's execution context (its current activity, its session):
    /// otherwise requests would see the client's context without any header, and propagation tests would prove nothing.
    /// </summary>
    public sealed class LoopbackServer : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private LoopbackServer(WebApplication app, Uri baseAddress)
        {
            _app = app;
            BaseAddress = baseAddress;
        }

        public Uri BaseAddress { get; }

        public int Port => BaseAddress.Port;

        public IServiceProvider Services => _app.Services;

        public static Task<LoopbackServer> StartAsync(Action<WebApplication> map) => StartAsync(map, new LoopbackServerOptions());

        public static async Task<LoopbackServer> StartAsync(Action<WebApplication> map, LoopbackServerOptions options)
        {
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(kestrel =>
            {
                kestrel.Listen(IPAddress.Loopback, options.Port, listen => listen.Protocols = options.Protocols);
                if (options.MaxRequestBodySize is { } limit)
                {
                    kestrel.Limits.MaxRequestBodySize = limit;
                }
            });
            options.ConfigureServices?.Invoke(builder.Services);
            var app = builder.Build();
            map(app);

            Task started;
            using (ExecutionContext.SuppressFlow())
            {
                started = app.StartAsync();
            }

            await started.ConfigureAwait(false);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new LoopbackServer(app, new Uri(address));
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>How a <see cref="LoopbackServer"/> listens, when the defaults (any free port, HTTP/1.1) do not do.</summary>
    public sealed class LoopbackServerOptions
    {
        /// <summary>The port; 0 for any free one. A fixed port lets a receiver come back where the exporter sends.</summary>
        public int Port { get; init; }

        /// <summary>HTTP/2 only for gRPC receivers (cleartext HTTP/2 needs prior knowledge, not upgrade).</summary>
        public HttpProtocols Protocols { get; init; } = HttpProtocols.Http1;

        public long? MaxRequestBodySize { get; init; }

        public Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? ConfigureServices { get; init; }
    }
}
