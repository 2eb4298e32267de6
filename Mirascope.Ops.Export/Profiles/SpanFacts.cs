using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace Mirascope.Ops.Profiles
{
    /// <summary>
    /// What the profiles map, read from a finished span's attributes in one pass (a key lookup per fact would walk the
    /// attribute list once each). Only the values already recorded: nothing here records anything again.
    /// </summary>
    internal struct SpanFacts
    {
        public string? MirascopeType;
        public string? ArgValues;
        public object? Output;
        public string[]? Tags;
        public string? Metadata;
        public string? OperationName;
        public string? ProviderName;
        public string? RequestModel;
        public string? ResponseModel;
        public string? InputMessages;
        public string? OutputMessages;
        public string? SystemInstructions;
        public long? InputTokens;
        public long? OutputTokens;
        public long? CacheReadTokens;
        public long? CacheWriteTokens;
        public long? ReasoningTokens;
        public string? PromptName;
        public string? PromptVersion;
        public List<KeyValuePair<string, string>>? PromptVariables;
        public string? ToolName;
        public string? ToolArguments;
        public string? ToolResult;
        public string? SessionId;
        public bool HasConversationId;

        /// <summary>
        /// A model call made inside another model call in this process: the same call seen by a second layer (the
        /// OpenAI SDK's own span under <c>UseMirascopeOps()</c>'s). Its tokens are the outer span's, not more.
        /// </summary>
        public bool InsideModelCall;

        public static SpanFacts Read(Activity activity)
        {
            var facts = default(SpanFacts);
            foreach (var tag in activity.EnumerateTagObjects())
            {
                var value = tag.Value;
                switch (tag.Key)
                {
                    case ProfileKeys.MirascopeType: facts.MirascopeType = value as string; break;
                    case ProfileKeys.ArgValues: facts.ArgValues = value as string; break;
                    case ProfileKeys.Output: facts.Output = value; break;
                    case ProfileKeys.Tags: facts.Tags = value as string[]; break;
                    case ProfileKeys.MirascopeMetadata: facts.Metadata = value as string; break;
                    case ProfileKeys.OperationName: facts.OperationName = value as string; break;
                    case ProfileKeys.ProviderName: facts.ProviderName = value as string; break;
                    case ProfileKeys.V141System: facts.ProviderName ??= value as string; break;
                    case ProfileKeys.RequestModel: facts.RequestModel = value as string; break;
                    case ProfileKeys.ResponseModel: facts.ResponseModel = value as string; break;
                    case ProfileKeys.InputMessages: facts.InputMessages = value as string; break;
                    case ProfileKeys.OutputMessages: facts.OutputMessages = value as string; break;
                    case ProfileKeys.SystemInstructions: facts.SystemInstructions = value as string; break;
                    case ProfileKeys.UsageInputTokens: facts.InputTokens = AsLong(value); break;
                    case ProfileKeys.UsageOutputTokens: facts.OutputTokens = AsLong(value); break;
                    case ProfileKeys.UsageCacheRead: facts.CacheReadTokens = AsLong(value); break;
                    case ProfileKeys.UsageCacheWrite: facts.CacheWriteTokens = AsLong(value); break;
                    case ProfileKeys.V141UsageCacheCreation: facts.CacheWriteTokens ??= AsLong(value); break;
                    case ProfileKeys.UsageReasoning: facts.ReasoningTokens = AsLong(value); break;
                    case ProfileKeys.PromptName: facts.PromptName = value as string; break;
                    case ProfileKeys.PromptVersion: facts.PromptVersion = value as string; break;
                    case ProfileKeys.ToolNameGenAi: facts.ToolName = value as string; break;
                    case ProfileKeys.ToolCallArguments: facts.ToolArguments = value as string; break;
                    case ProfileKeys.ToolCallResult: facts.ToolResult = value as string; break;
                    case ProfileKeys.SessionId: facts.SessionId = value as string; break;
                    case ProfileKeys.ConversationId: facts.HasConversationId = value is not null; break;
                    default:
                        if (tag.Key.StartsWith(ProfileKeys.PromptVariablePrefix, StringComparison.Ordinal) && value is not null)
                        {
                            (facts.PromptVariables ??= new List<KeyValuePair<string, string>>()).Add(
                                new KeyValuePair<string, string>(tag.Key.Substring(ProfileKeys.PromptVariablePrefix.Length), value as string ?? value.ToString() ?? ""));
                        }

                        break;
                }
            }

            facts.InsideModelCall = facts.IsModelCall && activity.Parent is { } parent && IsModelOperation(parent.GetTagItem(ProfileKeys.OperationName) as string);
            return facts;
        }

        /// <summary>A span of a <c>[Trace]</c> method or an explicit span: its recorded arguments and output are its input and output.</summary>
        public bool IsTracedCall => MirascopeType == "trace";

        /// <summary>A traced call that is no GenAI operation (an agent's entry point is one): Mirascope's own step.</summary>
        public bool IsTracedStep => IsTracedCall && OperationName is null;

        /// <summary>A model call: the operations the GenAI conventions define for inference.</summary>
        public bool IsModelCall => IsModelOperation(OperationName);

        private static bool IsModelOperation(string? operation) => operation is "chat" or "text_completion" or "generate_content";

        private static long? AsLong(object? value) => value switch
        {
            long l => l,
            int i => i,
            short s => s,
            double d => (long)d,
            string s when long.TryParse(s, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
    }
}
