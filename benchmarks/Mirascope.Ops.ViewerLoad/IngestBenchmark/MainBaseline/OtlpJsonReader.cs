using System;
using Mirascope.Ops.Viewer.Ingest;
using Mirascope.Ops.Viewer.Storage;
using System.Globalization;
using System.Text.Json;

// main 22c082a's ingest code, copied verbatim but for the namespace: the benchmark's baseline (IngestDecodeBenchmarks).
namespace Mirascope.Ops.ViewerLoad.IngestBenchmark.MainBaseline
{
    /// <summary>
    /// Reads an OTLP/JSON <c>ExportTraceServiceRequest</c>: the body the Mirascope Cloud exporter sends to
    /// <c>/api/v2/traces</c> and a stock OTLP/HTTP JSON exporter sends to <c>/v1/traces</c>. Follows the OTLP/JSON
    /// rules: camelCase names (the proto's snake_case names are accepted too), hex ids, 64-bit integers as strings or
    /// numbers, enums as numbers or names, unknown fields ignored. A problem inside a span rejects that span only; a
    /// problem anywhere else makes the body malformed.
    /// </summary>
    internal static class OtlpJsonReader
    {
        /// <summary>
        /// The deepest an attribute value nests (an arrayValue or kvlistValue in another, counted from the attribute): the
        /// limit keeps the recursive conversion below far from the stack's end. A span with a deeper value is rejected alone
        /// (<c>partialSuccess</c>), as a span with invalid UTF-8 is; about what the former 128-level limit on the whole body
        /// allowed (3 JSON levels per value), and below the 100 message levels of protobuf's parser (2 per value).
        /// </summary>
        public const int MaxValueDepth = 40;

        /// <summary>
        /// The deepest the body as a whole is parsed: room for a span whose value nests about twice
        /// <see cref="MaxValueDepth"/> (3 JSON levels per value), so such a span is rejected alone. Deeper bodies are refused
        /// whole (400): <see cref="JsonDocument"/>'s parse time grows steeply with depth (a rough probe, not a benchmark:
        /// seconds for a body a few thousand levels deep), so the bound guards the viewer's time, not only the stack.
        /// </summary>
        public const int MaxDocumentDepth = 256;

        private static readonly JsonDocumentOptions DocumentOptions = new JsonDocumentOptions { MaxDepth = MaxDocumentDepth };

        public static IngestBatch Read(ReadOnlyMemory<byte> body)
        {
            if (body.IsEmpty)
            {
                throw new MalformedBodyException("the body is empty; send an OTLP ExportTraceServiceRequest as a JSON object");
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(body, DocumentOptions);
            }
            catch (JsonException exception)
            {
                throw new MalformedBodyException(
                    NestsTooDeep(body.Span, out var offset)
                        ? $"the body nests deeper than {MaxDocumentDepth} levels (at byte {offset}); an OTLP request never needs that many"
                        : "the body is not valid JSON: " + exception.Message,
                    exception);
            }

            using (document)
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw new MalformedBodyException($"the body must be a JSON object (an OTLP ExportTraceServiceRequest), got {Describe(root)}");
                }

                var batch = new IngestBatch();
                try
                {
                    if (TryGet(root, "resourceSpans", "resource_spans", out var resourceSpans))
                    {
                        var r = 0;
                        foreach (var item in Array(resourceSpans, "resourceSpans"))
                        {
                            ReadResourceSpans(item, $"resourceSpans[{r++}]", batch);
                        }
                    }
                }
                catch (InvalidValueException exception)
                {
                    throw new MalformedBodyException(exception.Message, exception);
                }

                return batch;
            }
        }

        /// <summary>Whether the JSON goes deeper than <see cref="MaxDocumentDepth"/>, told apart from other syntax errors without relying on the exception's words.</summary>
        private static bool NestsTooDeep(ReadOnlySpan<byte> body, out long offset)
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDocumentDepth + 1 });
            try
            {
                while (reader.Read())
                {
                    if (reader.CurrentDepth >= MaxDocumentDepth)
                    {
                        offset = reader.TokenStartIndex;
                        return true;
                    }
                }
            }
            catch (JsonException)
            {
                // a syntax error before the nesting got that deep
            }

            offset = 0;
            return false;
        }

        private static void ReadResourceSpans(JsonElement element, string path, IngestBatch batch)
        {
            ExpectObject(element, path);
            var resourceJson = "{}";
            string? serviceName = null;
            if (TryGet(element, "resource", "resource", out var resource))
            {
                ExpectObject(resource, path + ".resource");
                if (TryGet(resource, "attributes", "attributes", out var attributes))
                {
                    resourceJson = AttributesJson(attributes, path + ".resource.attributes");
                    serviceName = ServiceName(attributes);
                }
            }

            if (!TryGet(element, "scopeSpans", "scope_spans", out var scopeSpans))
            {
                return;
            }

            var s = 0;
            foreach (var scopeItem in Array(scopeSpans, path + ".scopeSpans"))
            {
                var scopePath = $"{path}.scopeSpans[{s++}]";
                ExpectObject(scopeItem, scopePath);
                string? scopeName = null, scopeVersion = null;
                if (TryGet(scopeItem, "scope", "scope", out var scope))
                {
                    ExpectObject(scope, scopePath + ".scope");
                    scopeName = OptionalString(scope, "name", "name", scopePath + ".scope");
                    scopeVersion = OptionalString(scope, "version", "version", scopePath + ".scope");
                }

                if (!TryGet(scopeItem, "spans", "spans", out var spans))
                {
                    continue;
                }

                var i = 0;
                foreach (var spanItem in Array(spans, scopePath + ".spans"))
                {
                    var spanPath = $"{scopePath}.spans[{i++}]";
                    try
                    {
                        batch.Add(ReadSpan(spanItem, spanPath, resourceJson, serviceName, scopeName, scopeVersion), spanPath);
                    }
                    catch (InvalidValueException exception)
                    {
                        batch.Reject(exception.Path, exception.Problem);
                    }
                }
            }
        }

        private static IngestSpan ReadSpan(JsonElement span, string path, string resourceJson, string? serviceName, string? scopeName, string? scopeVersion)
        {
            ExpectObject(span, path);
            var traceId = RequiredId(span, "traceId", "trace_id", HexId.TraceIdLength, path);
            var spanId = RequiredId(span, "spanId", "span_id", HexId.SpanIdLength, path);
            string? parent = null;
            var parentText = OptionalString(span, "parentSpanId", "parent_span_id", path);
            if (!string.IsNullOrEmpty(parentText))
            {
                parent = HexId.Normalize(parentText, HexId.SpanIdLength, out var problem) ?? throw new InvalidValueException(path + ".parentSpanId", problem!);
            }

            var start = Nanoseconds(span, "startTimeUnixNano", "start_time_unix_nano", path, required: true);
            var end = Nanoseconds(span, "endTimeUnixNano", "end_time_unix_nano", path, required: true);
            if (end < start)
            {
                throw new InvalidValueException(path + ".endTimeUnixNano", $"is before startTimeUnixNano ({end} < {start})");
            }

            var statusCode = 0;
            string? statusMessage = null;
            if (TryGet(span, "status", "status", out var status))
            {
                ExpectObject(status, path + ".status");
                statusCode = Enum(status, "code", "code", path + ".status", StatusCodes);
                statusMessage = OptionalString(status, "message", "message", path + ".status");
            }

            return new IngestSpan
            {
                TraceId = traceId,
                SpanId = spanId,
                ParentSpanId = parent,
                TraceState = NullIfEmpty(OptionalString(span, "traceState", "trace_state", path)),
                Name = OptionalString(span, "name", "name", path) ?? string.Empty,
                Kind = Enum(span, "kind", "kind", path, SpanKinds),
                StartNs = start,
                EndNs = end,
                StatusCode = statusCode,
                StatusMessage = NullIfEmpty(statusMessage),
                AttributesJson = TryGet(span, "attributes", "attributes", out var attributes) ? AttributesJson(attributes, path + ".attributes") : "{}",
                EventsJson = EventsJson(span, path),
                LinksJson = LinksJson(span, path),
                ResourceJson = resourceJson,
                ServiceName = serviceName,
                ScopeName = scopeName,
                ScopeVersion = scopeVersion,
            };
        }

        private static readonly string[] SpanKinds =
        {
            "SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER", "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER",
        };

        private static readonly string[] AnyValueFields =
        {
            "stringValue", "string_value", "boolValue", "bool_value", "intValue", "int_value", "doubleValue", "double_value",
            "arrayValue", "array_value", "kvlistValue", "kvlist_value", "bytesValue", "bytes_value",
        };

        private static readonly string[] StatusCodes = { "STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR" };

        private static string EventsJson(JsonElement span, string path)
        {
            if (!TryGet(span, "events", "events", out var events))
            {
                return "[]";
            }

            var items = Array(events, path + ".events");
            return JsonText.Build(json =>
            {
                json.WriteStartArray();
                var i = 0;
                foreach (var item in items)
                {
                    var eventPath = $"{path}.events[{i++}]";
                    ExpectObject(item, eventPath);
                    json.WriteStartObject();
                    json.WriteString("name", OptionalString(item, "name", "name", eventPath) ?? string.Empty);
                    json.WriteString("timeUnixNano", Nanoseconds(item, "timeUnixNano", "time_unix_nano", eventPath, required: false).ToString(CultureInfo.InvariantCulture));
                    json.WritePropertyName("attributes");
                    WriteAttributes(json, item, eventPath);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            });
        }

        private static string? LinksJson(JsonElement span, string path)
        {
            if (!TryGet(span, "links", "links", out var links))
            {
                return null;
            }

            var items = Array(links, path + ".links");
            if (links.GetArrayLength() == 0)
            {
                return null;
            }

            return JsonText.Build(json =>
            {
                json.WriteStartArray();
                var i = 0;
                foreach (var item in items)
                {
                    var linkPath = $"{path}.links[{i++}]";
                    ExpectObject(item, linkPath);
                    json.WriteStartObject();
                    json.WriteString("traceId", RequiredId(item, "traceId", "trace_id", HexId.TraceIdLength, linkPath));
                    json.WriteString("spanId", RequiredId(item, "spanId", "span_id", HexId.SpanIdLength, linkPath));
                    json.WritePropertyName("attributes");
                    WriteAttributes(json, item, linkPath);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            });
        }

        private static void WriteAttributes(Utf8JsonWriter json, JsonElement owner, string ownerPath)
        {
            if (TryGet(owner, "attributes", "attributes", out var attributes))
            {
                WriteKeyValues(json, attributes, ownerPath + ".attributes", 0);
            }
            else
            {
                json.WriteStartObject();
                json.WriteEndObject();
            }
        }

        private static string AttributesJson(JsonElement attributes, string path) => JsonText.Build(json => WriteKeyValues(json, attributes, path, 0));

        /// <summary>An OTLP <c>KeyValue</c> list becomes one JSON object; <paramref name="depth"/>: the values it is inside.</summary>
        private static void WriteKeyValues(Utf8JsonWriter json, JsonElement list, string path, int depth)
        {
            var items = Array(list, path);
            json.WriteStartObject();
            var i = 0;
            foreach (var item in items)
            {
                var itemPath = $"{path}[{i++}]";
                ExpectObject(item, itemPath);
                var key = OptionalString(item, "key", "key", itemPath) ?? throw new InvalidValueException(itemPath + ".key", "is missing");
                json.WritePropertyName(key);
                if (TryGet(item, "value", "value", out var value))
                {
                    WriteAnyValue(json, value, itemPath + ".value", depth + 1);
                }
                else
                {
                    json.WriteNullValue();
                }
            }

            json.WriteEndObject();
        }

        private static void WriteAnyValue(Utf8JsonWriter json, JsonElement value, string path, int depth)
        {
            if (depth > MaxValueDepth)
            {
                throw new InvalidValueException(path, $"nests deeper than {MaxValueDepth} levels of arrayValue and kvlistValue; the span was not stored");
            }

            ExpectObject(value, path);
            JsonElement? only = null;
            string? field = null;
            // Looked up by name rather than enumerated: an unknown member's name is never decoded, so one that is not
            // UTF-8 is ignored like any unknown field.
            foreach (var name in AnyValueFields)
            {
                if (value.TryGetProperty(name, out var member) && member.ValueKind != JsonValueKind.Null)
                {
                    if (field is not null)
                    {
                        throw new InvalidValueException(path, $"an AnyValue holds exactly one value, got both {field} and {name}");
                    }

                    field = name;
                    only = member;
                }
            }

            if (field is null)
            {
                json.WriteNullValue();   // an empty AnyValue is allowed by OTLP and means "no value"
                return;
            }

            var element = only!.Value;
            var fieldPath = path + "." + field;
            switch (field)
            {
                case "stringValue" or "string_value":
                    json.WriteStringValue(String(element, fieldPath));
                    break;
                case "boolValue" or "bool_value":
                    if (element.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    {
                        throw new InvalidValueException(fieldPath, $"must be true or false, got {Describe(element)}");
                    }

                    json.WriteBooleanValue(element.GetBoolean());
                    break;
                case "intValue" or "int_value":
                    json.WriteNumberValue(Int64(element, fieldPath));
                    break;
                case "doubleValue" or "double_value":
                    WriteDouble(json, element, fieldPath);
                    break;
                case "bytesValue" or "bytes_value":
                    var base64 = String(element, fieldPath);
                    if (!Convert.TryFromBase64String(base64, new byte[base64.Length], out _))
                    {
                        throw new InvalidValueException(fieldPath, "must be base64");
                    }

                    json.WriteStringValue(base64);
                    break;
                case "arrayValue" or "array_value":
                    ExpectObject(element, fieldPath);
                    json.WriteStartArray();
                    if (TryGet(element, "values", "values", out var values))
                    {
                        var i = 0;
                        foreach (var item in Array(values, fieldPath + ".values"))
                        {
                            WriteAnyValue(json, item, $"{fieldPath}.values[{i++}]", depth + 1);
                        }
                    }

                    json.WriteEndArray();
                    break;
                default:
                    ExpectObject(element, fieldPath);
                    if (TryGet(element, "values", "values", out var pairs))
                    {
                        WriteKeyValues(json, pairs, fieldPath + ".values", depth);
                    }
                    else
                    {
                        json.WriteStartObject();
                        json.WriteEndObject();
                    }

                    break;
            }
        }

        private static void WriteDouble(Utf8JsonWriter json, JsonElement element, string path)
        {
            // 1e400 is a JSON number but no double: TryGetDouble refuses it, where GetDouble would throw.
            if (element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var number) && double.IsFinite(number))
            {
                json.WriteNumberValue(number);
                return;
            }

            if (element.ValueKind == JsonValueKind.String)
            {
                var text = String(element, path);
                if (text is "NaN" or "Infinity" or "-Infinity")
                {
                    json.WriteStringValue(text);   // JSON has no such numbers; the page shows the word
                    return;
                }

                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && double.IsFinite(parsed))
                {
                    json.WriteNumberValue(parsed);
                    return;
                }
            }

            throw new InvalidValueException(path, $"must be a number, \"NaN\", \"Infinity\" or \"-Infinity\", got {Describe(element)}");
        }

        private static string? ServiceName(JsonElement attributes)
        {
            foreach (var item in attributes.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object && TryGet(item, "key", "key", out var key) && key.ValueKind == JsonValueKind.String
                    && key.ValueEquals("service.name") && TryGet(item, "value", "value", out var value) && value.ValueKind == JsonValueKind.Object
                    && (TryGet(value, "stringValue", "string_value", out var text)) && text.ValueKind == JsonValueKind.String)
                {
                    return JsonStrings.TryRead(text, out _);   // already checked: the resource's attributes are read before
                }
            }

            return null;
        }

        private static string RequiredId(JsonElement owner, string name, string protoName, int length, string path)
        {
            var text = OptionalString(owner, name, protoName, path);
            if (string.IsNullOrEmpty(text))
            {
                throw new InvalidValueException(path + "." + name, "is missing");
            }

            return HexId.Normalize(text, length, out var problem) ?? throw new InvalidValueException(path + "." + name, problem!);
        }

        private static long Nanoseconds(JsonElement owner, string name, string protoName, string path, bool required)
        {
            if (!TryGet(owner, name, protoName, out var element))
            {
                return required ? throw new InvalidValueException(path + "." + name, "is missing") : 0;
            }

            var value = Int64(element, path + "." + name);
            if (value < 0 || (required && value == 0))
            {
                throw new InvalidValueException(path + "." + name, $"must be a positive number of Unix nanoseconds, got {value}");
            }

            return value;
        }

        private static long Int64(JsonElement element, string path)
        {
            if (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var number))
            {
                return number;
            }

            if (element.ValueKind == JsonValueKind.String
                && long.TryParse(String(element, path), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
            {
                return parsed;
            }

            throw new InvalidValueException(path, $"must be a 64-bit integer (a decimal string or a number), got {Describe(element)}");
        }

        private static int Enum(JsonElement owner, string name, string protoName, string path, string[] names)
        {
            if (!TryGet(owner, name, protoName, out var element))
            {
                return 0;
            }

            if (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var number) && number >= 0 && number < names.Length)
            {
                return number;
            }

            if (element.ValueKind == JsonValueKind.String)
            {
                for (var index = 0; index < names.Length; index++)
                {
                    if (element.ValueEquals(names[index]))
                    {
                        return index;
                    }
                }
            }

            throw new InvalidValueException(path + "." + name, $"must be a number from 0 to {names.Length - 1} or one of {string.Join(", ", names)}, got {Describe(element)}");
        }

        private static string? OptionalString(JsonElement owner, string name, string protoName, string path)
        {
            return TryGet(owner, name, protoName, out var element) ? String(element, path + "." + name) : null;
        }

        private static string String(JsonElement element, string path)
        {
            if (element.ValueKind != JsonValueKind.String)
            {
                throw new InvalidValueException(path, $"must be a string, got {Describe(element)}");
            }

            return JsonStrings.TryRead(element, out var problem) ?? throw new InvalidValueException(path, problem!);
        }

        private static JsonElement.ArrayEnumerator Array(JsonElement element, string path)
        {
            if (element.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidValueException(path, $"must be an array, got {Describe(element)}");
            }

            return element.EnumerateArray();
        }

        private static void ExpectObject(JsonElement element, string path)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidValueException(path, $"must be an object, got {Describe(element)}");
            }
        }

        /// <summary>The field by its OTLP/JSON name or its proto name; a JSON null counts as absent, as in ProtoJSON.</summary>
        private static bool TryGet(JsonElement owner, string name, string protoName, out JsonElement value)
        {
            if ((owner.TryGetProperty(name, out value) || (protoName != name && owner.TryGetProperty(protoName, out value)))
                && value.ValueKind != JsonValueKind.Null)
            {
                return true;
            }

            value = default;
            return false;
        }

        private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

        private static string Describe(JsonElement element) => element.ValueKind switch
        {
            JsonValueKind.String => JsonStrings.TryRead(element, out _) is { } text ? "the string " + HexId.Quote(text) : "a string that is not valid Unicode text",
            JsonValueKind.Number => "the number " + element.GetRawText(),
            JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
            JsonValueKind.Array => "an array",
            JsonValueKind.Object => "an object",
            _ => "null",
        };
    }
}
