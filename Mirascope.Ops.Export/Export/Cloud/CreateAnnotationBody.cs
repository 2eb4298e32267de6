using System.IO;
using System.Text.Json;
using Mirascope.Ops.Annotations;

namespace Mirascope.Ops.Export.Cloud
{
    /// <summary>The JSON of Mirascope Cloud's <c>POST /annotations</c>: otelSpanId, otelTraceId, label (<c>"pass"</c>/<c>"fail"</c>), reasoning, metadata, tags; absent values as null.</summary>
    internal static class CreateAnnotationBody
    {
        public static byte[] Write(Annotation annotation)
        {
            using var stream = new MemoryStream();
            using (var json = new Utf8JsonWriter(stream))
            {
                json.WriteStartObject();
                json.WriteString("otelSpanId", annotation.SpanId);
                json.WriteString("otelTraceId", annotation.TraceId);
                if (annotation.Label is { } label) json.WriteString("label", label == AnnotationLabel.Pass ? "pass" : "fail");
                else json.WriteNull("label");

                if (annotation.Reasoning is null) json.WriteNull("reasoning");
                else json.WriteString("reasoning", annotation.Reasoning);

                if (annotation.Metadata is null)
                {
                    json.WriteNull("metadata");
                }
                else
                {
                    json.WriteStartObject("metadata");
                    foreach (var entry in annotation.Metadata) json.WriteString(entry.Key, entry.Value);
                    json.WriteEndObject();
                }

                if (annotation.Tags is null)
                {
                    json.WriteNull("tags");
                }
                else
                {
                    json.WriteStartArray("tags");
                    foreach (var tag in annotation.Tags) json.WriteStringValue(tag);
                    json.WriteEndArray();
                }

                json.WriteEndObject();
            }

            return stream.ToArray();
        }
    }
}
