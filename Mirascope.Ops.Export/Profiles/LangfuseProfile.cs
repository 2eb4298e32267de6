using System.Diagnostics;

namespace Mirascope.Ops.Profiles
{
    /// <summary>
    /// The keys Langfuse's OTel ingestion reads (docs/llm.md, "Langfuse", cites the commit), added to a finished span.
    /// Input and output are always set under <c>langfuse.observation.*</c> when there is any: Langfuse takes both from
    /// the first source present, and any key starting <c>gen_ai.prompt</c> would otherwise become the input.
    /// </summary>
    internal static class LangfuseProfile
    {
        public static void OnEnd(Activity activity, in SpanFacts facts)
        {
            if (facts.IsTracedCall)
            {
                if (facts.IsTracedStep)
                {
                    activity.SetTag(ProfileKeys.LangfuseObservationType, "span");
                }

                SetIfPresent(activity, ProfileKeys.LangfuseObservationInput, facts.ArgValues);
                SetIfPresent(activity, ProfileKeys.LangfuseObservationOutput, RecordedValueText.Text(facts.Output));
                if (facts.Tags is { Length: > 0 } tags)
                {
                    // Never an empty array: OTLP drops an empty repeated field and Langfuse reads what is left as one junk tag.
                    activity.SetTag(ProfileKeys.LangfuseTraceTags, tags);
                }

                if (facts.Metadata is { } metadata)
                {
                    foreach (var pair in TraceMetadata.Pairs(metadata))
                    {
                        activity.SetTag(ProfileKeys.LangfuseObservationMetadataPrefix + pair.Key, pair.Value);
                    }
                }

                return;
            }

            if (facts.IsModelCall)
            {
                // Langfuse types it a generation from gen_ai.operation.name itself; the messages are its input and output.
                SetIfPresent(activity, ProfileKeys.LangfuseObservationInput, WithSystemInstructions(facts.InputMessages, facts.SystemInstructions));
                SetIfPresent(activity, ProfileKeys.LangfuseObservationOutput, facts.OutputMessages);
                if (facts.InsideModelCall)
                {
                    // The same call as the model call around it: Langfuse would sum both spans' gen_ai.usage.*. Its
                    // own usage key comes first and an empty object counts nothing (extractUsageDetails).
                    activity.SetTag(ProfileKeys.LangfuseUsageDetails, "{}");
                }
                if (facts.PromptName is not null && facts.PromptVersion is not null)
                {
                    // Metadata, not langfuse.observation.prompt.*: Langfuse drops a generation whose prompt version is
                    // not an integer, and ours is a code hash.
                    activity.SetTag(ProfileKeys.LangfusePromptName, facts.PromptName);
                    activity.SetTag(ProfileKeys.LangfusePromptVersion, facts.PromptVersion);
                }
            }
        }

        /// <summary>
        /// The input messages with the system instructions first, as one message of role <c>system</c>: what Langfuse
        /// shows when it reads the GenAI messages itself, which it no longer does once the input is set explicitly.
        /// </summary>
        private static string? WithSystemInstructions(string? messages, string? system)
        {
            if (messages is null || system is null)
            {
                return messages;
            }

            var trimmed = messages.TrimStart();
            if (!trimmed.StartsWith("[", System.StringComparison.Ordinal))
            {
                return messages;
            }

            var rest = trimmed.Substring(1).TrimStart();
            var separator = rest.StartsWith("]", System.StringComparison.Ordinal) ? "" : ",";
            return "[{\"role\":\"system\",\"parts\":" + system + "}" + separator + rest;
        }

        private static void SetIfPresent(Activity activity, string key, string? value)
        {
            if (value is not null)
            {
                activity.SetTag(key, value);
            }
        }
    }
}
