namespace Mirascope.Ops
{
    /// <summary>Options of the chat client that <c>UseMirascopeOps()</c> adds to a pipeline.</summary>
    public sealed class MirascopeChatClientOptions
    {
        /// <summary>
        /// Whether this client's spans record message content (<c>gen_ai.input.messages</c>,
        /// <c>gen_ai.output.messages</c>, <c>gen_ai.system_instructions</c>, <c>gen_ai.tool.definitions</c>,
        /// <c>mirascope.response.content</c>). Null (the default) follows <see cref="OpsLlm.Instrument"/> and the
        /// environment variable <c>OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT</c>; both default to off.
        /// </summary>
        public bool? CaptureMessageContent { get; set; }

        /// <summary>
        /// The <c>gen_ai.provider.name</c> to report, for clients whose metadata names none. Null (the default) uses
        /// the inner client's <c>ChatClientMetadata.ProviderName</c>.
        /// </summary>
        public string? ProviderName { get; set; }
    }
}
