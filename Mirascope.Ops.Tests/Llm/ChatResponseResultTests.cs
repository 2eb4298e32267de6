using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Mirascope.Ops.Tests.Infrastructure;
using Mirascope.Ops.Weaving;
using Xunit;

namespace Mirascope.Ops.Tests.Llm
{
    /// <summary>A traced method whose result is a Microsoft.Extensions.AI <see cref="ChatResponse"/>.</summary>
    public sealed class ChatResponseResultTests
    {
        private static readonly TracedMethod Recommend = new TracedMethod(
            "recommend_book", "Library.recommend_book", "Library", "recommend_book", isAsync: true,
            new[] { "genre" }, "{\"genre\":\"string\"}", tags: null, metadataJson: null);

        /// <summary>
        /// As in an app that uses Mirascope.Ops.Llm: its first use registers the ChatResponse recorder with the runtime
        /// (the untraced client below never touches the package itself).
        /// </summary>
        public ChatResponseResultTests() => System.Runtime.CompilerServices.RuntimeHelpers.RunModuleConstructor(typeof(GenAi).Module.ModuleHandle);

        private static ChatResponse Complete(ChatResponse result)
        {
            var scope = default(TraceScope);
            Recommend.Start(ref scope);
            scope.Arg("fantasy");
            scope.CommitArgs();
            TraceScope.Complete(result, ref scope);
            return result;
        }

        [Fact]
        public async Task A_traced_method_returning_a_chat_response_records_the_response_as_Python_does()
        {
            var server = await FakeLlmServer.Shared;
            using var capture = new SpanCapture();
            var response = await LlmClients.OpenAI(server, "gpt-4o-mini").Traced().GetResponseAsync("Recommend a fantasy book.");

            Complete(response);

            var span = capture.Single("recommend_book");
            Assert.Equal(FakeLlmServer.Answer, span.GetTagItem("mirascope.trace.output"));
            Assert.Equal("openai", span.GetTagItem("mirascope.response.provider_id"));
            Assert.Equal("gpt-4o-mini-0001", span.GetTagItem("mirascope.response.model_id"));
            Assert.Equal(
                "{\"input_tokens\":12,\"output_tokens\":9,\"cache_read_tokens\":4,\"cache_write_tokens\":0,\"reasoning_tokens\":2,\"total_tokens\":21}",
                span.GetTagItem("mirascope.response.usage"));
            Assert.Equal("[{\"type\":\"text\",\"text\":\"Try \\\"The Name of the Wind\\\" by Patrick Rothfuss.\"}]", span.GetTagItem("mirascope.response.content"));
        }

        [Fact]
        public async Task The_provider_of_a_response_from_an_untraced_client_is_known_from_the_SDK_type()
        {
            var server = await FakeLlmServer.Shared;
            using var capture = new SpanCapture();
            var response = await LlmClients.Anthropic(server, "claude-haiku").GetResponseAsync("Recommend a fantasy book.");

            Complete(response);

            var span = capture.Single("recommend_book");
            Assert.Equal("anthropic", span.GetTagItem("mirascope.response.provider_id"));
            Assert.Equal("claude-haiku-0001", span.GetTagItem("mirascope.response.model_id"));
        }

        [Fact]
        public void Tool_calls_are_part_of_the_output_and_the_content()
        {
            using var capture = new SpanCapture();
            var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, new List<AIContent>
            {
                new TextReasoningContent("They like long series."),
                new TextContent("Let me look."),
                new FunctionCallContent("call_1", "find_books", new Dictionary<string, object?> { ["genre"] = "fantasy" }),
            }));

            Complete(response);

            var span = capture.Single("recommend_book");
            Assert.Equal(
                "**Thinking:**\n  They like long series.\n\nLet me look.\n\n**ToolCall (find_books):** {\"genre\":\"fantasy\"}",
                span.GetTagItem("mirascope.trace.output"));
            Assert.Equal(
                "[{\"type\":\"thought\",\"thought\":\"They like long series.\"},{\"type\":\"text\",\"text\":\"Let me look.\"},{\"type\":\"tool_call\",\"id\":\"call_1\",\"name\":\"find_books\",\"args\":\"{\\\"genre\\\":\\\"fantasy\\\"}\"}]",
                span.GetTagItem("mirascope.response.content"));
            Assert.Null(span.GetTagItem("mirascope.response.provider_id"));
            Assert.Null(span.GetTagItem("mirascope.response.usage"));
        }
    }
}
