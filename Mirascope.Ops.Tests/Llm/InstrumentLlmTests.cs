using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Mirascope.Ops.Llm;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Mirascope.Ops.Tracing;
using Xunit;

namespace Mirascope.Ops.Tests.Llm
{
    public sealed class InstrumentLlmTests
    {
        [Fact]
        public async Task After_InstrumentLlm_a_provider_with_the_listed_sources_exports_the_SDKs_own_gen_ai_spans()
        {
            var server = await FakeLlmServer.Shared;
            OpsLlm.Instrument();
            var exported = new List<Activity>();
            using var provider = Sdk.CreateTracerProviderBuilder()
                .AddSource(LlmTelemetryNames.ActivitySources.ToArray())
                .AddInMemoryExporter(exported)
                .Build();
            using var root = new Activity("instrument-llm-root").SetIdFormat(ActivityIdFormat.W3C).Start();
            // A sampled parent, so the provider's default parent-based sampler keeps the children.
            root.ActivityTraceFlags = ActivityTraceFlags.Recorded;

            // The OpenAI SDK reads its switch when a client is made, so the client comes after InstrumentLlm.
            await LlmClients.OpenAIChat(server, "gpt-native").CompleteChatAsync("Recommend a fantasy book.");
            await LlmClients.Anthropic(server, "claude-native").GetResponseAsync("Recommend a fantasy book.");
            // M.E.AI's own telemetry client, which an app may already use.
            await LlmClients.OpenAI(server, "gpt-meai").AsBuilder().UseOpenTelemetry().Build().GetResponseAsync("Recommend a fantasy book.");
            provider.ForceFlush();

            var mine = exported.Where(a => a.TraceId == root.TraceId).ToList();
            // The OpenAI SDK emits for its own calls and for those made through its M.E.AI adapter.
            Assert.Equal(
                new[] { "chat gpt-meai", "chat gpt-native" },
                mine.Where(a => a.Source.Name.StartsWith("OpenAI.", StringComparison.Ordinal)).Select(a => a.DisplayName).OrderBy(n => n));
            var anthropic = Assert.Single(mine, a => a.Source.Name.StartsWith("com.anthropic.sdk.csharp", StringComparison.Ordinal));
            Assert.Equal("anthropic", anthropic.GetTagItem("gen_ai.provider.name"));
            var meai = Assert.Single(mine, a => a.Source.Name == "Experimental.Microsoft.Extensions.AI");
            Assert.Equal("chat gpt-meai", meai.DisplayName);
            Assert.True(LlmInstrumentation.IsInstrumented);
            Assert.True(AppContext.TryGetSwitch(LlmInstrumentation.OpenAISwitch, out var openAIOn) && openAIOn);
            Assert.True(AppContext.TryGetSwitch(LlmInstrumentation.SemanticKernelSwitch, out var kernelOn) && kernelOn);
        }

        [Theory]
        [InlineData("true", true)]
        [InlineData("TRUE", true)]
        [InlineData(" true ", true)]
        [InlineData("false", false)]
        [InlineData("1", false)]
        [InlineData("", false)]
        [InlineData(null, false)]
        public void Content_capture_variable_turns_capture_on_only_for_true(string? value, bool expected)
        {
            Assert.Equal(expected, LlmInstrumentation.ParseCaptureSetting(value));
        }

        [Fact]
        public void A_client_option_overrides_the_process_wide_capture_setting()
        {
            Assert.True(LlmInstrumentation.ResolveCapture(true));
            Assert.False(LlmInstrumentation.ResolveCapture(false));
        }

        [Fact]
        public void The_source_list_covers_every_gen_ai_source_of_the_dotnet_llm_stack()
        {
            Assert.Equal(
                new[] { "Experimental.Microsoft.Extensions.AI", "OpenAI.*", "Microsoft.SemanticKernel*", "com.anthropic.sdk.csharp*", "Experimental.Microsoft.Agents.AI", "Microsoft.Agents.AI.Workflows" },
                LlmTelemetryNames.ActivitySources);
            Assert.Contains("Mirascope.Ops", LlmTelemetryNames.Meters);
            Assert.Contains("Experimental.Microsoft.Agents.AI", LlmTelemetryNames.Meters);
        }
    }
}
