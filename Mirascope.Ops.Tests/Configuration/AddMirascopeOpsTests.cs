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
using Microsoft.Extensions.AI;
using Mirascope.Ops.Tests.Llm;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Xunit;

namespace Mirascope.Ops.Tests.Configuration
{
    /// <summary>The app's own provider subscribes to ASP.NET Core and HttpClient process-wide, so this runs alone.</summary>
    [Collection(ExportLoadCollection.Name)]
    public class AddMirascopeOpsTests
    {
        [Fact]
        public async Task An_app_owned_provider_gets_the_LLM_libraries_spans_and_the_GenAI_metrics_from_AddMirascopeOps_alone()
        {
            // A loopback OTLP/HTTP receiver: traces decoded, metrics kept as the bytes the exporter sent.
            var spans = new System.Collections.Concurrent.ConcurrentQueue<Mirascope.Ops.Tests.Export.Infrastructure.ReceivedSpan>();
            var metricBodies = new System.Collections.Concurrent.ConcurrentQueue<byte[]>();
            await using var receiver = await LoopbackServer.StartAsync(app =>
            {
                app.MapPost("/v1/traces", async (Microsoft.AspNetCore.Http.HttpContext context) =>
                {
                    using var body = new System.IO.MemoryStream();
                    await context.Request.Body.CopyToAsync(body);
                    foreach (var span in Mirascope.Ops.Tests.Export.Infrastructure.OtlpProtobufDecoder.Decode(body.ToArray(), true))
                    {
                        spans.Enqueue(span);
                    }
                });
                app.MapPost("/v1/metrics", async (Microsoft.AspNetCore.Http.HttpContext context) =>
                {
                    using var body = new System.IO.MemoryStream();
                    await context.Request.Body.CopyToAsync(body);
                    metricBodies.Enqueue(body.ToArray());
                });
            });
            var otlp = receiver.BaseAddress.ToString().TrimEnd('/');
            var llm = await FakeLlmServer.Shared;

            // The app's own providers, each with one Mirascope line; the LLM switches from OpsLlm.Instrument().
            OpsLlm.Instrument();
            string traceId;
            using (var tracing = OpenTelemetry.Sdk.CreateTracerProviderBuilder().AddMirascopeOps()
                .AddOtlpExporter(o => { o.Endpoint = new Uri(otlp + "/v1/traces"); o.Protocol = OpenTelemetry.Exporter.OtlpExportProtocol.HttpProtobuf; })
                .Build()!)
            using (var metrics = OpenTelemetry.Sdk.CreateMeterProviderBuilder().AddMirascopeOps()
                .AddOtlpExporter(o => { o.Endpoint = new Uri(otlp + "/v1/metrics"); o.Protocol = OpenTelemetry.Exporter.OtlpExportProtocol.HttpProtobuf; })
                .Build()!)
            {
                var chat = LlmClients.OpenAI(llm, "gpt-app-owned").Traced();   // the SDK behind UseMirascopeOps()
                Activity.Current = null;
                using (var step = MirascopeOps.Span("app-owned-step"))
                {
                    traceId = Activity.Current!.TraceId.ToHexString();
                    await chat.GetResponseAsync("Recommend a fantasy book.");
                }

                Assert.True(tracing.ForceFlush(10_000));
                Assert.True(metrics.ForceFlush(10_000));
            }

            var trace = spans.Where(s => s.TraceId == traceId).ToList();
            var ours = Assert.Single(trace, s => s.Name == "chat gpt-app-owned" && s.ScopeName == OpsTelemetryNames.ActivitySource);
            var sdks = Assert.Single(trace, s => s.Name == "chat gpt-app-owned" && s.ScopeName.StartsWith("OpenAI.", StringComparison.Ordinal));
            Assert.Equal(ours.SpanId, sdks.ParentSpanId);   // the SDK's own span, inside ours
            Assert.Contains(metricBodies, body => Contains(body, "gen_ai.client.inference.duration"));
            Assert.Contains(metricBodies, body => Contains(body, "gen_ai.client.inference.usage.input_tokens"));
        }

        private static bool Contains(byte[] body, string text) =>
            body.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(text)) >= 0;

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
