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

        /// <summary>
        /// Whether a chat span inside a <c>[Version]</c> function records the function's recorded arguments as the
        /// prompt's variables, <c>gen_ai.prompt.variable.&lt;argument&gt;</c> (the span always says which prompt it
        /// belongs to: <c>gen_ai.prompt.name</c> and <c>gen_ai.prompt.version</c>). Arguments can hold personal data, so
        /// it is off unless turned on here; null (the default) leaves the current setting.
        /// </summary>
        public bool? RecordPromptVariables { get; set; }

        /// <summary>
        /// Whether chat spans and metrics also carry the names of the GenAI conventions v1.41 that the current
        /// conventions replaced, for backends that still read those: <c>gen_ai.usage.cache_creation.input_tokens</c>,
        /// <c>finish_reason</c> in each output message, <c>gen_ai.request.top_k</c> as a double, and the
        /// <c>gen_ai.client.token.usage</c> and <c>gen_ai.client.operation.duration</c> histograms. Off by default;
        /// null (the default) follows the environment: <c>MIRASCOPE_GENAI_EMIT_V1_41_NAMES=true</c> turns it on unless
        /// <c>OTEL_SEMCONV_STABILITY_OPT_IN</c> lists <c>gen_ai_latest_experimental</c>.
        /// </summary>
        public bool? EmitV141Names { get; set; }
    }
}
