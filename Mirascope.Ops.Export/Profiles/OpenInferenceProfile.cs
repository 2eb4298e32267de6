using System.Diagnostics;
using System.IO;
using System.Text;
using System.Text.Json;

namespace Mirascope.Ops.Profiles
{
    /// <summary>
    /// The keys Phoenix and Arize read (OpenInference's conventions; docs/llm.md, "OpenInference", cites the commit),
    /// added to a finished span. Without a span kind, OpenInference's GenAI converter would type every
    /// <c>[Trace]</c> step an LLM call with no input or output.
    /// </summary>
    internal static class OpenInferenceProfile
    {
        public static void OnEnd(Activity activity, in SpanFacts facts)
        {
            if (facts.IsTracedCall)
            {
                if (facts.IsTracedStep)
                {
                    activity.SetTag(ProfileKeys.OpenInferenceSpanKind, "CHAIN");
                }

                if (facts.ArgValues is { } input)
                {
                    activity.SetTag(ProfileKeys.InputValue, input);
                    activity.SetTag(ProfileKeys.InputMimeType, ProfileKeys.Json);
                }

                if (RecordedValueText.Text(facts.Output) is { } output)
                {
                    activity.SetTag(ProfileKeys.OutputValue, output);
                    activity.SetTag(ProfileKeys.OutputMimeType, RecordedValueText.MimeType(facts.Output));
                }

                if (facts.Tags is { Length: > 0 } tags)
                {
                    activity.SetTag(ProfileKeys.TagTags, tags);
                }

                if (facts.Metadata is { } metadata)
                {
                    activity.SetTag(ProfileKeys.Metadata, metadata);
                }

                if (facts.IsTracedStep)
                {
                    return;
                }
            }

            if (facts.IsModelCall)
            {
                ModelCall(activity, facts);
                return;
            }

            if (facts.OperationName == "execute_tool")
            {
                activity.SetTag(ProfileKeys.OpenInferenceSpanKind, "TOOL");
                if (facts.ToolName is { } name)
                {
                    activity.SetTag(ProfileKeys.ToolName, name);
                }

                if (facts.ToolArguments is { } arguments)
                {
                    activity.SetTag(ProfileKeys.InputValue, arguments);
                    activity.SetTag(ProfileKeys.InputMimeType, RecordedValueText.MimeType(arguments));
                }

                if (facts.ToolResult is { } result)
                {
                    activity.SetTag(ProfileKeys.OutputValue, result);
                    activity.SetTag(ProfileKeys.OutputMimeType, RecordedValueText.MimeType(result));
                }

                return;
            }

            if (facts.OperationName is "invoke_agent" or "create_agent")
            {
                activity.SetTag(ProfileKeys.OpenInferenceSpanKind, "AGENT");
            }
        }

        private static void ModelCall(Activity activity, in SpanFacts facts)
        {
            activity.SetTag(ProfileKeys.OpenInferenceSpanKind, "LLM");
            if (facts.InputMessages is { } input)
            {
                activity.SetTag(ProfileKeys.InputValue, input);
                activity.SetTag(ProfileKeys.InputMimeType, ProfileKeys.Json);
            }

            if (facts.OutputMessages is { } output)
            {
                activity.SetTag(ProfileKeys.OutputValue, output);
                activity.SetTag(ProfileKeys.OutputMimeType, ProfileKeys.Json);
            }

            if ((facts.ResponseModel ?? facts.RequestModel) is { } model)
            {
                activity.SetTag(ProfileKeys.LlmModelName, model);
            }

            if (facts.ProviderName is { } provider)
            {
                activity.SetTag(ProfileKeys.LlmProvider, provider);
            }

            if (!facts.InsideModelCall)
            {
                // A second layer's span (inside another model call) is the same call: Phoenix sums llm.token_count.*
                // over a trace's spans, so only the outer one carries them.
                SetIfPresent(activity, ProfileKeys.LlmTokenCountPrompt, facts.InputTokens);
                SetIfPresent(activity, ProfileKeys.LlmTokenCountCompletion, facts.OutputTokens);
                if (facts.InputTokens is { } prompt && facts.OutputTokens is { } completion)
                {
                    activity.SetTag(ProfileKeys.LlmTokenCountTotal, prompt + completion);
                }

                SetIfPresent(activity, ProfileKeys.LlmTokenCountCacheRead, facts.CacheReadTokens);
                SetIfPresent(activity, ProfileKeys.LlmTokenCountCacheWrite, facts.CacheWriteTokens);
                SetIfPresent(activity, ProfileKeys.LlmTokenCountReasoning, facts.ReasoningTokens);
            }
            if (facts.PromptVersion is { } version)
            {
                activity.SetTag(ProfileKeys.LlmPromptTemplateVersion, version);
            }

            if (facts.PromptVariables is { Count: > 0 } variables)
            {
                activity.SetTag(ProfileKeys.LlmPromptTemplateVariables, VariablesJson(variables));
            }
        }

        private static string VariablesJson(System.Collections.Generic.List<System.Collections.Generic.KeyValuePair<string, string>> variables)
        {
            using var stream = new MemoryStream();
            using (var json = new Utf8JsonWriter(stream))
            {
                json.WriteStartObject();
                foreach (var variable in variables)
                {
                    json.WriteString(variable.Key, variable.Value);
                }

                json.WriteEndObject();
            }

            return Encoding.UTF8.GetString(stream.ToArray());
        }

        private static void SetIfPresent(Activity activity, string key, long? value)
        {
            if (value is { } number)
            {
                activity.SetTag(key, number);
            }
        }
    }
}
