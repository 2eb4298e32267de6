namespace Mirascope.Ops.Profiles
{
    /// <summary>
    /// The keys the profiles write, as each backend's own source reads them (docs/llm.md cites the commits), and the
    /// keys of ours and of the GenAI conventions they read from.
    /// </summary>
    internal static class ProfileKeys
    {
        // Identity: OpenTelemetry's general conventions (session, user), which Langfuse and OpenInference read too.
        public const string SessionId = "session.id";
        public const string UserId = "user.id";

        // Langfuse (OtelIngestionProcessor.ts, attributes.ts).
        public const string LangfuseObservationType = "langfuse.observation.type";
        public const string LangfuseObservationInput = "langfuse.observation.input";
        public const string LangfuseObservationOutput = "langfuse.observation.output";
        public const string LangfuseObservationMetadataPrefix = "langfuse.observation.metadata.";
        public const string LangfuseTraceTags = "langfuse.trace.tags";
        public const string LangfuseUsageDetails = "langfuse.observation.usage_details";
        public const string LangfusePromptName = LangfuseObservationMetadataPrefix + "prompt_name";
        public const string LangfusePromptVersion = LangfuseObservationMetadataPrefix + "prompt_version";

        // OpenInference (spec/semantic_conventions.md).
        public const string OpenInferenceSpanKind = "openinference.span.kind";
        public const string InputValue = "input.value";
        public const string InputMimeType = "input.mime_type";
        public const string OutputValue = "output.value";
        public const string OutputMimeType = "output.mime_type";
        public const string TagTags = "tag.tags";
        public const string Metadata = "metadata";
        public const string LlmModelName = "llm.model_name";
        public const string LlmProvider = "llm.provider";
        public const string LlmTokenCountPrompt = "llm.token_count.prompt";
        public const string LlmTokenCountCompletion = "llm.token_count.completion";
        public const string LlmTokenCountTotal = "llm.token_count.total";
        public const string LlmTokenCountCacheRead = "llm.token_count.prompt_details.cache_read";
        public const string LlmTokenCountCacheWrite = "llm.token_count.prompt_details.cache_write";
        public const string LlmTokenCountReasoning = "llm.token_count.completion_details.reasoning";
        public const string LlmPromptTemplateVersion = "llm.prompt_template.version";
        public const string LlmPromptTemplateVariables = "llm.prompt_template.variables";
        public const string ToolName = "tool.name";
        public const string Json = "application/json";
        public const string Text = "text/plain";

        // GenAI conventions, written by the GenAI profile.
        public const string ConversationId = "gen_ai.conversation.id";

        // Read: Mirascope's own keys.
        public const string MirascopeType = "mirascope.type";
        public const string ArgValues = "mirascope.trace.arg_values";
        public const string Output = "mirascope.trace.output";
        public const string Tags = "mirascope.trace.tags";
        public const string MirascopeMetadata = "mirascope.trace.metadata";

        // Read: the GenAI conventions' keys (current, and the v1.41 names some libraries still write).
        public const string OperationName = "gen_ai.operation.name";
        public const string ProviderName = "gen_ai.provider.name";
        public const string V141System = "gen_ai.system";
        public const string RequestModel = "gen_ai.request.model";
        public const string ResponseModel = "gen_ai.response.model";
        public const string InputMessages = "gen_ai.input.messages";
        public const string OutputMessages = "gen_ai.output.messages";
        public const string SystemInstructions = "gen_ai.system_instructions";
        public const string UsageInputTokens = "gen_ai.usage.input_tokens";
        public const string UsageOutputTokens = "gen_ai.usage.output_tokens";
        public const string UsageCacheRead = "gen_ai.usage.cache_read.input_tokens";
        public const string UsageCacheWrite = "gen_ai.usage.cache_write.input_tokens";
        public const string V141UsageCacheCreation = "gen_ai.usage.cache_creation.input_tokens";
        public const string UsageReasoning = "gen_ai.usage.reasoning.output_tokens";
        public const string PromptName = "gen_ai.prompt.name";
        public const string PromptVersion = "gen_ai.prompt.version";
        public const string PromptVariablePrefix = "gen_ai.prompt.variable.";
        public const string ToolNameGenAi = "gen_ai.tool.name";
        public const string ToolCallArguments = "gen_ai.tool.call.arguments";
        public const string ToolCallResult = "gen_ai.tool.call.result";
    }
}
