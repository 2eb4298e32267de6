using System;
using System.Linq;
using System.Threading.Tasks;
using Mirascope.Ops.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Llm
{
    /// <summary>
    /// With <see cref="LlmInstrumentationOptions.RecordPromptVariables"/> a chat span inside a <c>[Version]</c> function
    /// also carries its recorded arguments as the conventions' <c>gen_ai.prompt.variable.&lt;name&gt;</c>.
    /// </summary>
    [Collection(GenAiProcessSettingsCollection.Name)]
    public sealed class PromptVariableTests : IDisposable
    {
        public PromptVariableTests() => OpsLlm.Instrument(new LlmInstrumentationOptions { RecordPromptVariables = true });

        public void Dispose() => OpsLlm.Instrument(new LlmInstrumentationOptions { RecordPromptVariables = false });

        [Fact]
        public async Task Opted_in_a_chat_span_records_the_version_functions_recorded_arguments_as_string_prompt_variables()
        {
            var server = await FakeLlmServer.Shared;
            using var capture = new SpanCapture();
            var ask = WovenLibrarian.Ask(LlmClients.OpenAI(server, "gpt-prompt-variables").Traced());

            await WovenLibrarian.Instance.CallAsync("RecommendAsync", "fantasy", 3, ask);

            var chat = capture.Single("chat gpt-prompt-variables");
            Assert.Contains("gen_ai.prompt.variable", GenAiConventionNames.InferenceSpanAttributes);
            var variables = chat.TagObjects.Where(t => t.Key.StartsWith(GenAiConventionNames.PromptVariablePrefix, StringComparison.Ordinal))
                .OrderBy(t => t.Key, StringComparer.Ordinal).ToList();
            // The arguments as [Version] recorded them: the number as its text (the conventions' values are strings), and
            // the [NoTrace] delegate redacted, as on the function's own span.
            Assert.Equal(new[] { "gen_ai.prompt.variable.ask", "gen_ai.prompt.variable.count", "gen_ai.prompt.variable.genre" }, variables.Select(t => t.Key));
            Assert.Equal(new object[] { "[redacted]", "3", "fantasy" }, variables.Select(t => t.Value));
        }

        [Fact]
        public async Task Opted_in_a_chat_span_outside_a_version_function_records_no_variables()
        {
            var server = await FakeLlmServer.Shared;
            using var capture = new SpanCapture();
            var ask = WovenLibrarian.Ask(LlmClients.OpenAI(server, "gpt-no-variables").Traced());

            await WovenLibrarian.Instance.CallAsync("UnversionedAsync", "fantasy", ask);

            Assert.DoesNotContain(capture.Single("chat gpt-no-variables").TagObjects, t => t.Key.StartsWith("gen_ai.prompt.", StringComparison.Ordinal));
        }
    }
}
