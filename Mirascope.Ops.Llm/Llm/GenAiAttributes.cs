namespace Mirascope.Ops.Llm
{
    /// <summary>
    /// Attribute keys and well-known values of the OpenTelemetry GenAI semantic conventions as
    /// open-telemetry/semantic-conventions-genai defines them (docs/llm.md cites the commit), the v1.41 names they
    /// replaced (emitted only when <see cref="GenAiConventions.EmitV141Names"/>), and Mirascope's own response attributes.
    /// </summary>
    internal static class GenAiAttributes
    {
        public const string OperationName = "gen_ai.operation.name";
        public const string ProviderName = "gen_ai.provider.name";
        public const string ConversationId = "gen_ai.conversation.id";
        public const string OutputType = "gen_ai.output.type";

        public const string RequestModel = "gen_ai.request.model";
        public const string RequestTemperature = "gen_ai.request.temperature";
        public const string RequestMaxTokens = "gen_ai.request.max_tokens";
        public const string RequestTopP = "gen_ai.request.top_p";
        public const string RequestTopK = "gen_ai.request.top_k";
        public const string RequestFrequencyPenalty = "gen_ai.request.frequency_penalty";
        public const string RequestPresencePenalty = "gen_ai.request.presence_penalty";
        public const string RequestSeed = "gen_ai.request.seed";
        public const string RequestStopSequences = "gen_ai.request.stop_sequences";
        public const string RequestStream = "gen_ai.request.stream";

        // Python's event for request parameters the conventions have no attribute for (ChatOptions.AdditionalProperties here).
        public const string UntrackedParamsEvent = "gen_ai.request.params.untracked";
        public const string UntrackedParamsCount = "gen_ai.untracked_params.count";
        public const string UntrackedParamsKeys = "gen_ai.untracked_params.keys";
        public const string UntrackedParamsJson = "gen_ai.untracked_params.json";

        public const string ResponseId = "gen_ai.response.id";
        public const string ResponseModel = "gen_ai.response.model";
        public const string ResponseFinishReasons = "gen_ai.response.finish_reasons";

        /// <summary>The finish reason of a choice that ended abnormally: failed, cancelled, or a stream left before its end.</summary>
        public const string ErrorFinishReason = "error";
        public const string ResponseTimeToFirstChunk = "gen_ai.response.time_to_first_chunk";

        public const string UsageInputTokens = "gen_ai.usage.input_tokens";
        public const string UsageOutputTokens = "gen_ai.usage.output_tokens";
        public const string UsageCacheReadInputTokens = "gen_ai.usage.cache_read.input_tokens";
        public const string UsageCacheWriteInputTokens = "gen_ai.usage.cache_write.input_tokens";
        public const string UsageReasoningOutputTokens = "gen_ai.usage.reasoning.output_tokens";
        public const string UsageTextInputTokens = "gen_ai.usage.text.input_tokens";
        public const string UsageAudioInputTokens = "gen_ai.usage.audio.input_tokens";
        public const string UsageTextOutputTokens = "gen_ai.usage.text.output_tokens";
        public const string UsageAudioOutputTokens = "gen_ai.usage.audio.output_tokens";

        public const string InputMessages = "gen_ai.input.messages";
        public const string OutputMessages = "gen_ai.output.messages";
        public const string SystemInstructions = "gen_ai.system_instructions";
        public const string ToolDefinitions = "gen_ai.tool.definitions";

        public const string PromptName = "gen_ai.prompt.name";
        public const string PromptVersion = "gen_ai.prompt.version";

        /// <summary>Followed by the variable's name: one attribute per template variable (opt-in).</summary>
        public const string PromptVariablePrefix = "gen_ai.prompt.variable.";

        public const string TokenModality = "gen_ai.token.modality";
        public const string UnknownModality = "unknown";

        // The v1.41 names the current conventions replaced (docs/gen-ai/non-normative/migration.md).
        public const string V141UsageCacheCreationInputTokens = "gen_ai.usage.cache_creation.input_tokens";
        public const string V141TokenType = "gen_ai.token.type";
        public const string ServerAddress = "server.address";
        public const string ServerPort = "server.port";
        public const string ErrorType = "error.type";

        public const string ChatOperation = "chat";

        public const string MirascopeProviderId = "mirascope.response.provider_id";
        public const string MirascopeModelId = "mirascope.response.model_id";
        public const string MirascopeUsage = "mirascope.response.usage";
        public const string MirascopeContent = "mirascope.response.content";
        public const string MirascopeMessages = "mirascope.response.messages";
    }
}
