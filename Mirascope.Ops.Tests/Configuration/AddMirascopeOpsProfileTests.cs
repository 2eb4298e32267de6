using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.AI;
using Mirascope.Ops.Tests.Export;
using Mirascope.Ops.Tests.Export.Infrastructure;
using Mirascope.Ops.Tests.Infrastructure;
using Mirascope.Ops.Tests.Llm;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Xunit;

namespace Mirascope.Ops.Tests.Configuration
{
    /// <summary>
    /// Profiles on a provider the app owns, exported by the SDK's own OTLP exporter. The processor adds keys to every
    /// span of the process's Mirascope.Ops source and reads the process environment, so these run alone.
    /// </summary>
    [Collection(ExportLoadCollection.Name)]
    public sealed class AddMirascopeOpsProfileTests
    {
        [Fact]
        public async Task The_SDKs_own_exporter_added_after_AddMirascopeOps_sends_the_profile_keys_even_exporting_each_span_as_it_ends()
        {
            var (spans, endpoint, receiver) = await StartReceiverAsync();
            await using var _ = receiver;
            var llm = await FakeLlmServer.Shared;
            OpsLlm.Instrument();
            string traceId;
            using (var provider = Sdk.CreateTracerProviderBuilder()
                .AddMirascopeOps(BackendProfiles.Langfuse | BackendProfiles.OpenInference)
                // Simple: the exporter sends each span inside its own OnEnd, the hardest case for keys added at span end.
                .AddOtlpExporter(o => { Otlp(endpoint)(o); o.ExportProcessorType = ExportProcessorType.Simple; })
                .Build()!)
            {
                var chat = LlmClients.OpenAI(llm, "gpt-app-profile").Traced(capture: true);
                var woven = WovenAssembly.Get("Release");
                Activity.Current = null;
                using (MirascopeOps.Session("app-session", userId: "app-user"))
                using (MirascopeOps.Span("app-step"))
                {
                    traceId = Activity.Current!.TraceId.ToHexString();
                    woven.Call(woven.New("Calc"), "Analyze", "a good day");
                    await chat.GetResponseAsync("Recommend a fantasy book.");
                }

                Assert.True(provider.ForceFlush(10_000));
            }

            var trace = spans.Where(s => s.TraceId == traceId).ToList();
            var analyze = Assert.Single(trace, s => s.Name == "analyze");
            Assert.Equal("CHAIN", analyze["openinference.span.kind"]);
            Assert.Equal("span", analyze["langfuse.observation.type"]);
            Assert.Equal("positive", analyze["langfuse.observation.output"]);
            var ours = Assert.Single(trace, s => s.Name == "chat gpt-app-profile" && s.ScopeName == OpsTelemetryNames.ActivitySource);
            Assert.Equal("LLM", ours["openinference.span.kind"]);
            Assert.Equal(ours["gen_ai.output.messages"], ours["langfuse.observation.output"]);
            var sdks = Assert.Single(trace, s => s.ScopeName.StartsWith("OpenAI.", StringComparison.Ordinal));
            Assert.Equal("app-session", sdks["session.id"]);
            Assert.Equal("app-user", sdks["user.id"]);
            Assert.Equal("LLM", sdks["openinference.span.kind"]);
            Assert.All(trace, s => Assert.Equal("app-session", s["session.id"]));
        }

        [Fact]
        public async Task AddMirascopeOps_without_arguments_takes_the_profiles_from_MIRASCOPE_BACKEND_PROFILES_and_refuses_an_unknown_name()
        {
            var (spans, endpoint, receiver) = await StartReceiverAsync();
            await using var _ = receiver;
            var previous = Environment.GetEnvironmentVariable("MIRASCOPE_BACKEND_PROFILES");
            try
            {
                Environment.SetEnvironmentVariable("MIRASCOPE_BACKEND_PROFILES", "langfuse,phoenix");
                var exception = Assert.Throws<ArgumentException>(() => Sdk.CreateTracerProviderBuilder().AddMirascopeOps());
                Assert.Contains("MIRASCOPE_BACKEND_PROFILES is 'langfuse,phoenix': 'phoenix' is not a backend profile", exception.Message);

                Environment.SetEnvironmentVariable("MIRASCOPE_BACKEND_PROFILES", "genai");
                string traceId;
                using (var provider = Sdk.CreateTracerProviderBuilder().AddMirascopeOps().AddOtlpExporter(Otlp(endpoint)).Build()!)
                {
                    Activity.Current = null;
                    using (MirascopeOps.User("env-user"))
                    using (MirascopeOps.Span("env-step"))
                    {
                        traceId = Activity.Current!.TraceId.ToHexString();
                    }

                    Assert.True(provider.ForceFlush(10_000));
                }

                var step = Assert.Single(spans, s => s.TraceId == traceId);
                Assert.Equal("env-user", step["user.id"]);
                Assert.Null(step["openinference.span.kind"]);   // genai only
            }
            finally
            {
                Environment.SetEnvironmentVariable("MIRASCOPE_BACKEND_PROFILES", previous);
            }
        }

        private static Action<OpenTelemetry.Exporter.OtlpExporterOptions> Otlp(string endpoint) => o =>
        {
            o.Endpoint = new Uri(endpoint + "/v1/traces");
            o.Protocol = OpenTelemetry.Exporter.OtlpExportProtocol.HttpProtobuf;
        };

        private static async Task<(ConcurrentQueue<ReceivedSpan> Spans, string Endpoint, LoopbackServer Server)> StartReceiverAsync()
        {
            var spans = new ConcurrentQueue<ReceivedSpan>();
            var server = await LoopbackServer.StartAsync(app => app.MapPost("/v1/traces", async (Microsoft.AspNetCore.Http.HttpContext context) =>
            {
                using var body = new System.IO.MemoryStream();
                await context.Request.Body.CopyToAsync(body);
                foreach (var span in OtlpProtobufDecoder.Decode(body.ToArray(), true))
                {
                    spans.Enqueue(span);
                }
            }));
            return (spans, server.BaseAddress.ToString().TrimEnd('/'), server);
        }
    }
}
