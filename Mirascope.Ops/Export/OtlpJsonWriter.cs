using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text.Json;
using OpenTelemetry.Resources;

namespace Mirascope.Ops.Export
{
    /// <summary>
    /// Writes spans as an OTLP/JSON <c>ExportTraceServiceRequest</c> the way Mirascope Cloud reads it: camelCase
    /// fields, lowercase hex ids, 64-bit integers and nanosecond times as strings, the span kind as the OTLP enum
    /// number, spans grouped by instrumentation scope under one resource.
    /// </summary>
    internal static class OtlpJsonWriter
    {
        private const int MaxNestingDepth = 3;
        private const long UnixEpochTicks = 621355968000000000L;

        public static void Write(Stream destination, IReadOnlyList<Activity> spans, Resource resource)
        {
            using var json = new Utf8JsonWriter(destination, new JsonWriterOptions { SkipValidation = true });
            json.WriteStartObject();
            json.WriteStartArray("resourceSpans");
            json.WriteStartObject();
            json.WritePropertyName("resource");
            json.WriteStartObject();
            WriteAttributes(json, "attributes", resource.Attributes!);
            json.WriteEndObject();
            json.WriteStartArray("scopeSpans");
            foreach (var scope in GroupByScope(spans))
            {
                json.WriteStartObject();
                json.WritePropertyName("scope");
                json.WriteStartObject();
                json.WriteString("name", scope.Key.Name);
                if (!string.IsNullOrEmpty(scope.Key.Version))
                {
                    json.WriteString("version", scope.Key.Version);
                }

                json.WriteEndObject();
                json.WriteStartArray("spans");
                foreach (var span in scope.Value)
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

        /// <summary>Unix time in nanoseconds, as OTLP wants it.</summary>
        public static long UnixNanoseconds(DateTime utc) => (utc.Ticks - UnixEpochTicks) * 100;

        /// <summary>The OTLP <c>SpanKind</c> number: .NET's <see cref="ActivityKind"/> is the same list shifted by one (OTLP 0 is "unspecified").</summary>
        public static int OtlpKind(ActivityKind kind) => (int)kind + 1;

        private static Dictionary<(string Name, string Version), List<Activity>> GroupByScope(IReadOnlyList<Activity> spans)
        {
            var scopes = new Dictionary<(string, string), List<Activity>>();
            for (var i = 0; i < spans.Count; i++)
            {
                var span = spans[i];
                var key = (span.Source.Name, span.Source.Version ?? string.Empty);
                if (!scopes.TryGetValue(key, out var list))
                {
                    scopes[key] = list = new List<Activity>();
                }

                list.Add(span);
            }

            return scopes;
        }

        private static void WriteSpan(Utf8JsonWriter json, Activity span)
        {
            json.WriteStartObject();
            json.WriteString("traceId", span.TraceId.ToHexString());
            json.WriteString("spanId", span.SpanId.ToHexString());
            if (span.ParentSpanId != default)
            {
                json.WriteString("parentSpanId", span.ParentSpanId.ToHexString());
            }

            if (!string.IsNullOrEmpty(span.TraceStateString))
            {
                json.WriteString("traceState", span.TraceStateString);
            }

            json.WriteString("name", span.DisplayName);
            json.WriteNumber("kind", OtlpKind(span.Kind));
            var start = UnixNanoseconds(span.StartTimeUtc);
            json.WriteString("startTimeUnixNano", start.ToString(CultureInfo.InvariantCulture));
            json.WriteString("endTimeUnixNano", (start + span.Duration.Ticks * 100).ToString(CultureInfo.InvariantCulture));
            WriteAttributes(json, "attributes", span.TagObjects);

            json.WriteStartArray("events");
            foreach (var spanEvent in span.Events)
            {
                json.WriteStartObject();
                json.WriteString("name", spanEvent.Name);
                json.WriteString("timeUnixNano", UnixNanoseconds(spanEvent.Timestamp.UtcDateTime).ToString(CultureInfo.InvariantCulture));
                WriteAttributes(json, "attributes", spanEvent.Tags);
                json.WriteEndObject();
            }

            json.WriteEndArray();

            var wroteLinks = false;
            foreach (var link in span.Links)
            {
                if (!wroteLinks)
                {
                    json.WriteStartArray("links");
                    wroteLinks = true;
                }

                json.WriteStartObject();
                json.WriteString("traceId", link.Context.TraceId.ToHexString());
                json.WriteString("spanId", link.Context.SpanId.ToHexString());
                WriteAttributes(json, "attributes", link.Tags ?? (IEnumerable<KeyValuePair<string, object?>>)Array.Empty<KeyValuePair<string, object?>>());
                json.WriteEndObject();
            }

            if (wroteLinks)
            {
                json.WriteEndArray();
            }

            json.WritePropertyName("status");
            json.WriteStartObject();
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
            foreach (var attribute in attributes)
            {
                if (attribute.Value is null || attribute.Key is null)
                {
                    continue;
                }

                json.WriteStartObject();
                json.WriteString("key", attribute.Key);
                json.WritePropertyName("value");
                WriteAnyValue(json, attribute.Value, 0);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        private static void WriteAnyValue(Utf8JsonWriter json, object? value, int depth)
        {
            json.WriteStartObject();
            switch (value)
            {
                case null:
                    break;
                case string text:
                    json.WriteString("stringValue", text);
                    break;
                case bool flag:
                    json.WriteBoolean("boolValue", flag);
                    break;
                case int or long or short or sbyte or byte or ushort or uint:
                    json.WriteString("intValue", Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
                    break;
                case ulong big when big <= long.MaxValue:
                    json.WriteString("intValue", ((long)big).ToString(CultureInfo.InvariantCulture));
                    break;
                case double or float or decimal:
                    WriteDouble(json, Convert.ToDouble(value, CultureInfo.InvariantCulture));
                    break;
                case char character:
                    json.WriteString("stringValue", character.ToString());
                    break;
                case IEnumerable<KeyValuePair<string, object?>> pairs when depth < MaxNestingDepth:
                    json.WritePropertyName("kvlistValue");
                    json.WriteStartObject();
                    json.WriteStartArray("values");
                    foreach (var pair in pairs)
                    {
                        json.WriteStartObject();
                        json.WriteString("key", pair.Key);
                        json.WritePropertyName("value");
                        WriteAnyValue(json, pair.Value, depth + 1);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                    break;
                case IEnumerable items and not IDictionary when depth < MaxNestingDepth:
                    json.WritePropertyName("arrayValue");
                    json.WriteStartObject();
                    json.WriteStartArray("values");
                    foreach (var item in items)
                    {
                        WriteAnyValue(json, item, depth + 1);
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                    break;
                default:
                    json.WriteString("stringValue", SafeToString(value));
                    break;
            }

            json.WriteEndObject();
        }

        private static void WriteDouble(Utf8JsonWriter json, double number)
        {
            // JSON has no NaN or infinities; ProtoJSON spells them as strings.
            if (double.IsNaN(number))
            {
                json.WriteString("doubleValue", "NaN");
            }
            else if (double.IsPositiveInfinity(number))
            {
                json.WriteString("doubleValue", "Infinity");
            }
            else if (double.IsNegativeInfinity(number))
            {
                json.WriteString("doubleValue", "-Infinity");
            }
            else
            {
                json.WriteNumber("doubleValue", number);
            }
        }

        private static string SafeToString(object value)
        {
            try
            {
                return Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
            }
            catch (Exception exception)
            {
                return "<" + value.GetType().Name + ".ToString() threw " + exception.GetType().Name + ">";
            }
        }
    }
}
