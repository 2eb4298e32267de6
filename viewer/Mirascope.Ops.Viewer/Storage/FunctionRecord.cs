using System;
using System.Text.Json;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>A registered function version, as the Cloud's <c>functions</c> table held it (JSON columns as JSON text).</summary>
    internal sealed class FunctionRecord
    {
        /// <summary>The one local environment, project and organization every record is in (the Cloud's response has their ids).</summary>
        public const string LocalEnvironmentId = "00000000-0000-4000-8000-000000000001";
        public const string LocalProjectId = "00000000-0000-4000-8000-000000000002";
        public const string LocalOrganizationId = "00000000-0000-4000-8000-000000000003";

        public required string Id { get; init; }

        public required string Hash { get; init; }

        public required string SignatureHash { get; init; }

        public required string Name { get; init; }

        public string? Description { get; init; }

        /// <summary><c>"{major}.{minor}"</c>, assigned by <see cref="FunctionVersionNumber"/>.</summary>
        public required string Version { get; init; }

        public int Major { get; init; }

        public int Minor { get; init; }

        public string? TagsJson { get; init; }

        public string? MetadataJson { get; init; }

        public required string Code { get; init; }

        public required string Signature { get; init; }

        public required string Language { get; init; }

        public string? DependenciesJson { get; init; }

        public long CreatedMs { get; init; }

        public long UpdatedMs { get; init; }

        /// <summary>The Cloud's <c>Function</c> response.</summary>
        public void Write(Utf8JsonWriter json)
        {
            json.WriteStartObject();
            json.WriteString("id", Id);
            json.WriteString("hash", Hash);
            json.WriteString("signatureHash", SignatureHash);
            json.WriteString("name", Name);
            WriteText(json, "description", Description);
            json.WriteString("version", Version);
            WriteRaw(json, "tags", TagsJson);
            WriteRaw(json, "metadata", MetadataJson);
            json.WriteString("code", Code);
            json.WriteString("signature", Signature);
            json.WriteString("language", Language);
            WriteRaw(json, "dependencies", DependenciesJson);
            json.WriteString("environmentId", LocalEnvironmentId);
            json.WriteString("projectId", LocalProjectId);
            json.WriteString("organizationId", LocalOrganizationId);
            json.WriteString("createdAt", Iso(CreatedMs));
            json.WriteString("updatedAt", Iso(UpdatedMs));
            json.WriteEndObject();
        }

        public static string Iso(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

        private static void WriteText(Utf8JsonWriter json, string name, string? value)
        {
            if (value is null)
            {
                json.WriteNull(name);
            }
            else
            {
                json.WriteString(name, value);
            }
        }

        private static void WriteRaw(Utf8JsonWriter json, string name, string? value)
        {
            json.WritePropertyName(name);
            if (value is null)
            {
                json.WriteNullValue();
            }
            else
            {
                json.WriteRawValue(value);
            }
        }
    }
}
