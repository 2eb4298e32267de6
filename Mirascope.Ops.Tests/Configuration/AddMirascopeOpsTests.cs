using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mirascope.Ops.Tests.Export;
using Mirascope.Ops.Tests.Infrastructure;
using Mirascope.Ops.Tracing;
using OpenTelemetry.Trace;
using Xunit;

namespace Mirascope.Ops.Tests.Configuration
{
    /// <summary>The app's own provider subscribes to ASP.NET Core and HttpClient process-wide, so this runs alone.</summary>
    [Collection(ExportLoadCollection.Name)]
    public class AddMirascopeOpsTests
    {
        [Fact]
        public async Task Traced_spans_nest_under_the_apps_HttpClient_and_AspNetCore_spans()
        {
            var exported = new List<Activity>();
            var woven = WovenAssembly.Get("Release");
            var calc = woven.New("Calc");
            var server = await LoopbackServer.StartAsync(
                app => app.MapGet("/multiply/{x}", (int x) => (int)woven.Call(calc, "Multiply", x, 2)!),
                new LoopbackServerOptions
                {
                    ConfigureServices = services => services.AddOpenTelemetry().WithTracing(tracing => tracing
                        .AddSource("Microsoft.AspNetCore", "System.Net.Http")
                        .AddMirascopeOps()
                        .AddInMemoryExporter(exported)),
                });
            var address = server.BaseAddress.ToString().TrimEnd('/');

            using var http = new HttpClient();
            Activity.Current = null;
            string traceId;
            using (var root = OpsActivitySource.Source.StartActivity("client-work")!)
            {
                traceId = root.TraceId.ToHexString();
                Assert.Equal("42", await http.GetStringAsync(address + "/multiply/21"));
            }

            var deadline = DateTime.UtcNow.AddSeconds(10);
            List<Activity> trace;
            do
            {
                await Task.Delay(10);
                lock (exported)
                {
                    trace = exported.Where(a => a.TraceId.ToHexString() == traceId).ToList();
                }
            }
            while (trace.Count < 4 && DateTime.UtcNow < deadline);
            await server.DisposeAsync();

            var clientWork = trace.Single(a => a.DisplayName == "client-work");
            var outgoing = trace.Single(a => a.Source.Name == "System.Net.Http");
            var incoming = trace.Single(a => a.Source.Name == "Microsoft.AspNetCore");
            var multiply = trace.Single(a => a.DisplayName == "Calc.Multiply");
            Assert.Equal(clientWork.SpanId, outgoing.ParentSpanId);
            Assert.Equal(outgoing.SpanId, incoming.ParentSpanId);
            Assert.Equal(incoming.SpanId, multiply.ParentSpanId);
            Assert.Equal("{\"x\":21,\"y\":2}", multiply.GetTagItem("mirascope.trace.arg_values"));
        }
    }
}
