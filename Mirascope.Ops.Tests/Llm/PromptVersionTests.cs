using System;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Mirascope.Ops.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Llm
{
    /// <summary>
    /// A chat call made inside a woven <c>[Version]</c> function says which prompt version produced it:
    /// <c>gen_ai.prompt.name</c> and <c>gen_ai.prompt.version</c> (the conventions' names, <see cref="GenAiConventionNames"/>).
    /// </summary>
    public sealed class PromptVersionTests
    {
        [Fact]
        public async Task A_chat_span_inside_a_version_function_names_the_function_and_its_code_hash_as_the_prompt()
        {
            var server = await FakeLlmServer.Shared;
            using var capture = new SpanCapture();
            var ask = WovenLibrarian.Ask(LlmClients.OpenAI(server, "gpt-prompt-version").Traced());

            var answer = await WovenLibrarian.Instance.CallAsync("RecommendAsync", "fantasy", 3, ask);

            Assert.Equal(FakeLlmServer.Answer, answer);
            var version = capture.Single("recommend_books");
            var chat = capture.Single("chat gpt-prompt-version");
            Assert.Equal(version.SpanId, chat.ParentSpanId);
            Assert.Contains("gen_ai.prompt.name", GenAiConventionNames.InferenceSpanAttributes);
            Assert.Contains("gen_ai.prompt.version", GenAiConventionNames.InferenceSpanAttributes);
            Assert.Equal("recommend_books", chat.GetTagItem("gen_ai.prompt.name"));
            var hash = (string)version.GetTagItem("mirascope.version.hash")!;
            Assert.Matches(new Regex("^[0-9a-f]{64}$"), hash);
            Assert.Equal(hash, chat.GetTagItem("gen_ai.prompt.version"));
            // Variables are opt-in: arguments can hold personal data.
            Assert.DoesNotContain(chat.TagObjects, t => t.Key.StartsWith(GenAiConventionNames.PromptVariablePrefix, StringComparison.Ordinal));
        }

        [Fact]
        public async Task A_chat_span_under_a_trace_step_of_a_version_function_belongs_to_that_versions_prompt()
        {
            var server = await FakeLlmServer.Shared;
            using var capture = new SpanCapture();
            var ask = WovenLibrarian.Ask(LlmClients.Anthropic(server, "claude-prompt-nested").Traced());

            await WovenLibrarian.Instance.CallAsync("OutlineAsync", "dragons", ask);

            var version = capture.Spans.Single(s => s.GetTagItem("mirascope.version.hash") is not null);
            var draft = capture.Spans.Single(s => s.DisplayName.EndsWith("DraftAsync", StringComparison.Ordinal));
            var chat = capture.Single("chat claude-prompt-nested");
            Assert.Equal(draft.SpanId, chat.ParentSpanId);
            Assert.Equal(version.DisplayName, chat.GetTagItem("gen_ai.prompt.name"));
            Assert.Equal(version.GetTagItem("mirascope.version.hash"), chat.GetTagItem("gen_ai.prompt.version"));
        }

        [Fact]
        public async Task A_chat_span_outside_any_version_function_carries_no_prompt_attributes()
        {
            var server = await FakeLlmServer.Shared;
            using var capture = new SpanCapture();
            var ask = WovenLibrarian.Ask(LlmClients.OpenAI(server, "gpt-no-prompt").Traced());

            await WovenLibrarian.Instance.CallAsync("UnversionedAsync", "fantasy", ask);

            var chat = capture.Single("chat gpt-no-prompt");
            Assert.DoesNotContain(chat.TagObjects, t => t.Key.StartsWith("gen_ai.prompt.", StringComparison.Ordinal));
        }
    }
}
