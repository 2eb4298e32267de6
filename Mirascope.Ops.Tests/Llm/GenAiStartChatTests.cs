using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Microsoft.Extensions.AI;
using Mirascope.Ops.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Llm
{
    /// <summary><c>GenAi.StartChat</c> for models called by hand.</summary>
    public sealed class GenAiStartChatTests
    {
        [Fact]
        public void A_hand_made_chat_span_records_the_same_attributes_as_the_chat_client()
        {
            using var capture = new SpanCapture();
            var messages = new[] { new ChatMessage(ChatRole.User, "Recommend a fantasy book.") };

            using (var chat = GenAi.StartChat("openai", "gpt-4o", messages, new ChatOptions { Temperature = 0.2f }, new Uri("https://api.openai.com/v1")))
            {
                Assert.Equal(chat.Activity, Activity.Current);
                chat.RecordResponse("resp-7", "gpt-4o-2024-08-06", new[] { "stop" }, "Mistborn.");
                chat.RecordUsage(inputTokens: 20, outputTokens: 3, cacheReadInputTokens: 8, cacheCreationInputTokens: 1, reasoningOutputTokens: 0);
            }

            Assert.Equal(capture.Root, Activity.Current);
            var span = capture.Single("chat gpt-4o");
            Assert.Equal(ActivityKind.Client, span.Kind);
            Assert.Equal("chat", span.GetTagItem("gen_ai.operation.name"));
            Assert.Equal("openai", span.GetTagItem("gen_ai.provider.name"));
            Assert.Equal("gpt-4o", span.GetTagItem("gen_ai.request.model"));
            Assert.Equal("api.openai.com", span.GetTagItem("server.address"));
            Assert.Equal(443, span.GetTagItem("server.port"));
            Assert.Equal(0.2, span.GetTagItem("gen_ai.request.temperature"));
            Assert.Equal("resp-7", span.GetTagItem("gen_ai.response.id"));
            Assert.Equal("gpt-4o-2024-08-06", span.GetTagItem("gen_ai.response.model"));
            Assert.Equal(new[] { "stop" }, span.GetTagItem("gen_ai.response.finish_reasons"));
            Assert.Equal(20L, span.GetTagItem("gen_ai.usage.input_tokens"));
            Assert.Equal(3L, span.GetTagItem("gen_ai.usage.output_tokens"));
            Assert.Equal(8L, span.GetTagItem("gen_ai.usage.cache_read.input_tokens"));
            Assert.Equal(1L, span.GetTagItem("gen_ai.usage.cache_write.input_tokens"));
            Assert.Equal(0L, span.GetTagItem("gen_ai.usage.reasoning.output_tokens"));
            Assert.Equal(
                "{\"input_tokens\":20,\"output_tokens\":3,\"cache_read_tokens\":8,\"cache_write_tokens\":1,\"reasoning_tokens\":0,\"total_tokens\":23}",
                span.GetTagItem("mirascope.response.usage"));
            Assert.Equal("openai", span.GetTagItem("mirascope.response.provider_id"));
            Assert.Equal("gpt-4o-2024-08-06", span.GetTagItem("mirascope.response.model_id"));
            ChatSpanAssertions.HasNoContent(span, "fantasy", "Mistborn");
        }

        [Fact]
        public void A_usage_broken_down_by_modality_is_recorded_in_the_conventions_per_modality_attributes()
        {
            using var capture = new SpanCapture();

            using (var chat = GenAi.StartChat("openai", "gpt-4o-audio", null, null, null))
            {
#pragma warning disable MEAI001 // the per-modality counts are experimental in Microsoft.Extensions.AI
                chat.RecordUsage(new UsageDetails
                {
                    InputTokenCount = 300, InputTextTokenCount = 100, InputAudioTokenCount = 200,
                    OutputTokenCount = 50, OutputTextTokenCount = 20, OutputAudioTokenCount = 30,
                });
#pragma warning restore MEAI001
            }

            var span = capture.Single("chat gpt-4o-audio");
            Assert.Equal(300L, span.GetTagItem("gen_ai.usage.input_tokens"));
            Assert.Equal(100L, span.GetTagItem("gen_ai.usage.text.input_tokens"));
            Assert.Equal(200L, span.GetTagItem("gen_ai.usage.audio.input_tokens"));
            Assert.Equal(50L, span.GetTagItem("gen_ai.usage.output_tokens"));
            Assert.Equal(20L, span.GetTagItem("gen_ai.usage.text.output_tokens"));
            Assert.Equal(30L, span.GetTagItem("gen_ai.usage.audio.output_tokens"));
            Assert.All(
                span.TagObjects.Where(t => t.Key.StartsWith("gen_ai.usage.", StringComparison.Ordinal)),
                t => Assert.Contains(t.Key, GenAiConventionNames.InferenceSpanAttributes));
        }

        [Fact]
        public void A_usage_without_a_modality_breakdown_writes_no_per_modality_attribute()
        {
            using var capture = new SpanCapture();

            using (var chat = GenAi.StartChat("openai", "gpt-4o-plain-usage", null, null, null))
            {
                chat.RecordUsage(inputTokens: 12, outputTokens: 9);
            }

            var span = capture.Single("chat gpt-4o-plain-usage");
            Assert.DoesNotContain(span.TagObjects, t => t.Key.StartsWith("gen_ai.usage.text.", StringComparison.Ordinal) || t.Key.StartsWith("gen_ai.usage.audio.", StringComparison.Ordinal));
        }

        [Fact]
        public void Request_parameters_without_a_convention_attribute_are_recorded_in_an_untracked_params_event()
        {
            using var capture = new SpanCapture();
            var options = new ChatOptions
            {
                Temperature = 0.2f,
                AdditionalProperties = new AdditionalPropertiesDictionary
                {
                    ["reasoning_effort"] = "low",
                    ["metadata"] = new Dictionary<string, object?> { ["team"] = "books" },
                    ["logit_bias"] = new[] { 1, 2, 3 },
                    ["opaque"] = new Opaque(),
                },
            };

            using (GenAi.StartChat("openai", "gpt-4o", new[] { new ChatMessage(ChatRole.User, "A book?") }, options))
            {
            }

            var span = capture.Single("chat gpt-4o");
            var untracked = Assert.Single(span.Events, e => e.Name == "gen_ai.request.params.untracked");
            var tags = untracked.Tags.ToDictionary(t => t.Key, t => t.Value);
            Assert.Equal(4, tags["gen_ai.untracked_params.count"]);
            Assert.Equal(new[] { "reasoning_effort", "metadata", "logit_bias", "opaque" }, (string[])tags["gen_ai.untracked_params.keys"]!);
            Assert.Equal(
                "{\"reasoning_effort\":\"low\",\"metadata\":{\"team\":\"books\"},\"logit_bias\":[1,2,3],\"opaque\":\"<Opaque>\"}",
                tags["gen_ai.untracked_params.json"]);
            Assert.Equal(0.2, span.GetTagItem("gen_ai.request.temperature"));
        }

        [Fact]
        public void Without_untracked_parameters_there_is_no_event()
        {
            using var capture = new SpanCapture();

            using (GenAi.StartChat("openai", "gpt-4o", new[] { new ChatMessage(ChatRole.User, "A book?") }, new ChatOptions { Temperature = 0.2f }))
            {
            }

            Assert.Empty(capture.Single("chat gpt-4o").Events);
        }

        private sealed class Opaque
        {
            public int Value => throw new InvalidOperationException("not serializable");

            public override string ToString() => "<opaque>";
        }

        [Fact]
        public void A_hand_made_chat_span_records_content_when_asked()
        {
            using var capture = new SpanCapture();
            var messages = new[] { new ChatMessage(ChatRole.System, "Be brief."), new ChatMessage(ChatRole.User, "A book?") };

            using (var chat = GenAi.StartChat("anthropic", "claude-haiku", messages, captureMessageContent: true))
            {
                chat.RecordResponse(finishReasons: new[] { "end_turn" }, outputText: "Mistborn.");
            }

            var span = capture.Single("chat claude-haiku");
            Assert.Equal(
                "[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":\"Be brief.\"}]},{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"A book?\"}]}]",
                span.GetTagItem("gen_ai.input.messages"));
            Assert.Equal(
                "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Mistborn.\"}]}]",
                span.GetTagItem("gen_ai.output.messages"));
            Assert.Equal(
                "[{\"role\":\"system\",\"content\":{\"type\":\"text\",\"text\":\"Be brief.\"}},{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"A book?\"}],\"name\":null}]",
                span.GetTagItem("mirascope.response.messages"));
        }

        [Fact]
        public void RecordError_marks_the_span_failed_and_disposing_twice_ends_it_once()
        {
            using var capture = new SpanCapture();
            var chat = GenAi.StartChat("openai", null);
            chat.RecordError(new TimeoutException("the model took too long"));
            chat.Dispose();
            chat.Dispose();

            var span = capture.Single("chat");
            Assert.Equal(ActivityStatusCode.Error, span.Status);
            Assert.Equal("the model took too long", span.StatusDescription);
            Assert.Equal("System.TimeoutException", span.GetTagItem("error.type"));
            Assert.Null(span.GetTagItem("gen_ai.request.model"));
            Assert.Single(span.Events, e => e.Name == "exception");
        }

        [Fact]
        public void StartChat_rejects_a_missing_provider()
        {
            Assert.Throws<ArgumentNullException>(() => GenAi.StartChat(null!, "gpt-4o"));
        }

        [Fact]
        public void A_one_shot_message_sequence_is_left_for_the_model_when_capture_is_on()
        {
            using var capture = new SpanCapture();
            var messages = new OneShot(new ChatMessage(ChatRole.User, "A book?"));

            using (GenAi.StartChat("openai", "gpt-4o", messages, captureMessageContent: true))
            {
                // The caller's model call enumerates the sequence after the span has started.
                Assert.Single(messages);
            }

            Assert.Null(capture.Single("chat gpt-4o").GetTagItem("gen_ai.input.messages"));
        }

        /// <summary>A sequence that can be enumerated once, like a generator reading from a stream.</summary>
        private sealed class OneShot : IEnumerable<ChatMessage>
        {
            private readonly ChatMessage _message;
            private int _enumerations;

            public OneShot(ChatMessage message) => _message = message;

            public IEnumerator<ChatMessage> GetEnumerator()
            {
                if (++_enumerations > 1) throw new InvalidOperationException("enumerated twice");
                return ((IEnumerable<ChatMessage>)new[] { _message }).GetEnumerator();
            }

            System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
        }
    }
}
