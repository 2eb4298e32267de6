using System.Text.Json;
using Mirascope.Ops.Viewer.Ingest;
using Mirascope.Ops.Viewer.Storage;

namespace Mirascope.Ops.Viewer.Api
{
    /// <summary>
    /// The body of <c>POST /api/v2/functions</c>, the Cloud's <c>CreateFunction</c>: <c>code, hash, signature, signatureHash,
    /// name, language</c> (strings, required), <c>description</c> (string or null), <c>tags</c> (strings or null),
    /// <c>metadata</c> ({string: string} or null), <c>dependencies</c> ({package: {version, extras: strings or null}} or null).
    /// </summary>
    internal static class CreateFunctionRequest
    {
        public const int MaxNameLength = 1000;
        public const int MaxHashLength = 200;
        public const int MaxTags = 100;
        public const int MaxTagLength = 100;

        /// <exception cref="BadParameterException">A field is missing or wrong; the message names it.</exception>
        public static FunctionDraft Read(JsonElement body)
        {
            var tags = JsonBodyFields.OptionalStringArray(body, "tags", MaxTags, MaxTagLength);
            return new FunctionDraft(
                Code: JsonBodyFields.RequiredString(body, "code", allowEmpty: true),
                Hash: JsonBodyFields.RequiredString(body, "hash", maxLength: MaxHashLength),
                Signature: JsonBodyFields.RequiredString(body, "signature", allowEmpty: true),
                SignatureHash: JsonBodyFields.RequiredString(body, "signatureHash", maxLength: MaxHashLength),
                Name: JsonBodyFields.RequiredString(body, "name", maxLength: MaxNameLength),
                Language: JsonBodyFields.RequiredString(body, "language", maxLength: 100),
                Description: JsonBodyFields.OptionalString(body, "description"),
                TagsJson: tags is null ? null : JsonSerializer.Serialize(tags),
                MetadataJson: JsonBodyFields.OptionalStringMap(body, "metadata"),
                DependenciesJson: JsonBodyFields.OptionalObject(body, "dependencies", WriteDependency));
        }

        /// <summary>One package: <c>{"version": "1.2.3", "extras": ["x"] | null}</c>.</summary>
        private static void WriteDependency(Utf8JsonWriter json, string package, JsonElement value, string path)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                throw new BadParameterException(path, $"must be an object {{\"version\": …, \"extras\": …}}, got {JsonBodyFields.Kind(value)}");
            }

            var version = JsonBodyFields.Within(path, () => JsonBodyFields.OptionalString(value, "version", nullable: false)
                ?? throw new BadParameterException("version", "is required (a string)"));
            var extras = JsonBodyFields.Within(path, () => JsonBodyFields.OptionalStringArray(value, "extras", 100, 200));
            json.WriteStartObject(package);
            json.WriteString("version", version);
            json.WritePropertyName("extras");
            if (extras is null)
            {
                json.WriteNullValue();
            }
            else
            {
                json.WriteStartArray();
                foreach (var extra in extras)
                {
                    json.WriteStringValue(extra);
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }
    }
}
