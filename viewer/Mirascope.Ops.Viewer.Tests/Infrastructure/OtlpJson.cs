using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;

namespace Mirascope.Ops.Viewer.Tests.Infrastructure
{
    /// <summary>
    /// The one writer of OTLP/JSON request bodies the viewer tests send (the envelope, resources, scopes, attribute
    /// values), so every hand-made body (<see cref="SpanBodies"/>, <see cref="RichSpans"/>) and every recorded run
    /// (<see cref="CloudContractJson"/>) is spelled the same way: intValue as a decimal string, doubles as numbers,
    /// arrays as <c>arrayValue.values</c>.
    /// </summary>
    internal static class OtlpJson
    {
        /// <summary>A whole request: <c>{"resourceSpans":[...]}</c>, the entries written by <paramref name="resourceSpans"/>.</summary>
        public static byte[] Body(Action<Utf8JsonWriter> resourceSpans)
        {
            using var stream = new MemoryStream();
            using (var json = new Utf8JsonWriter(stream))
            {
                json.WriteStartObject();
                json.WriteStartArray("resourceSpans");
                resourceSpans(json);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            return stream.ToArray();
        }

        /// <summary>One resourceSpans entry; without <paramref name="resource"/> the entry has no <c>resource</c> at all.</summary>
        public static void Resource(Utf8JsonWriter json, IEnumerable<KeyValuePair<string, object?>>? resource, Action<Utf8JsonWriter> scopeSpans)
        {
            json.WriteStartObject();
            if (resource is not null)
            {
                json.WriteStartObject("resource");
                Attributes(json, "attributes", resource);
                json.WriteEndObject();
            }

            json.WriteStartArray("scopeSpans");
            scopeSpans(json);
            json.WriteEndArray();
            json.WriteEndObject();
        }

        /// <summary>One scopeSpans entry; without <paramref name="name"/> the entry has no <c>scope</c>.</summary>
        public static void Scope(Utf8JsonWriter json, string? name, string? version, Action<Utf8JsonWriter> spans)
        {
            json.WriteStartObject();
            if (name is not null)
            {
                json.WriteStartObject("scope");
                json.WriteString("name", name);
                if (!string.IsNullOrEmpty(version))
                {
                    json.WriteString("version", version);
                }

                json.WriteEndObject();
            }

            json.WriteStartArray("spans");
            spans(json);
            json.WriteEndArray();
            json.WriteEndObject();
        }

        /// <summary>An attribute list; null values are left out, as the exporter leaves them out.</summary>
        public static void Attributes<T>(Utf8JsonWriter json, string name, IEnumerable<KeyValuePair<string, T>> attributes)
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
                Value(json, value);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        /// <summary>An AnyValue: string, bool, integer, floating point, or an array of those; anything else as its text.</summary>
        public static void Value(Utf8JsonWriter json, object value)
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
                        Value(json, item!);
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
