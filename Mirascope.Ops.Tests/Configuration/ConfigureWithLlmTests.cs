using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Mirascope.Ops.Tests.Export;
using Mirascope.Ops.Tests.Export.Infrastructure;
using Mirascope.Ops.Tests.Llm;
using Microsoft.Extensions.AI;
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

        [Fact]
        public async Task The_console_tree_nests_the_sdks_own_chat_span_under_the_traced_call_that_made_it_and_prints_the_calls_tokens_once()
        {
            var server = await FakeLlmServer.Shared;
            var console = new StringWriter();
            OpsExport.Configure(o => o.UseConsole(console), TestEnvironment.Empty);
            OpsLlm.Instrument();

            // The LLM quick start's setup: the OpenAI SDK (its own span on) behind UseMirascopeOps, under a traced step.
            var chat = LlmClients.OpenAI(server, "gpt-nested").Traced();
            using (MirascopeOps.Span("recommend-step"))
            {
                await chat.GetResponseAsync("Recommend a fantasy book.");
            }

            Assert.True(OpsExport.ForceFlush(TimeSpan.FromSeconds(10)));
            var lines = console.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var tops = lines.Where(l => l.StartsWith("● ", StringComparison.Ordinal) || l.StartsWith("✗ ", StringComparison.Ordinal)).ToList();
            var top = Assert.Single(tops, l => l.Contains("recommend-step", StringComparison.Ordinal));
            Assert.DoesNotContain(tops, l => l.Contains("chat gpt-nested", StringComparison.Ordinal));   // no tree of its own
            var nested = lines.SkipWhile(l => l != top).Skip(1).TakeWhile(l => !tops.Contains(l)).ToList();
            Assert.Equal(2, nested.Count(l => l.Contains("chat gpt-nested", StringComparison.Ordinal)));   // ours, and the SDK's inside it
            var ours = Assert.Single(nested, l => l.Contains("chat gpt-nested", StringComparison.Ordinal) && l.Contains("tokens ", StringComparison.Ordinal));
            Assert.EndsWith("tokens 12 in / 9 out", ours, StringComparison.Ordinal);   // the fake server's usage, printed once
            Assert.Single(nested, l => l.Contains("chat gpt-nested", StringComparison.Ordinal) && l.EndsWith("same call as its parent", StringComparison.Ordinal));
        }

        public void Dispose() => OpsExport.Shutdown(TimeSpan.FromSeconds(5));
    }
}
