namespace Mirascope.Ops
{
    /// <summary>Options of <see cref="OpsLlm.Instrument"/>.</summary>
    public sealed class LlmInstrumentationOptions
    {
        /// <summary>
        /// Whether spans record message content: the prompts, the responses, the system instructions, the tool
        /// definitions and tool arguments and results. Content can hold personal or secret data, so it is off unless
        /// turned on here or, when this is null (the default), by the environment variable
        /// <c>OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true</c>.
        /// </summary>
        public bool? CaptureMessageContent { get; set; }

        /// <summary>
        /// Whether to turn on the OpenAI SDK's own spans and metrics (its experimental switch
        /// <c>OpenAI.Experimental.EnableOpenTelemetry</c>). It takes effect for OpenAI clients created afterwards.
        /// Default true.
        /// </summary>
        public bool EnableOpenAITelemetry { get; set; } = true;

        /// <summary>
        /// Whether to turn on Semantic Kernel's GenAI diagnostics (its switch
        /// <c>Microsoft.SemanticKernel.Experimental.GenAI.EnableOTelDiagnostics</c>, and the sensitive variant when
        /// content is captured). Default true.
        /// </summary>
        public bool EnableSemanticKernelTelemetry { get; set; } = true;
    }
}
