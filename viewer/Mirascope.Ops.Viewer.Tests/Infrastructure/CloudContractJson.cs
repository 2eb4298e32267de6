using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace Mirascope.Ops.Viewer.Tests.Infrastructure
{
    /// <summary>
    /// Writes spans as the Mirascope Cloud exporter sends them (docs/configuration.md of the export branch, "Mirascope
    /// Cloud ingest contract"): OTLP/JSON camelCase, lowercase hex ids, parentSpanId left out for a root, kind as the OTLP
    /// number (ActivityKind + 1), times and intValue as decimal strings, status {code, message}, events always present,
    /// one resource, one scopeSpans per instrumentation scope.
    /// </summary>
    internal static class CloudContractJson
    {
        public static readonly KeyValuePair<string, object?>[] Resource =
        {
            new("service.name", "books"),
            new("telemetry.sdk.name", "opentelemetry"),
            new("telemetry.sdk.language", "dotnet"),
            new("telemetry.sdk.version", "1.20.1"),
            new("mirascope.ops.version", "0.1.0"),
        };

        public static byte[] Build(IEnumerable<Activity> spans)
        {
            using var stream = new MemoryStream();
            using (var json = new Utf8JsonWriter(stream))
            {
                json.WriteStartObject();
                json.WriteStartArray("resourceSpans");
                json.WriteStartObject();
                json.WriteStartObject("resource");
                WriteAttributes(json, "attributes", Resource);
                json.WriteEndObject();
                json.WriteStartArray("scopeSpans");
                foreach (var scope in spans.GroupBy(s => (s.Source.Name, s.Source.Version)))
                {
                    json.WriteStartObject();
                    json.WriteStartObject("scope");
                    json.WriteString("name", scope.Key.Name);
                    if (!string.IsNullOrEmpty(scope.Key.Version))
                    {
                        json.WriteString("version", scope.Key.Version);
                    }

                    json.WriteEndObject();
                    json.WriteStartArray("spans");
                    foreach (var span in scope)
                    {
                        WriteSpan(json, span);
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteEndObject();
            }

            return stream.ToArray();
        }

        public static string Nanoseconds(DateTime utc) => ((utc - DateTime.UnixEpoch).Ticks * 100).ToString(CultureInfo.InvariantCulture);

        private static void WriteSpan(Utf8JsonWriter json, Activity span)
        {
            json.WriteStartObject();
            json.WriteString("traceId", span.TraceId.ToHexString());
            json.WriteString("spanId", span.SpanId.ToHexString());
            if (span.ParentSpanId != default)
            {
                json.WriteString("parentSpanId", span.ParentSpanId.ToHexString());
            }

            json.WriteString("name", span.DisplayName);
            json.WriteNumber("kind", (int)span.Kind + 1);
            json.WriteString("startTimeUnixNano", Nanoseconds(span.StartTimeUtc));
            json.WriteString("endTimeUnixNano", Nanoseconds(span.StartTimeUtc + span.Duration));
            WriteAttributes(json, "attributes", span.TagObjects);
            json.WriteStartArray("events");
            foreach (var spanEvent in span.Events)
            {
                json.WriteStartObject();
                json.WriteString("name", spanEvent.Name);
                json.WriteString("timeUnixNano", Nanoseconds(spanEvent.Timestamp.UtcDateTime));
                WriteAttributes(json, "attributes", spanEvent.Tags);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("status");
            json.WriteNumber("code", (int)span.Status);
            if (!string.IsNullOrEmpty(span.StatusDescription))
            {
                json.WriteString("message", span.StatusDescription);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        private static void WriteAttributes(Utf8JsonWriter json, string name, IEnumerable<KeyValuePair<string, object?>> attributes)
        {
            json.WriteStartArray(name);
            foreach (var (key, value) in attributes)
            {
                if (value is null)
                {
                    continue;
                }

                json.WriteStartObject();
                json.WriteString("key", key);
                json.WritePropertyName("value");
                WriteValue(json, value);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        private static void WriteValue(Utf8JsonWriter json, object value)
        {
            json.WriteStartObject();
            switch (value)
            {
                case string text:
                    json.WriteString("stringValue", text);
                    break;
                case bool flag:
                    json.WriteBoolean("boolValue", flag);
                    break;
                case int or long or short or byte or uint or ushort or sbyte:
                    json.WriteString("intValue", Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
                    break;
                case double or float or decimal:
                    json.WriteNumber("doubleValue", Convert.ToDouble(value, CultureInfo.InvariantCulture));
                    break;
                case IEnumerable items and not IDictionary:
                    json.WriteStartObject("arrayValue");
                    json.WriteStartArray("values");
                    foreach (var item in items)
                    {
                        WriteValue(json, item!);
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                    break;
                default:
                    json.WriteString("stringValue", Convert.ToString(value, CultureInfo.InvariantCulture));
                    break;
            }

            json.WriteEndObject();
        }
    }
}
