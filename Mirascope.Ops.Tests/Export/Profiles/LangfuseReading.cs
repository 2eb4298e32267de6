using System;
using System.Collections.Generic;
using System.Linq;

namespace Mirascope.Ops.Tests.Export.Profiles
{
    /// <summary>
    /// What Langfuse's OTel ingestion makes of a span's attributes, in the order docs/llm.md ("Langfuse") read in its
    /// source: the observation type (<c>ObservationTypeMapperRegistry</c>) and the one source input and output come
    /// from (<c>extractInputAndOutput</c>), limited to the keys our spans and the .NET LLM libraries' can carry.
    /// </summary>
    internal static class LangfuseReading
    {
        public static string Type(IReadOnlyDictionary<string, object?> attributes)
        {
            if (attributes.TryGetValue("langfuse.observation.type", out var explicitType) && explicitType is string type)
            {
                return type;
            }

            // openinference.span.kind outranks gen_ai.operation.name.
            if (attributes.TryGetValue("openinference.span.kind", out var kind) && kind is string openInference)
            {
                return openInference switch
                {
                    "LLM" => "generation",
                    "CHAIN" => "chain",
                    "TOOL" => "tool",
                    "AGENT" => "agent",
                    "RETRIEVER" => "retriever",
                    "EMBEDDING" => "embedding",
                    "GUARDRAIL" => "guardrail",
                    "EVALUATOR" => "evaluator",
                    _ => "span",
                };
            }

            switch (attributes.TryGetValue("gen_ai.operation.name", out var operation) ? operation as string : null)
            {
                case "chat":
                case "text_completion":
                case "generate_content":
                    return "generation";
                case "embeddings":
                    return "embedding";
                case "invoke_agent":
                case "create_agent":
                    return "agent";
                case "execute_tool":
                    return "tool";
            }

            if (attributes.ContainsKey("gen_ai.tool.name") || attributes.ContainsKey("gen_ai.tool.call.id"))
            {
                return "tool";
            }

            return new[] { "langfuse.observation.model.name", "gen_ai.request.model", "gen_ai.response.model", "llm.model_name", "model" }.Any(attributes.ContainsKey)
                ? "generation"
                : "span";
        }

        /// <summary>The source Langfuse takes both input and output from: the first that has either.</summary>
        public static (string Source, object? Input, object? Output) InputAndOutput(IReadOnlyDictionary<string, object?> attributes)
        {
            object? Get(string key) => attributes.TryGetValue(key, out var value) ? value : null;

            foreach (var (source, input, output) in new[]
            {
                ("langfuse.observation", "langfuse.observation.input", "langfuse.observation.output"),
                ("openinference", "input.value", "output.value"),
            })
            {
                if (Get(input) is not null || Get(output) is not null)
                {
                    return (source, Get(input), Get(output));
                }
            }

            var flattened = attributes.Keys.Where(k => k.StartsWith("gen_ai.prompt", StringComparison.Ordinal) || k.StartsWith("gen_ai.completion", StringComparison.Ordinal)).ToList();
            if (flattened.Count > 0)
            {
                return ("gen_ai.prompt*", string.Join(",", flattened.Where(k => k.StartsWith("gen_ai.prompt", StringComparison.Ordinal))), null);
            }

            if (Get("gen_ai.input.messages") is not null || Get("gen_ai.output.messages") is not null)
            {
                return ("gen_ai messages", Get("gen_ai.input.messages"), Get("gen_ai.output.messages"));
            }

            return Get("gen_ai.tool.call.arguments") is not null || Get("gen_ai.tool.call.result") is not null
                ? ("gen_ai.tool.call", Get("gen_ai.tool.call.arguments"), Get("gen_ai.tool.call.result"))
                : ("none", null, null);
        }
    }
}
