using System.Text.Json;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>An annotation of one span, as the Cloud's <c>annotations</c> table held it (one per span).</summary>
    internal sealed class AnnotationRecord
    {
        public required string Id { get; init; }

        public required string SpanId { get; init; }

        public required string TraceId { get; init; }

        /// <summary><c>pass</c>, <c>fail</c> or null.</summary>
        public string? Label { get; init; }

        public string? Reasoning { get; init; }

        /// <summary>A JSON object, or null.</summary>
        public string? MetadataJson { get; init; }

        /// <summary>A JSON array of strings (<c>[]</c> when none).</summary>
        public required string TagsJson { get; init; }

        public long CreatedMs { get; init; }

        public long UpdatedMs { get; init; }

        /// <summary>The Cloud's <c>Annotation</c> response (<c>createdBy</c> is null: the viewer has no users).</summary>
        public void Write(Utf8JsonWriter json)
        {
            json.WriteStartObject();
            json.WriteString("id", Id);
            json.WriteString("spanId", SpanId);
            json.WriteString("traceId", TraceId);
            json.WriteString("otelSpanId", SpanId);
            json.WriteString("otelTraceId", TraceId);
            Text(json, "label", Label);
            Text(json, "reasoning", Reasoning);
            json.WritePropertyName("metadata");
            if (MetadataJson is null)
            {
                json.WriteNullValue();
            }
            else
            {
                json.WriteRawValue(MetadataJson);
            }

            json.WritePropertyName("tags");
            json.WriteRawValue(TagsJson);
            json.WriteString("environmentId", FunctionRecord.LocalEnvironmentId);
            json.WriteString("projectId", FunctionRecord.LocalProjectId);
            json.WriteString("organizationId", FunctionRecord.LocalOrganizationId);
            json.WriteNull("createdBy");
            json.WriteString("createdAt", FunctionRecord.Iso(CreatedMs));
            json.WriteString("updatedAt", FunctionRecord.Iso(UpdatedMs));
            json.WriteEndObject();
        }

        private static void Text(Utf8JsonWriter json, string name, string? value)
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
    }
}
