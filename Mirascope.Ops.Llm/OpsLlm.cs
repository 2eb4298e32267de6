using Mirascope.Ops.Llm;

namespace Mirascope.Ops
{
    /// <summary>The LLM integration's entry point (package Mirascope.Ops.Llm).</summary>
    public static class OpsLlm
    {
        /// <summary>
        /// Records the calls of the .NET LLM stack as GenAI spans: turns on the OpenAI SDK's and Semantic Kernel's
        /// OpenTelemetry switches and sets whether message content is captured. The spans of Microsoft.Extensions.AI
        /// (<c>Experimental.Microsoft.Extensions.AI</c>), OpenAI (<c>OpenAI.*</c>), Anthropic
        /// (<c>com.anthropic.sdk.csharp*</c>) and Semantic Kernel (<c>Microsoft.SemanticKernel*</c>) are exported with
        /// Mirascope's own. Call it at startup, before creating OpenAI clients: the SDK reads its switch when a client is made.
        /// From then on a traced method returning a <c>ChatResponse</c> also records <c>mirascope.response.*</c>.
        /// </summary>
        /// <param name="options">What to turn on; null for the defaults (content capture off unless
        /// <c>OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true</c>).</param>
        public static void Instrument(LlmInstrumentationOptions? options = null)
        {
            ChatResponseRecorder.Register();
            LlmInstrumentation.Instrument(options ?? new LlmInstrumentationOptions());
        }
    }
}
