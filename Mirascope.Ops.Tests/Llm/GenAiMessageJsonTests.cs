using System;
using System.Collections.Generic;
using Microsoft.Extensions.AI;
using Mirascope.Ops.Llm;
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
        public void A_value_that_cannot_be_serialized_is_recorded_as_text_and_the_document_stays_valid()
        {
            var message = new ChatMessage(ChatRole.Tool, new List<AIContent> { new FunctionResultContent("call_1", new Unserializable()) });

            var json = GenAiMessageJson.InputMessages(new[] { message });

            Assert.Equal("[{\"role\":\"tool\",\"parts\":[{\"type\":\"tool_call_response\",\"id\":\"call_1\",\"response\":\"an unserializable value\"}]}]", json);
        }

        private sealed class Unserializable
        {
            public int Boom => throw new InvalidOperationException("no");

            public override string ToString() => "an unserializable value";
        }
    }
}
