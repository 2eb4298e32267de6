using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Mirascope.Ops.Tests.Export;
using Mirascope.Ops.Tests.Export.Infrastructure;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Xunit;

namespace Mirascope.Ops.Tests.Llm
{
    /// <summary>
    /// Content capture is one process-wide switch (<c>OpsLlm.Instrument</c>'s option, else
    /// <c>OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT</c>) that neither setup has a copy of: an app-owned provider
    /// set up by <c>AddMirascopeOps()</c> gets message content exactly when the <c>OpsExport.Configure</c> pipeline does.
    /// </summary>
    [Collection(GenAiProcessSettingsCollection.Name)]
    public sealed class ContentCaptureSetupTests
    {
        private static readonly string[] ContentKeys = { "gen_ai.input.messages", "gen_ai.output.messages", "gen_ai.system_instructions", "mirascope.response.content" };

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task The_process_wide_capture_switch_gives_an_app_owned_provider_the_same_content_as_the_configured_pipeline(bool capture)
        {
            var server = await FakeLlmServer.Shared;
            // OpsLlm.Instrument fills in the Anthropic SDK's content mode when capture is on: put it back for later tests.
            var anthropicMode = Environment.GetEnvironmentVariable(Mirascope.Ops.Llm.LlmInstrumentation.AnthropicContentModeVariable);
            try
            {
                OpsLlm.Instrument(new LlmInstrumentationOptions { CaptureMessageContent = capture });

                // The app's own provider, one Mirascope line.
                var appOwned = new List<Activity>();
                using (var tracing = Sdk.CreateTracerProviderBuilder().AddMirascopeOps().AddInMemoryExporter(appOwned).Build()!)
                {
                    await AskAsync(server, "gpt-capture-app");
                    tracing.ForceFlush(10_000);
                }

                // The configured pipeline (OpsExport.Configure's), OTLP to a loopback receiver.
                await using var receiver = await TraceReceiver.StartAsync();
                string configuredTrace;
                using (var pipeline = Pipelines.Build(o => o.UseOtlp(receiver.OtlpEndpoint)))
                {
                    configuredTrace = await AskAsync(server, "gpt-capture-configured");
                    Assert.True(pipeline.ForceFlush(TimeSpan.FromSeconds(10)));
                }

                // Our chat span (the OpenAI SDK's own, inside it, records no messages in either setup).
                var appChat = Assert.Single(appOwned, s => s.DisplayName == "chat gpt-capture-app" && s.Source.Name == OpsTelemetryNames.ActivitySource);
                var configuredChat = Assert.Single(receiver.SpansOf(configuredTrace), s => s.Name == "chat gpt-capture-configured" && s.ScopeName == OpsTelemetryNames.ActivitySource);
                var appKeys = ContentKeys.Where(k => appChat.GetTagItem(k) is not null).ToList();
                var configuredKeys = ContentKeys.Where(k => configuredChat.Attributes.ContainsKey(k)).ToList();
                Assert.Equal(capture ? ContentKeys : Array.Empty<string>(), appKeys);
                Assert.Equal(appKeys, configuredKeys);
            }
            finally
            {
                OpsLlm.Instrument(new LlmInstrumentationOptions { CaptureMessageContent = false });
                Environment.SetEnvironmentVariable(Mirascope.Ops.Llm.LlmInstrumentation.AnthropicContentModeVariable, anthropicMode);
            }
        }

        /// <summary>A call through <c>UseMirascopeOps()</c> with no capture option of its own, in a trace of its own; returns the trace id.</summary>
        private static async Task<string> AskAsync(FakeLlmServer server, string model)
        {
            var previous = Activity.Current;
            Activity.Current = null;
            try
            {
                using var step = MirascopeOps.Span("capture-step");
                var traceId = Activity.Current!.TraceId.ToHexString();
                var chat = LlmClients.OpenAI(server, model).AsBuilder().UseMirascopeOps().Build();
                await chat.GetResponseAsync("Recommend a fantasy book.", new ChatOptions { Instructions = "Be brief." });
                return traceId;
            }
            finally
            {
                Activity.Current = previous;
            }
        }
    }
}
