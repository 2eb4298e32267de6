using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Mirascope.Ops.Llm;
using Mirascope.Ops.Tracing;
using Xunit;

namespace Mirascope.Ops.Tests.Llm
{
    public sealed class GenAiMessageJsonTests
    {
        [Fact]
        public void Every_content_kind_becomes_a_part_of_the_conventions_message_schema()
        {
            var message = new ChatMessage(ChatRole.User, new List<AIContent>
            {
                new TextContent("Which cover?"),
                new TextReasoningContent("Compare them."),
                new UriContent(new Uri("https://example.test/cover.png"), "image/png"),
                new DataContent(new byte[] { 1, 2, 3 }, "audio/wav"),
                new HostedFileContent("file-42"),
                new FunctionResultContent("call_1", new Dictionary<string, object?> { ["pages"] = 662 }),
                new ErrorContent("boom"),
            })
            { AuthorName = "reader" };

            var json = GenAiMessageJson.InputMessages(new[] { message });

            Assert.Equal(
                "[{\"role\":\"user\",\"name\":\"reader\",\"parts\":[" +
                "{\"type\":\"text\",\"content\":\"Which cover?\"}," +
                "{\"type\":\"reasoning\",\"content\":\"Compare them.\"}," +
                "{\"type\":\"uri\",\"modality\":\"image\",\"mime_type\":\"image/png\",\"uri\":\"https://example.test/cover.png\"}," +
                "{\"type\":\"blob\",\"modality\":\"audio\",\"mime_type\":\"audio/wav\",\"content\":\"AQID\"}," +
                "{\"type\":\"file\",\"file_id\":\"file-42\"}," +
                "{\"type\":\"tool_call_response\",\"id\":\"call_1\",\"response\":{\"pages\":662}}," +
                "{\"type\":\"error\"}]}]",
                json);
        }

        [Fact]
        public void A_value_the_recorder_cannot_show_is_a_placeholder_and_none_of_its_code_runs()
        {
            var message = new ChatMessage(ChatRole.Tool, new List<AIContent> { new FunctionResultContent("call_1", new Unserializable()) });

            var json = GenAiMessageJson.InputMessages(new[] { message });

            Assert.Equal("[{\"role\":\"tool\",\"parts\":[{\"type\":\"tool_call_response\",\"id\":\"call_1\",\"response\":\"<Unserializable>\"}]}]", json);
        }

        [Fact]
        public void A_long_prompt_is_cut_to_the_recording_cap_and_the_messages_stay_valid_json()
        {
            var book = string.Concat(Enumerable.Repeat("It was a dark and stormy night; \"quoted\" \U0001F4D6. ", 3_000));
            var messages = new[]
            {
                new ChatMessage(ChatRole.System, "You recommend books."),
                new ChatMessage(ChatRole.User, book),
                new ChatMessage(ChatRole.User, "And a second question."),
            };

            var json = GenAiMessageJson.InputMessages(messages);

            Assert.InRange(Encoding.UTF8.GetByteCount(json), RecordingLimits.DefaultMaxAttributeLength - 256, RecordingLimits.DefaultMaxAttributeLength + 256);
            using var document = JsonDocument.Parse(json);
            var parsed = document.RootElement.EnumerateArray().ToList();
            Assert.Equal("You recommend books.", parsed[0].GetProperty("parts")[0].GetProperty("content").GetString());
            var cut = parsed[1].GetProperty("parts")[0];
            Assert.Equal("text", cut.GetProperty("type").GetString());
            var text = cut.GetProperty("content").GetString()!;
            Assert.EndsWith("…[truncated]", text, StringComparison.Ordinal);
            Assert.StartsWith(text.Substring(0, text.Length - "…[truncated]".Length), book, StringComparison.Ordinal);
            Assert.False(char.IsHighSurrogate(text[text.Length - "…[truncated]".Length - 1]), "a surrogate pair must not be split");
        }

        [Fact]
        public void A_long_conversation_keeps_its_first_whole_messages_within_the_cap()
        {
            var messages = Enumerable.Range(0, 2_000).Select(i => new ChatMessage(i % 2 == 0 ? ChatRole.User : ChatRole.Assistant, $"Turn {i}: which book next?")).ToList();

            var json = GenAiMessageJson.OutputMessages(messages, ChatFinishReason.Stop, includeFinishReason: true);

            Assert.InRange(Encoding.UTF8.GetByteCount(json), RecordingLimits.DefaultMaxAttributeLength - 256, RecordingLimits.DefaultMaxAttributeLength + 256);
            using var document = JsonDocument.Parse(json);
            var kept = document.RootElement.EnumerateArray().ToList();
            Assert.InRange(kept.Count, 100, 1_999);
            for (var i = 0; i < kept.Count - 1; i++)
            {
                Assert.Equal($"Turn {i}: which book next?", kept[i].GetProperty("parts")[0].GetProperty("content").GetString());
                Assert.Equal("stop", kept[i].GetProperty("finish_reason").GetString());
            }
        }

        [Fact]
        public void A_tool_definition_with_a_huge_schema_keeps_its_shape()
        {
            var description = new string('d', 40_000);
            var tool = AIFunctionFactory.Create((string title) => title.Length, "count_letters", description);

            var json = GenAiMessageJson.ToolDefinitions(new List<AITool> { tool });

            Assert.True(Encoding.UTF8.GetByteCount(json) <= RecordingLimits.DefaultMaxAttributeLength + 256);
            using var document = JsonDocument.Parse(json);
            var definition = document.RootElement[0];
            Assert.Equal("function", definition.GetProperty("type").GetString());
            Assert.Equal("count_letters", definition.GetProperty("name").GetString());
            Assert.EndsWith("…[truncated]", definition.GetProperty("description").GetString(), StringComparison.Ordinal);
            Assert.Equal(JsonValueKind.Object, definition.GetProperty("parameters").ValueKind);
        }

        private sealed class Unserializable
        {
            public int Boom => throw new InvalidOperationException("no");

            public override string ToString() => "an unserializable value";
        }
    }
}
