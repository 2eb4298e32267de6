using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using Mirascope.Ops.Tests.Export;
using Mirascope.Ops.Tests.Export.Infrastructure;
using Mirascope.Ops.Tests.Llm;
using Xunit;

namespace Mirascope.Ops.Tests.Configuration
{
    /// <summary>InstrumentLlm after Configure: the configured setup exports the LLM SDKs' own gen_ai spans too.</summary>
    [Collection(ExportLoadCollection.Name)]
    public sealed class ConfigureWithLlmTests : IDisposable
    {
        [Fact]
        public async Task InstrumentLlm_after_Configure_adds_the_gen_ai_sources_to_the_configured_setup()
        {
            var server = await FakeLlmServer.Shared;
            var console = new StringWriter();
            OpsExport.Configure(o => o.UseConsole(console), TestEnvironment.Empty);

            OpsLlm.Instrument();
            using (var root = new Activity("llm-wiring-root").SetIdFormat(ActivityIdFormat.W3C).Start())
            {
                root.ActivityTraceFlags = ActivityTraceFlags.Recorded;
                // The OpenAI SDK reads its telemetry switch when a client is made: the client comes after InstrumentLlm.
                await LlmClients.OpenAIChat(server, "gpt-wired").CompleteChatAsync("Recommend a fantasy book.");
            }

            Assert.True(OpsExport.ForceFlush(TimeSpan.FromSeconds(10)));
            Assert.Contains("chat gpt-wired", console.ToString());
        }

        public void Dispose() => OpsExport.Shutdown(TimeSpan.FromSeconds(5));
    }
}
