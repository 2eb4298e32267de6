using System;
using Mirascope.Ops.Viewer.Ingest;
using Mirascope.Ops.Viewer.Storage;
using System.Collections.Generic;
using System.Text.Json;
using System.Data.Common;

// main 22c082a's ingest code, copied verbatim but for the namespace: the benchmark's baseline (IngestDecodeBenchmarks).
namespace Mirascope.Ops.ViewerLoad.IngestBenchmark.MainBaseline
{
    /// <summary>
    /// What the lists, filters and figures use, read once from a span's attributes and events when it is stored, so no
    /// query has to parse attribute JSON again.
    /// </summary>
    internal readonly struct SpanFacts
    {
        public const string SessionIdKey = "mirascope.ops.session.id";
        public const string TagsKey = "mirascope.trace.tags";
        public const string InputTokensKey = "gen_ai.usage.input_tokens";
        public const string OutputTokensKey = "gen_ai.usage.output_tokens";
        public const string CacheReadTokensKey = "gen_ai.usage.cache_read.input_tokens";
        /// <summary>The current conventions' name of the tokens written to the provider's cache.</summary>
        public const string CacheWriteTokensKey = "gen_ai.usage.cache_write.input_tokens";

        /// <summary>The same count under its GenAI v1.41 name, read when <see cref="CacheWriteTokensKey"/> is absent.</summary>
        public const string CacheCreationTokensKey = "gen_ai.usage.cache_creation.input_tokens";

        /// <summary>The provider's id of the response: two spans with usage and the same id are one call (<see cref="RepeatedCalls"/>).</summary>
        public const string ResponseIdKey = "gen_ai.response.id";

        /// <summary>What a GenAI span does: an agent's run (<c>invoke_agent</c>) sums its model calls (<see cref="UsageSource.AgentTotal"/>).</summary>
        public const string OperationNameKey = "gen_ai.operation.name";
        public const string MirascopeUsageKey = "mirascope.response.usage";
        public const string VersionHashKey = "mirascope.version.hash";
        public const string VersionNameKey = "mirascope.version.name";

        /// <summary>The usage JSON of <c>mirascope.response.usage</c> is parsed only up to this size; real ones are ~150 characters.</summary>
        private const int MaxUsageJson = 4096;

        public string? SessionId { get; init; }

        /// <summary>A JSON array of the span's tags, or null when it has none.</summary>
        public string? TagsJson { get; init; }

        /// <summary>Where the token counts come from (see <see cref="UsageSource"/>).</summary>
        public UsageSource UsageSource { get; init; }

        public long? InputTokens { get; init; }

        public long? OutputTokens { get; init; }

        public long? CacheReadTokens { get; init; }

        public long? CacheWriteTokens { get; init; }

        /// <summary><c>gen_ai.response.id</c> of a span with <c>gen_ai.usage.*</c> (null otherwise).</summary>
        public string? ResponseId { get; init; }

        /// <summary><c>mirascope.response.provider_id</c>, else <c>gen_ai.provider.name</c>, else the older <c>gen_ai.system</c>.</summary>
        public string? Provider { get; init; }

        /// <summary>The model as priced: <c>mirascope.response.model_id</c>, else <c>gen_ai.response.model</c>, else <c>gen_ai.request.model</c>.</summary>
        public string? Model { get; init; }

        /// <summary><c>mirascope.version.hash</c>: links the span to the function registered with that hash.</summary>
        public string? VersionHash { get; init; }

        public string? VersionName { get; init; }

        /// <summary>
        /// Status error, an <c>error.type</c> attribute or an <c>exception</c> event: the Mirascope SDKs mark failures with
        /// the latter two, and OpenTelemetry instrumentations differ in which of the three they set.
        /// </summary>
        public bool IsError { get; init; }

        /// <summary>
        /// The parameters of the span columns these facts fill (usage, model, version, error, response id), named alike in the
        /// insert of new spans and in the schema migration's backfill of old ones, which both <see cref="Bind"/> them.
        /// </summary>
        public static readonly string[] ColumnParameters =
        {
            "@usageSource", "@input", "@output", "@cacheRead", "@cacheWrite", "@provider", "@model", "@versionHash", "@versionName", "@isError", "@responseId",
        };

        /// <summary>Sets <see cref="ColumnParameters"/> (a missing value is NULL).</summary>
        public void Bind(IReadOnlyDictionary<string, DbParameter> parameters)
        {
            parameters["@usageSource"].Value = (int)UsageSource;
            parameters["@input"].Value = (object?)InputTokens ?? DBNull.Value;
            parameters["@output"].Value = (object?)OutputTokens ?? DBNull.Value;
            parameters["@cacheRead"].Value = (object?)CacheReadTokens ?? DBNull.Value;
            parameters["@cacheWrite"].Value = (object?)CacheWriteTokens ?? DBNull.Value;
            parameters["@provider"].Value = (object?)Provider ?? DBNull.Value;
            parameters["@model"].Value = (object?)Model ?? DBNull.Value;
            parameters["@versionHash"].Value = (object?)VersionHash ?? DBNull.Value;
            parameters["@versionName"].Value = (object?)VersionName ?? DBNull.Value;
            parameters["@isError"].Value = IsError ? 1 : 0;
            parameters["@responseId"].Value = (object?)ResponseId ?? DBNull.Value;
        }

        public static SpanFacts Read(string attributesJson, string eventsJson = "[]", int statusCode = 0)
        {
            using var document = JsonDocument.Parse(attributesJson);
            var root = document.RootElement;
            var session = Text(root, SessionIdKey);

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

            // gen_ai.usage.* marks a model call; mirascope.response.usage alone is a traced method that returned a response
            // (its model call, when traced too, has its own span: counting both would count every token twice).
            var source = UsageSource.None;
            long? input = Tokens(root, InputTokensKey), output = Tokens(root, OutputTokensKey);
            long? cacheRead = Tokens(root, CacheReadTokensKey), cacheWrite = Tokens(root, CacheWriteTokensKey) ?? Tokens(root, CacheCreationTokensKey);
            if (input is not null || output is not null)
            {
                source = Text(root, OperationNameKey) is "invoke_agent" or "invoke_workflow" ? UsageSource.AgentTotal : UsageSource.GenAi;
            }

            if (root.TryGetProperty(MirascopeUsageKey, out var usageElement))
            {
                var usage = usageElement.ValueKind == JsonValueKind.String && usageElement.GetString()!.Length <= MaxUsageJson
                    ? TryParseObject(usageElement.GetString()!)
                    : usageElement.ValueKind == JsonValueKind.Object ? usageElement.Clone() : (JsonElement?)null;
                if (usage is { } u)
                {
                    if (source == UsageSource.None)
                    {
                        input = Tokens(u, "input_tokens");
                        output = Tokens(u, "output_tokens");
                        source = input is not null || output is not null ? UsageSource.MirascopeResponse : UsageSource.None;
                    }

                    cacheRead ??= Tokens(u, "cache_read_tokens");
                    cacheWrite ??= Tokens(u, "cache_write_tokens");
                }
            }

            return new SpanFacts
            {
                SessionId = string.IsNullOrEmpty(session) ? null : session,
                TagsJson = tags,
                UsageSource = source,
                InputTokens = input,
                OutputTokens = output,
                CacheReadTokens = source == UsageSource.None ? null : cacheRead,
                CacheWriteTokens = source == UsageSource.None ? null : cacheWrite,
                ResponseId = source == UsageSource.GenAi ? Text(root, ResponseIdKey) : null,
                Provider = Text(root, "mirascope.response.provider_id") ?? Text(root, "gen_ai.provider.name") ?? Text(root, "gen_ai.system"),
                Model = Text(root, "mirascope.response.model_id") ?? Text(root, "gen_ai.response.model") ?? Text(root, "gen_ai.request.model"),
                VersionHash = Text(root, VersionHashKey),
                VersionName = Text(root, VersionNameKey),
                IsError = statusCode == 2 || Text(root, "error.type") is not null || HasExceptionEvent(eventsJson),
            };
        }

        private static string? Text(JsonElement root, string key) =>
            root.TryGetProperty(key, out var element) && element.ValueKind == JsonValueKind.String && element.GetString()!.Length > 0 ? element.GetString() : null;

        // intValue is stored as a number, but a sender may have sent the count as a string (the Cloud kept ints as strings).
        private static long? Tokens(JsonElement root, string key)
        {
            if (!root.TryGetProperty(key, out var element))
            {
                return null;
            }

            if (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var value) && value >= 0)
            {
                return value;
            }

            return element.ValueKind == JsonValueKind.String && long.TryParse(element.GetString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : null;
        }

        private static JsonElement? TryParseObject(string text)
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }

        private static bool HasExceptionEvent(string eventsJson)
        {
            if (!eventsJson.Contains("\"exception\"", StringComparison.Ordinal))
            {
                return false;
            }

            using var document = JsonDocument.Parse(eventsJson);
            foreach (var item in document.RootElement.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String && name.GetString() == "exception")
                {
                    return true;
                }
            }

            return false;
        }
    }
}
