using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Mirascope.Ops.Tests.Weaving;
using Mirascope.Ops.Tracing;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Xunit;

namespace Mirascope.Ops.Tests.Llm
{
    /// <summary>
    /// Tracing a model call changes nothing the app sees: the same scenario through <c>UseMirascopeOps()</c> on the real
    /// SDKs (a response, a stream, a stream left early, a tool loop, an error response, a streamed error, a cancelled
    /// stream), once with nobody listening and once under the app's own providers set up by <c>AddMirascopeOps()</c> with
    /// every backend profile, content capture and the metrics on, gives the same responses, updates, tool calls,
    /// exceptions and leaves the caller's messages and options as they were.
    /// </summary>
    [Collection(NoListenerCollection.Name)]
    public sealed class ChatClientDifferentialTests
    {
        private const string Prompt = "Recommend a fantasy book.";

        [Theory]
        [InlineData("openai")]
        [InlineData("anthropic")]
        public async Task Chat_results_streams_tool_calls_and_exceptions_are_the_same_with_and_without_a_listener(string providerName)
        {
            var provider = ChatProvider.Named(providerName);
            var server = await FakeLlmServer.Shared;
            OpsLlm.Instrument();   // the SDKs' own telemetry switched on in both runs: only the listener differs
            Assert.False(OpsActivitySource.Source.HasListeners(), "a test left a listener on Mirascope.Ops alive");

            var unlistened = await RunAsync(provider, server);
            List<string> listened;
            var exported = new List<Activity>();
            using (var tracing = Sdk.CreateTracerProviderBuilder()
                .AddMirascopeOps(BackendProfiles.Langfuse | BackendProfiles.OpenInference | BackendProfiles.GenAI)
                .AddInMemoryExporter(exported)
                .Build()!)
            using (Sdk.CreateMeterProviderBuilder().AddMirascopeOps().AddInMemoryExporter(new List<Metric>()).Build())
            {
                Assert.True(OpsActivitySource.Source.HasListeners());
                listened = await RunAsync(provider, server);
                tracing.ForceFlush(10_000);
            }

            Assert.Equal(unlistened, listened);
            Assert.Contains(unlistened, line => line.Contains(FakeLlmServer.ToolAnswer, StringComparison.Ordinal));   // the scenario reached the tool's answer
            Assert.Contains(exported, s => s.DisplayName == "execute_tool get_weather");   // and was traced when listened to
            Assert.Contains(exported, s => s.Status == ActivityStatusCode.Error && s.DisplayName == "chat " + provider.ModelPrefix + "-diff-error");
        }

        /// <summary>The scenario, as lines describing everything the app can see of each call.</summary>
        private static async Task<List<string>> RunAsync(ChatProvider provider, FakeLlmServer server)
        {
            var seen = new List<string>();
            using var session = MirascopeOps.Session("diff-session", userId: "diff-user");
            var chat = provider.Client(server, provider.ModelPrefix + "-diff").Traced(capture: true);

            var messages = new List<ChatMessage> { new ChatMessage(ChatRole.System, "Be brief."), new ChatMessage(ChatRole.User, Prompt) };
            var options = new ChatOptions { Temperature = 0.5f, MaxOutputTokens = 64, AdditionalProperties = new AdditionalPropertiesDictionary { ["custom"] = 1 } };
            seen.Add("response " + Describe(await chat.GetResponseAsync(messages, options)));
            seen.Add("caller's messages " + string.Join(" | ", messages.Select(m => m.Role + ":" + m.Text)));
            seen.Add("caller's options " + options.Temperature + " " + options.MaxOutputTokens + " " + string.Join(",", options.AdditionalProperties!.Keys) + " tools " + (options.Tools?.Count ?? 0));

            var updates = new List<string>();
            await foreach (var update in chat.GetStreamingResponseAsync(messages, options))
            {
                updates.Add(Describe(update));
            }

            seen.Add("stream " + string.Join(" ; ", updates));

            var slow = provider.Client(server, provider.ModelPrefix + "-diff-slow").Traced(capture: true);
            var beforeBreak = new List<string>();
            await foreach (var update in slow.GetStreamingResponseAsync(Prompt))
            {
                beforeBreak.Add(Describe(update));
                if (update.Text.Length > 0)
                {
                    break;
                }
            }

            seen.Add("left early " + string.Join(" ; ", beforeBreak));

            var toolCalls = new List<string>();
            var tools = provider.Client(server, provider.ModelPrefix + "-diff-tools").Traced(capture: true, functionInvocation: true);
            var toolOptions = new ChatOptions
            {
                Tools = new List<AITool> { AIFunctionFactory.Create((string city) => { toolCalls.Add(city); return $"sunny in {city}"; }, "get_weather", "Gets the weather of a city") },
            };
            seen.Add("tool loop " + Describe(await tools.GetResponseAsync("What is the weather in Paris?", toolOptions)) + " calls " + string.Join(",", toolCalls));

            var failing = provider.Client(server, provider.ModelPrefix + "-diff-error").Traced(capture: true);
            seen.Add("error " + Describe(await Assert.ThrowsAnyAsync<Exception>(() => failing.GetResponseAsync(Prompt))));
            seen.Add("streamed error " + Describe(await Assert.ThrowsAnyAsync<Exception>(async () =>
            {
                await foreach (var update in failing.GetStreamingResponseAsync(Prompt))
                {
                }
            })));

            using var cancellation = new CancellationTokenSource();
            var beforeCancel = 0;
            seen.Add("cancelled " + Describe(await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            {
                await foreach (var update in slow.GetStreamingResponseAsync(Prompt, cancellationToken: cancellation.Token))
                {
                    beforeCancel++;
                    if (update.Text.Length > 0)
                    {
                        cancellation.Cancel();
                    }
                }
            })) + " after " + beforeCancel + " updates");
            return seen;
        }

        private static string Describe(ChatResponse response)
        {
            var text = new StringBuilder();
            // Not CreatedAt: the Anthropic client stamps the clock's time (its API returns none), so two runs differ by it anyway.
            text.Append(response.ResponseId).Append(' ').Append(response.ModelId).Append(' ').Append(response.FinishReason)
                .Append(" usage ").Append(Describe(response.Usage))
                .Append(" text ").Append(response.Text);
            foreach (var message in response.Messages)
            {
                text.Append(" [").Append(message.Role).Append(' ').Append(message.MessageId).Append(' ').Append(string.Join(",", message.Contents.Select(Describe))).Append(']');
            }

            return text.ToString();
        }

        private static string Describe(ChatResponseUpdate update) =>
            $"{update.Role} {update.ResponseId} {update.MessageId} {update.ModelId} {update.FinishReason} '{update.Text}' {string.Join(",", update.Contents.Select(Describe))}";

        private static string Describe(AIContent content) => content switch
        {
            TextContent text => "text:" + text.Text,
            FunctionCallContent call => "call:" + call.CallId + ":" + call.Name + ":" + string.Join(",", call.Arguments?.Select(a => a.Key + "=" + a.Value) ?? Enumerable.Empty<string>()),
            FunctionResultContent result => "result:" + result.CallId + ":" + result.Result,
            UsageContent usage => "usage:" + Describe(usage.Details),
            _ => content.GetType().Name,
        };

        private static string Describe(UsageDetails? usage) => usage is null
            ? "none"
            : $"{usage.InputTokenCount}/{usage.OutputTokenCount}/{usage.TotalTokenCount}/{usage.CachedInputTokenCount}/{usage.ReasoningTokenCount}";

        private static string Describe(Exception exception) => exception.GetType().FullName + ": " + exception.Message;
    }
}
