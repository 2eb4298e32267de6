using System.Collections.Generic;
using System.Text.Json;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>What the trace list shows and filters on, read from one span's attributes.</summary>
    internal readonly struct SpanFacts
    {
        public const string SessionIdKey = "mirascope.ops.session.id";
        public const string TagsKey = "mirascope.trace.tags";
        public const string InputTokensKey = "gen_ai.usage.input_tokens";
        public const string OutputTokensKey = "gen_ai.usage.output_tokens";

        private SpanFacts(string? sessionId, string? tagsJson, long? inputTokens, long? outputTokens)
        {
            SessionId = sessionId;
            TagsJson = tagsJson;
            InputTokens = inputTokens;
            OutputTokens = outputTokens;
        }

        public string? SessionId { get; }

        /// <summary>A JSON array of the span's tags, or null when it has none.</summary>
        public string? TagsJson { get; }

        // Only the gen_ai spans count tokens: a traced method around a model call also records
        // mirascope.response.usage, and counting both would count every token twice.
        public long? InputTokens { get; }

        public long? OutputTokens { get; }

        public static SpanFacts Read(string attributesJson)
        {
            using var document = JsonDocument.Parse(attributesJson);
            var root = document.RootElement;
            string? session = null;
            if (root.TryGetProperty(SessionIdKey, out var sessionElement) && sessionElement.ValueKind == JsonValueKind.String)
            {
                session = sessionElement.GetString();
            }

            string? tags = null;
            if (root.TryGetProperty(TagsKey, out var tagsElement))
            {
                var list = new List<string>();
                if (tagsElement.ValueKind == JsonValueKind.Array)
                {
                    foreach (var tag in tagsElement.EnumerateArray())
                    {
                        if (tag.ValueKind == JsonValueKind.String && !string.IsNullOrEmpty(tag.GetString()))
                        {
                            list.Add(tag.GetString()!);
                        }
                    }
                }
                else if (tagsElement.ValueKind == JsonValueKind.String && !string.IsNullOrEmpty(tagsElement.GetString()))
                {
                    list.Add(tagsElement.GetString()!);
                }

                tags = list.Count == 0 ? null : JsonSerializer.Serialize(list);
            }

            return new SpanFacts(string.IsNullOrEmpty(session) ? null : session, tags, Tokens(root, InputTokensKey), Tokens(root, OutputTokensKey));
        }

        private static long? Tokens(JsonElement root, string key) =>
            root.TryGetProperty(key, out var element) && element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var value) ? value : null;
    }
}
