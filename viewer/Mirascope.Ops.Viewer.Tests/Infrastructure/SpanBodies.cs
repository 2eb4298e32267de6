using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace Mirascope.Ops.Viewer.Tests.Infrastructure
{
    /// <summary>One span for <see cref="SpanBodies.Build"/>: ids as hex, string attributes only.</summary>
    internal sealed record TestSpan(string TraceId, string SpanId, string? ParentSpanId, string Name, long StartNs, long EndNs,
        IReadOnlyDictionary<string, string>? Attributes = null);

    /// <summary>Cloud-contract (OTLP/JSON) bodies of hand-made spans, for cases no real app produces on purpose.</summary>
    internal static class SpanBodies
    {
        public static byte[] Build(params TestSpan[] spans)
        {
            using var stream = new MemoryStream();
            using (var json = new Utf8JsonWriter(stream))
            {
                json.WriteStartObject();
                json.WriteStartArray("resourceSpans");
                json.WriteStartObject();
                json.WriteStartArray("scopeSpans");
                json.WriteStartObject();
                json.WriteStartArray("spans");
                foreach (var span in spans)
                {
                    json.WriteStartObject();
                    json.WriteString("traceId", span.TraceId);
                    json.WriteString("spanId", span.SpanId);
                    if (span.ParentSpanId is not null)
                    {
                        json.WriteString("parentSpanId", span.ParentSpanId);
                    }

                    json.WriteString("name", span.Name);
                    json.WriteString("startTimeUnixNano", span.StartNs.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    json.WriteString("endTimeUnixNano", span.EndNs.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    json.WriteStartArray("attributes");
                    foreach (var (key, value) in span.Attributes ?? new Dictionary<string, string>())
                    {
                        json.WriteStartObject();
                        json.WriteString("key", key);
                        json.WriteStartObject("value");
                        json.WriteString("stringValue", value);
                        json.WriteEndObject();
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteEndObject();
            }

            return stream.ToArray();
        }
    }
}
