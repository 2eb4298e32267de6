using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mirascope.Ops.Tests.Propagation
{
    /// <summary>A real HTTP service: Kestrel on 127.0.0.1 with an ephemeral port, running one request handler.</summary>
    public sealed class LoopbackService : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private LoopbackService(WebApplication app, Uri baseAddress)
        {
            _app = app;
            BaseAddress = baseAddress;
        }

        public Uri BaseAddress { get; }

        public static async Task<LoopbackService> StartAsync(RequestDelegate handler)
        {
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            app.Run(handler);

            // The server must not inherit the test's execution context (its current activity, its session): requests
            // would then see the client's context without any header, and the tests would prove nothing.
            Task started;
            using (ExecutionContext.SuppressFlow())
            {
                started = app.StartAsync();
            }

            await started;
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new LoopbackService(app, new Uri(address));
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
