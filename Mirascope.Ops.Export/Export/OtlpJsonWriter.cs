using System;
using System.Buffers.Text;
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
    /// <remarks>
    /// Called for every batch (benchmark 8), so a span costs no allocation of its own: property names are encoded
    /// once, times and integers are formatted into stack buffers, tags, events and links are walked with the
    /// Activity's struct enumerators, and the document goes to the stream through one pooled chunk.
    /// </remarks>
    internal static class OtlpJsonWriter
    {
        private const int MaxNestingDepth = 3;
        private const long UnixEpochTicks = 621355968000000000L;

        // long.MinValue has 20 characters.
        private const int MaxInt64Length = 20;

        private static readonly JsonEncodedText ResourceSpansName = JsonEncodedText.Encode("resourceSpans");
        private static readonly JsonEncodedText ResourceName = JsonEncodedText.Encode("resource");
        private static readonly JsonEncodedText ScopeSpansName = JsonEncodedText.Encode("scopeSpans");
        private static readonly JsonEncodedText ScopeName = JsonEncodedText.Encode("scope");
        private static readonly JsonEncodedText SpansName = JsonEncodedText.Encode("spans");
        private static readonly JsonEncodedText NameName = JsonEncodedText.Encode("name");
        private static readonly JsonEncodedText VersionName = JsonEncodedText.Encode("version");
        private static readonly JsonEncodedText TraceIdName = JsonEncodedText.Encode("traceId");
        private static readonly JsonEncodedText SpanIdName = JsonEncodedText.Encode("spanId");
        private static readonly JsonEncodedText ParentSpanIdName = JsonEncodedText.Encode("parentSpanId");
        private static readonly JsonEncodedText TraceStateName = JsonEncodedText.Encode("traceState");
        private static readonly JsonEncodedText KindName = JsonEncodedText.Encode("kind");
        private static readonly JsonEncodedText StartTimeName = JsonEncodedText.Encode("startTimeUnixNano");
        private static readonly JsonEncodedText EndTimeName = JsonEncodedText.Encode("endTimeUnixNano");
        private static readonly JsonEncodedText TimeName = JsonEncodedText.Encode("timeUnixNano");
        private static readonly JsonEncodedText AttributesName = JsonEncodedText.Encode("attributes");
        private static readonly JsonEncodedText EventsName = JsonEncodedText.Encode("events");
        private static readonly JsonEncodedText LinksName = JsonEncodedText.Encode("links");
        private static readonly JsonEncodedText StatusName = JsonEncodedText.Encode("status");
        private static readonly JsonEncodedText CodeName = JsonEncodedText.Encode("code");
        private static readonly JsonEncodedText MessageName = JsonEncodedText.Encode("message");
        private static readonly JsonEncodedText KeyName = JsonEncodedText.Encode("key");
        private static readonly JsonEncodedText ValueName = JsonEncodedText.Encode("value");
        private static readonly JsonEncodedText ValuesName = JsonEncodedText.Encode("values");
        private static readonly JsonEncodedText StringValueName = JsonEncodedText.Encode("stringValue");
        private static readonly JsonEncodedText BoolValueName = JsonEncodedText.Encode("boolValue");
        private static readonly JsonEncodedText IntValueName = JsonEncodedText.Encode("intValue");
        private static readonly JsonEncodedText DoubleValueName = JsonEncodedText.Encode("doubleValue");
        private static readonly JsonEncodedText ArrayValueName = JsonEncodedText.Encode("arrayValue");
        private static readonly JsonEncodedText KvlistValueName = JsonEncodedText.Encode("kvlistValue");

        public static void Write(Stream destination, IReadOnlyList<Activity> spans, Resource resource)
        {
            using var chunks = new StreamChunkWriter(destination);
            using (var json = new Utf8JsonWriter(chunks, new JsonWriterOptions { SkipValidation = true }))
            {
                json.WriteStartObject();
                json.WriteStartArray(ResourceSpansName);
                json.WriteStartObject();
                json.WritePropertyName(ResourceName);
                json.WriteStartObject();
                WriteAttributes(json, resource.Attributes!);
                json.WriteEndObject();
                json.WriteStartArray(ScopeSpansName);
                foreach (var scope in Scopes(spans))
                {
                    json.WriteStartObject();
                    json.WritePropertyName(ScopeName);
                    json.WriteStartObject();
                    json.WriteString(NameName, scope.Name);
                    if (!string.IsNullOrEmpty(scope.Version))
                    {
                        json.WriteString(VersionName, scope.Version);
                    }

                    json.WriteEndObject();
                    json.WriteStartArray(SpansName);
                    for (var i = 0; i < spans.Count; i++)
                    {
                        if (IsIn(spans[i], scope))
                        {
                            WriteSpan(json, spans[i]);
                        }
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteEndObject();
            }

            // Disposing the Utf8JsonWriter flushed its last bytes into the chunk.
            chunks.Flush();
        }

        /// <summary>Unix time in nanoseconds, as OTLP wants it.</summary>
        public static long UnixNanoseconds(DateTime utc) => (utc.Ticks - UnixEpochTicks) * 100;

        /// <summary>The OTLP <c>SpanKind</c> number: .NET's <see cref="ActivityKind"/> is the same list shifted by one (OTLP 0 is "unspecified").</summary>
        public static int OtlpKind(ActivityKind kind) => (int)kind + 1;

        /// <summary>
        /// The batch's instrumentation scopes in order of first appearance. Each is then written by one pass over the
        /// batch: the scopes are the ActivitySources the provider listens to, a handful, so this costs less than
        /// grouping the spans into lists.
        /// </summary>
        private static List<(string Name, string Version)> Scopes(IReadOnlyList<Activity> spans)
        {
            var scopes = new List<(string Name, string Version)>(1);
            for (var i = 0; i < spans.Count; i++)
            {
                if (!Contains(scopes, spans[i]))
                {
                    scopes.Add((spans[i].Source.Name, spans[i].Source.Version ?? string.Empty));
                }
            }

            return scopes;
        }

        private static bool Contains(List<(string Name, string Version)> scopes, Activity span)
        {
            for (var i = 0; i < scopes.Count; i++)
            {
                if (IsIn(span, scopes[i]))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsIn(Activity span, (string Name, string Version) scope) =>
            string.Equals(span.Source.Name, scope.Name, StringComparison.Ordinal)
            && string.Equals(span.Source.Version ?? string.Empty, scope.Version, StringComparison.Ordinal);

        private static void WriteSpan(Utf8JsonWriter json, Activity span)
        {
            json.WriteStartObject();
            // The ids' hex strings are held by the Activity (ToHexString() returns them, it does not format).
            json.WriteString(TraceIdName, span.TraceId.ToHexString());
            json.WriteString(SpanIdName, span.SpanId.ToHexString());
            if (span.ParentSpanId != default)
            {
                json.WriteString(ParentSpanIdName, span.ParentSpanId.ToHexString());
            }

            if (!string.IsNullOrEmpty(span.TraceStateString))
            {
                json.WriteString(TraceStateName, span.TraceStateString);
            }

            json.WriteString(NameName, span.DisplayName);
            json.WriteNumber(KindName, OtlpKind(span.Kind));
            var start = UnixNanoseconds(span.StartTimeUtc);
            WriteInt64String(json, StartTimeName, start);
            WriteInt64String(json, EndTimeName, start + span.Duration.Ticks * 100);
            WriteAttributes(json, span.EnumerateTagObjects());

            json.WriteStartArray(EventsName);
            foreach (ref readonly var spanEvent in span.EnumerateEvents())
            {
                json.WriteStartObject();
                json.WriteString(NameName, spanEvent.Name);
                WriteInt64String(json, TimeName, UnixNanoseconds(spanEvent.Timestamp.UtcDateTime));
                WriteAttributes(json, spanEvent.EnumerateTagObjects());
                json.WriteEndObject();
            }

            json.WriteEndArray();

            var wroteLinks = false;
            foreach (ref readonly var link in span.EnumerateLinks())
            {
                if (!wroteLinks)
                {
                    json.WriteStartArray(LinksName);
                    wroteLinks = true;
                }

                json.WriteStartObject();
                json.WriteString(TraceIdName, link.Context.TraceId.ToHexString());
                json.WriteString(SpanIdName, link.Context.SpanId.ToHexString());
                WriteAttributes(json, link.EnumerateTagObjects());
                json.WriteEndObject();
            }

            if (wroteLinks)
            {
                json.WriteEndArray();
            }

            json.WritePropertyName(StatusName);
            json.WriteStartObject();
            json.WriteNumber(CodeName, (int)span.Status);
            if (!string.IsNullOrEmpty(span.StatusDescription))
            {
                json.WriteString(MessageName, span.StatusDescription);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        /// <summary>Tags of a span, event or link, walked without boxing an enumerator.</summary>
        private static void WriteAttributes(Utf8JsonWriter json, Activity.Enumerator<KeyValuePair<string, object?>> attributes)
        {
            json.WriteStartArray(AttributesName);
            foreach (ref readonly var attribute in attributes)
            {
                WriteAttribute(json, attribute);
            }

            json.WriteEndArray();
        }

        /// <summary>The resource's attributes (once per batch).</summary>
        private static void WriteAttributes(Utf8JsonWriter json, IEnumerable<KeyValuePair<string, object?>> attributes)
        {
            json.WriteStartArray(AttributesName);
            foreach (var attribute in attributes)
            {
                WriteAttribute(json, attribute);
            }

            json.WriteEndArray();
        }

        private static void WriteAttribute(Utf8JsonWriter json, in KeyValuePair<string, object?> attribute)
        {
            if (attribute.Value is null || attribute.Key is null)
            {
                return;
            }

            json.WriteStartObject();
            json.WriteString(KeyName, attribute.Key);
            json.WritePropertyName(ValueName);
            WriteAnyValue(json, attribute.Value, 0);
            json.WriteEndObject();
        }

        /// <summary>A 64-bit integer as a JSON string (OTLP/JSON's int64 encoding), formatted on the stack.</summary>
        private static void WriteInt64String(Utf8JsonWriter json, JsonEncodedText name, long value)
        {
            Span<byte> digits = stackalloc byte[MaxInt64Length];
            // Utf8Formatter's default format is culture-independent, like long.ToString(CultureInfo.InvariantCulture).
            Utf8Formatter.TryFormat(value, digits, out var length);
            json.WriteString(name, digits.Slice(0, length));
        }

        private static void WriteAnyValue(Utf8JsonWriter json, object? value, int depth)
        {
            json.WriteStartObject();
            switch (value)
            {
                case null:
                    break;
                case string text:
                    json.WriteString(StringValueName, text);
                    break;
                case bool flag:
                    json.WriteBoolean(BoolValueName, flag);
                    break;
                case int number:
                    WriteInt64String(json, IntValueName, number);
                    break;
                case long number:
                    WriteInt64String(json, IntValueName, number);
                    break;
                case short or sbyte or byte or ushort or uint:
                    // Boxed already: IConvertible reads it without allocating.
                    WriteInt64String(json, IntValueName, Convert.ToInt64(value, CultureInfo.InvariantCulture));
                    break;
                case ulong big when big <= long.MaxValue:
                    WriteInt64String(json, IntValueName, (long)big);
                    break;
                case double number:
                    WriteDouble(json, number);
                    break;
                case float number:
                    WriteDouble(json, number);
                    break;
                case decimal number:
                    WriteDouble(json, (double)number);
                    break;
                case char character:
                    WriteChar(json, character);
                    break;
                case IEnumerable<KeyValuePair<string, object?>> pairs when depth < MaxNestingDepth:
                    json.WritePropertyName(KvlistValueName);
                    json.WriteStartObject();
                    json.WriteStartArray(ValuesName);
                    foreach (var pair in pairs)
                    {
                        json.WriteStartObject();
                        json.WriteString(KeyName, pair.Key);
                        json.WritePropertyName(ValueName);
                        WriteAnyValue(json, pair.Value, depth + 1);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                    break;
                case IEnumerable items and not IDictionary when depth < MaxNestingDepth:
                    json.WritePropertyName(ArrayValueName);
                    json.WriteStartObject();
                    json.WriteStartArray(ValuesName);
                    foreach (var item in items)
                    {
                        WriteAnyValue(json, item, depth + 1);
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                    break;
                default:
                    json.WriteString(StringValueName, SafeToString(value));
                    break;
            }

            json.WriteEndObject();
        }

        private static void WriteChar(Utf8JsonWriter json, char character)
        {
            Span<char> text = stackalloc char[1];
            text[0] = character;
            json.WriteString(StringValueName, text);
        }

        private static void WriteDouble(Utf8JsonWriter json, double number)
        {
            // JSON has no NaN or infinities; ProtoJSON spells them as strings.
            if (double.IsNaN(number))
            {
                json.WriteString(DoubleValueName, "NaN");
            }
            else if (double.IsPositiveInfinity(number))
            {
                json.WriteString(DoubleValueName, "Infinity");
            }
            else if (double.IsNegativeInfinity(number))
            {
                json.WriteString(DoubleValueName, "-Infinity");
            }
            else
            {
                json.WriteNumber(DoubleValueName, number);
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
