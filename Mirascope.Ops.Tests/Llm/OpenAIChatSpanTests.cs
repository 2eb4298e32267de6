using System;
using System.ClientModel;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Mirascope.Ops.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Llm
{
    /// <summary>
    /// The real OpenAI SDK (through Microsoft.Extensions.AI.OpenAI) against the loopback fake: what only this provider's
    /// spans show (what every provider does alike is in <see cref="ChatProviderSpanTests"/>).
    /// </summary>
    public sealed class OpenAIChatSpanTests
    {
        private const string Prompt = "Recommend a fantasy book.";

        private static ChatOptions AllSettings() => new ChatOptions
        {
            Temperature = 0.7f,
            MaxOutputTokens = 100,
            TopP = 0.9f,
            FrequencyPenalty = 0.1f,
            PresencePenalty = 0.2f,
            Seed = 42,
            StopSequences = new List<string> { "END" },
        };

        [Fact]
        public async Task Completion_span_records_request_settings_response_and_usage_per_the_conventions()
        {
            var server = await FakeLlmServer.Shared;
            using var capture = new SpanCapture();
            var client = LlmClients.OpenAI(server, "gpt-4o-mini").Traced();

            var response = await client.GetResponseAsync(Prompt, AllSettings());

            Assert.Equal(FakeLlmServer.Answer, response.Text);
            var span = capture.Single("chat gpt-4o-mini");
            Assert.Equal(ActivityKind.Client, span.Kind);
            Assert.Equal(ActivityStatusCode.Unset, span.Status);
            Assert.Equal(capture.Root.SpanId, span.ParentSpanId);
            Assert.Equal("chat", span.GetTagItem("gen_ai.operation.name"));
            Assert.Equal("openai", span.GetTagItem("gen_ai.provider.name"));
            Assert.Equal("gpt-4o-mini", span.GetTagItem("gen_ai.request.model"));
            Assert.Equal("127.0.0.1", span.GetTagItem("server.address"));
            Assert.Equal(server.BaseAddress.Port, span.GetTagItem("server.port"));
            Assert.Equal(0.7, span.GetTagItem("gen_ai.request.temperature"));
            Assert.Equal(100, span.GetTagItem("gen_ai.request.max_tokens"));
            Assert.Equal(0.9, span.GetTagItem("gen_ai.request.top_p"));
            Assert.Equal(0.1, span.GetTagItem("gen_ai.request.frequency_penalty"));
            Assert.Equal(0.2, span.GetTagItem("gen_ai.request.presence_penalty"));
            Assert.Equal(42L, span.GetTagItem("gen_ai.request.seed"));
            Assert.Equal(new[] { "END" }, span.GetTagItem("gen_ai.request.stop_sequences"));
            Assert.Null(span.GetTagItem("gen_ai.request.stream"));
            Assert.Equal("chatcmpl-1", span.GetTagItem("gen_ai.response.id"));
            Assert.Equal("gpt-4o-mini-0001", span.GetTagItem("gen_ai.response.model"));
            Assert.Equal(new[] { "stop" }, span.GetTagItem("gen_ai.response.finish_reasons"));
            Assert.Equal(12L, span.GetTagItem("gen_ai.usage.input_tokens"));
            Assert.Equal(9L, span.GetTagItem("gen_ai.usage.output_tokens"));
            Assert.Equal(4L, span.GetTagItem("gen_ai.usage.cache_read.input_tokens"));
            Assert.Equal(2L, span.GetTagItem("gen_ai.usage.reasoning.output_tokens"));
            Assert.Null(span.GetTagItem("error.type"));
            Assert.Equal("openai", span.GetTagItem("mirascope.response.provider_id"));
            Assert.Equal("gpt-4o-mini-0001", span.GetTagItem("mirascope.response.model_id"));
            Assert.Equal(
                "{\"input_tokens\":12,\"output_tokens\":9,\"cache_read_tokens\":4,\"cache_write_tokens\":0,\"reasoning_tokens\":2,\"total_tokens\":21}",
                span.GetTagItem("mirascope.response.usage"));
            ChatSpanAssertions.HasNoContent(span, Prompt, "Rothfuss");
        }

        [Fact]
        public async Task Sampling_relevant_attributes_are_on_the_span_when_it_starts()
        {
            var server = await FakeLlmServer.Shared;
            using var capture = new SpanCapture();

            await LlmClients.OpenAI(server, "gpt-4o-mini").Traced().GetResponseAsync(Prompt);

            var tags = Assert.Single(capture.SampledTags);
            Assert.Equal("chat", tags["gen_ai.operation.name"]);
            Assert.Equal("openai", tags["gen_ai.provider.name"]);
            Assert.Equal("gpt-4o-mini", tags["gen_ai.request.model"]);
            Assert.Equal("127.0.0.1", tags["server.address"]);
            Assert.Equal(server.BaseAddress.Port, tags["server.port"]);
        }

        [Fact]
        public async Task Message_content_is_recorded_in_the_conventions_shape_when_capture_is_on()
        {
            var server = await FakeLlmServer.Shared;
            using var capture = new SpanCapture();
            var client = LlmClients.OpenAI(server, "gpt-4o-mini").Traced(capture: true);
            var options = new ChatOptions
            {
                Instructions = "You are a librarian.",
                Tools = new List<AITool> { AIFunctionFactory.Create((string genre) => "ok", "find_books", "Finds books of a genre") },
                ToolMode = ChatToolMode.None,
            };

            await client.GetResponseAsync(new[] { new ChatMessage(ChatRole.User, Prompt) }, options);

            var span = capture.Single("chat gpt-4o-mini");
            Assert.Equal("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Recommend a fantasy book.\"}]}]", span.GetTagItem("gen_ai.input.messages"));
            Assert.Equal(
                "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Try \\\"The Name of the Wind\\\" by Patrick Rothfuss.\"}]}]",
                span.GetTagItem("gen_ai.output.messages"));
            Assert.Equal("[{\"type\":\"text\",\"content\":\"You are a librarian.\"}]", span.GetTagItem("gen_ai.system_instructions"));
            var tools = (string)span.GetTagItem("gen_ai.tool.definitions")!;
            Assert.StartsWith("[{\"type\":\"function\",\"name\":\"find_books\",\"description\":\"Finds books of a genre\",\"parameters\":{", tools, StringComparison.Ordinal);
            Assert.Contains("\"genre\"", tools, StringComparison.Ordinal);
            Assert.Equal("[{\"type\":\"text\",\"text\":\"Try \\\"The Name of the Wind\\\" by Patrick Rothfuss.\"}]", span.GetTagItem("mirascope.response.content"));
            Assert.Equal("[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Recommend a fantasy book.\"}],\"name\":null}]", span.GetTagItem("mirascope.response.messages"));
        }

        [Fact]
        public async Task Message_content_is_not_recorded_by_default_even_with_instructions_and_tools()
        {
            var server = await FakeLlmServer.Shared;
            using var capture = new SpanCapture();
            var client = LlmClients.OpenAI(server, "gpt-4o-mini").Traced();
            var options = new ChatOptions
            {
                Instructions = "You are a librarian.",
                Tools = new List<AITool> { AIFunctionFactory.Create((string genre) => "ok", "find_books", "Finds books of a genre") },
                ToolMode = ChatToolMode.None,
            };

            await client.GetResponseAsync(new[] { new ChatMessage(ChatRole.User, Prompt) }, options);

            ChatSpanAssertions.HasNoContent(capture.Single("chat gpt-4o-mini"), Prompt, "librarian", "find_books", "Rothfuss");
        }

        [Fact]
        public async Task Streaming_span_ends_when_the_stream_ends_and_records_the_assembled_response()
        {
            var server = await FakeLlmServer.Shared;
            using var capture = new SpanCapture();
            var client = LlmClients.OpenAI(server, "gpt-4o-mini").Traced(capture: true);

            var text = new System.Text.StringBuilder();
            var spansWhileStreaming = new List<int>();
            await foreach (var update in client.GetStreamingResponseAsync(Prompt))
            {
                text.Append(update.Text);
                spansWhileStreaming.Add(capture.Chats().Count);
                // The consumer's code between updates runs under the caller's activity, not the chat span.
                Assert.Equal(capture.Root, Activity.Current);
            }

            Assert.Equal(FakeLlmServer.Answer, text.ToString());
            Assert.All(spansWhileStreaming, count => Assert.Equal(0, count));
            var span = capture.Single("chat gpt-4o-mini");
            Assert.Equal(true, span.GetTagItem("gen_ai.request.stream"));
            Assert.Equal("chatcmpl-stream-1", span.GetTagItem("gen_ai.response.id"));
            Assert.Equal("gpt-4o-mini-0001", span.GetTagItem("gen_ai.response.model"));
            Assert.Equal(new[] { "stop" }, span.GetTagItem("gen_ai.response.finish_reasons"));
            Assert.Equal(12L, span.GetTagItem("gen_ai.usage.input_tokens"));
            Assert.Equal(9L, span.GetTagItem("gen_ai.usage.output_tokens"));
            Assert.IsType<double>(span.GetTagItem("gen_ai.response.time_to_first_chunk"));
            Assert.Equal(
                "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Try \\\"The Name of the Wind\\\" by Patrick Rothfuss.\"}]}]",
                span.GetTagItem("gen_ai.output.messages"));
            Assert.Equal(ActivityStatusCode.Unset, span.Status);
        }

        [Fact]
        public async Task Streaming_span_records_cancellation_as_an_error_with_finish_reason_error_and_ends()
        {
            var server = await FakeLlmServer.Shared;
            using var capture = new SpanCapture();
            var client = LlmClients.OpenAI(server, "gpt-slow").Traced();
            using var cancellation = new CancellationTokenSource();

            var thrown = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            {
                await foreach (var update in client.GetStreamingResponseAsync(Prompt, cancellationToken: cancellation.Token))
                {
                    if (update.Text.Length > 0)
                    {
                        cancellation.Cancel();
                    }
                }
            });

            var span = capture.Single("chat gpt-slow");
            Assert.Equal(ActivityStatusCode.Error, span.Status);
            Assert.Equal(thrown.GetType().FullName, span.GetTagItem("error.type"));
            Assert.Equal(new[] { "error" }, span.GetTagItem("gen_ai.response.finish_reasons"));
        }

        [Fact]
        public async Task Streamed_error_response_marks_the_span_failed_with_finish_reason_error()
        {
            var server = await FakeLlmServer.Shared;
            using var capture = new SpanCapture();
            var client = LlmClients.OpenAI(server, "gpt-error").Traced();

            await Assert.ThrowsAsync<ClientResultException>(async () =>
            {
                await foreach (var update in client.GetStreamingResponseAsync(Prompt))
                {
                }
            });

            var span = capture.Single("chat gpt-error");
            Assert.Equal(ActivityStatusCode.Error, span.Status);
            Assert.Equal(true, span.GetTagItem("gen_ai.request.stream"));
            Assert.Equal("System.ClientModel.ClientResultException", span.GetTagItem("error.type"));
            Assert.Equal(new[] { "error" }, span.GetTagItem("gen_ai.response.finish_reasons"));
        }

        [Fact]
        public async Task Http_request_of_a_chat_call_is_a_child_of_the_chat_span()
        {
            var server = await FakeLlmServer.Shared;
            using var capture = new SpanCapture();
            var http = new ConcurrentQueue<Activity>();
            using var listener = new ActivityListener
            {
                // The OpenAI SDK's own span sits in between when its switch is on (OpsLlm.Instrument, in another test).
                ShouldListenTo = source => source.Name == "System.Net.Http" || source.Name.StartsWith("OpenAI.", StringComparison.Ordinal),
                Sample = (ref ActivityCreationOptions<ActivityContext> options) => ActivitySamplingResult.AllData,
                ActivityStopped = activity =>
                {
                    if (activity.TraceId == capture.Root.TraceId) http.Enqueue(activity);
                },
            };
            ActivitySource.AddActivityListener(listener);
            var client = LlmClients.OpenAI(server, "gpt-propagation").Traced();

            await foreach (var update in client.GetStreamingResponseAsync(Prompt))
            {
            }

            await client.GetResponseAsync(Prompt);

            var chats = capture.Chats();
            Assert.Equal(2, chats.Count);
            var requests = http.Where(a => a.Source.Name == "System.Net.Http").OrderBy(a => a.StartTimeUtc).ToList();
            Assert.Equal(2, requests.Count);
            ActivitySpanId ChatAbove(Activity activity)
            {
                var parent = activity.ParentSpanId;
                var between = http.FirstOrDefault(a => a.SpanId == parent);
                return between is null ? parent : between.ParentSpanId;
            }

            Assert.Equal(chats[0].SpanId, ChatAbove(requests[0]));
            Assert.Equal(chats[1].SpanId, ChatAbove(requests[1]));
            var sent = server.Requests.Where(r => r.Model == "gpt-propagation").Select(r => r.TraceParent).OrderBy(p => p);
            Assert.Equal(requests.Select(r => r.Id).OrderBy(p => p), sent);
        }

    }
}
