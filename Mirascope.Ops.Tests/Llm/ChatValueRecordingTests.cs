using System.Collections.Generic;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Mirascope.Ops.Tests.Runtime;
using Xunit;

namespace Mirascope.Ops.Tests.Llm
{
    /// <summary>
    /// A traced method that takes chat messages records them readably without running Microsoft.Extensions.AI's
    /// getters: its properties wrap conventionally named fields (<c>Contents</c> over <c>_contents</c>, <c>Text</c>
    /// over <c>_text</c>), which the recorder reads.
    /// </summary>
    public class ChatValueRecordingTests
    {
        [Fact]
        public void Chat_messages_are_recorded_with_their_role_and_text()
        {
            var messages = new List<ChatMessage>
            {
                new ChatMessage(ChatRole.System, "You recommend books."),
                new ChatMessage(ChatRole.User, "Something like Dune?"),
            };

            var json = ValueRecordingTests.Record(messages);

            using var parsed = JsonDocument.Parse(json);
            var first = parsed.RootElement[0];
            Assert.Equal("system", first.GetProperty("Role").GetProperty("Value").GetString());
            Assert.Equal("You recommend books.", first.GetProperty("Contents")[0].GetProperty("Text").GetString());
            Assert.Equal("Something like Dune?", parsed.RootElement[1].GetProperty("Contents")[0].GetProperty("Text").GetString());
        }
    }
}
