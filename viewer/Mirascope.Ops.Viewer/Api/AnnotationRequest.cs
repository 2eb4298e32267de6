using System.Text.Json;
using Mirascope.Ops.Viewer.Ingest;
using Mirascope.Ops.Viewer.Storage;

namespace Mirascope.Ops.Viewer.Api
{
    /// <summary>
    /// The bodies of <c>POST</c> and <c>PUT /api/v2/annotations</c>: <c>otelSpanId</c> and <c>otelTraceId</c> (create only),
    /// <c>label</c> (<c>pass</c>, <c>fail</c> or null), <c>reasoning</c> (string or null), <c>metadata</c> (object or null),
    /// <c>tags</c> (strings of 1 to 100 characters, or null).
    /// </summary>
    internal static class AnnotationRequest
    {
        public const int MaxReasoningLength = 100_000;
        public const int MaxTags = 100;

        public static (string TraceId, string SpanId) Ids(JsonElement body)
        {
            var trace = HexId.Normalize(JsonBodyFields.RequiredString(body, "otelTraceId"), HexId.TraceIdLength, out var traceProblem)
                ?? throw new BadParameterException("otelTraceId", traceProblem!);
            var span = HexId.Normalize(JsonBodyFields.RequiredString(body, "otelSpanId"), HexId.SpanIdLength, out var spanProblem)
                ?? throw new BadParameterException("otelSpanId", spanProblem!);
            return (trace, span);
        }

        /// <exception cref="BadParameterException">A field is wrong; the message names it.</exception>
        public static AnnotationChange Fields(JsonElement body)
        {
            var label = JsonBodyFields.OptionalString(body, "label");
            if (label is not null and not ("pass" or "fail"))
            {
                throw new BadParameterException("label", $"must be \"pass\", \"fail\" or null, got {HexId.Quote(label)}");
            }

            var tags = JsonBodyFields.OptionalStringArray(body, "tags", MaxTags, 100);
            if (tags is not null)
            {
                for (var i = 0; i < tags.Count; i++)
                {
                    if (tags[i].Length == 0)
                    {
                        throw new BadParameterException($"tags[{i}]", "must be 1 to 100 characters long, got an empty string");
                    }
                }
            }

            return new AnnotationChange
            {
                HasLabel = JsonBodyFields.Has(body, "label"),
                Label = label,
                HasReasoning = JsonBodyFields.Has(body, "reasoning"),
                Reasoning = JsonBodyFields.OptionalString(body, "reasoning", MaxReasoningLength),
                HasMetadata = JsonBodyFields.Has(body, "metadata"),
                MetadataJson = JsonBodyFields.OptionalAnyObject(body, "metadata"),
                HasTags = JsonBodyFields.Has(body, "tags"),
                TagsJson = tags is null ? null : JsonText.Build(json =>
                {
                    json.WriteStartArray();
                    foreach (var tag in tags)
                    {
                        json.WriteStringValue(tag);
                    }

                    json.WriteEndArray();
                }),
            };
        }
    }
}
