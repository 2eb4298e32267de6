using System.IO;
using System.Text.Json;
using Mirascope.Ops.Weaving;

namespace Mirascope.Ops.Export.Cloud
{
    /// <summary>
    /// The JSON of Mirascope Cloud's <c>CreateFunction</c> (<c>POST /functions</c>) for a <c>[Version]</c> function:
    /// code, hash, signature, signatureHash, name, language <c>"csharp"</c>, then description, tags, metadata and
    /// dependencies (<c>{package: {version, extras: null}}</c>), each null when empty, as Python's client sent them.
    /// </summary>
    internal static class CreateFunctionBody
    {
        public const string Language = "csharp";

        public static byte[] Write(VersionedFunction function)
        {
            using var stream = new MemoryStream();
            using (var json = new Utf8JsonWriter(stream))
            {
                json.WriteStartObject();
                json.WriteString("code", function.Code);
                json.WriteString("hash", function.Hash);
                json.WriteString("signature", function.Signature);
                json.WriteString("signatureHash", function.SignatureHash);
                json.WriteString("name", function.Name);
                json.WriteString("language", Language);
                if (function.Description is null) json.WriteNull("description");
                else json.WriteString("description", function.Description);

                if (function.Tags.Count == 0)
                {
                    json.WriteNull("tags");
                }
                else
                {
                    json.WriteStartArray("tags");
                    foreach (var tag in function.Tags) json.WriteStringValue(tag);
                    json.WriteEndArray();
                }

                if (function.Metadata.Count == 0)
                {
                    json.WriteNull("metadata");
                }
                else
                {
                    json.WriteStartObject("metadata");
                    foreach (var entry in function.Metadata) json.WriteString(entry.Key, entry.Value);
                    json.WriteEndObject();
                }

                if (function.Dependencies.Count == 0)
                {
                    json.WriteNull("dependencies");
                }
                else
                {
                    json.WriteStartObject("dependencies");
                    foreach (var dependency in function.Dependencies)
                    {
                        json.WriteStartObject(dependency.Key);
                        json.WriteString("version", dependency.Value);
                        json.WriteNull("extras");
                        json.WriteEndObject();
                    }

                    json.WriteEndObject();
                }

                json.WriteEndObject();
            }

            return stream.ToArray();
        }
    }
}
