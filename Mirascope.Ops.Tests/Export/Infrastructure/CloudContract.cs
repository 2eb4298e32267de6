using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;

namespace Mirascope.Ops.Tests.Export.Infrastructure
{
    /// <summary>
    /// Mirascope Cloud's ingest contract for <c>POST {base}/traces</c>, checked strictly: the body must be OTLP/JSON
    /// exactly as docs/configuration.md describes (camelCase, lowercase hex ids, int64 and times as strings, kind as
    /// a number, one known AnyValue field per value, no unknown span fields). Returns the spans and every violation.
    /// </summary>
    public static class CloudContract
    {
        private static readonly HashSet<string> SpanFields = new HashSet<string>
        {
            "traceId", "spanId", "parentSpanId", "traceState", "name", "kind", "startTimeUnixNano", "endTimeUnixNano",
            "attributes", "events", "links", "status",
        };

        public static List<ReceivedSpan> Decode(JsonElement root, List<string> errors, bool keepAttributes = true)
        {
            var spans = new List<ReceivedSpan>();
            if (root.ValueKind != JsonValueKind.Object)
            {
                errors.Add("body is not a JSON object");
                return spans;
            }

            Only(root, "body", errors, "resourceSpans");
            foreach (var resourceSpans in Array(root, "resourceSpans", "body", errors))
            {
                Only(resourceSpans, "resourceSpans[]", errors, "resource", "scopeSpans");
                var resource = new Dictionary<string, object?>();
                if (resourceSpans.TryGetProperty("resource", out var resourceElement))
                {
                    resource = Attributes(resourceElement, "resource", errors);
                }
                else
                {
                    errors.Add("resourceSpans[] has no resource");
                }

                foreach (var scopeSpans in Array(resourceSpans, "scopeSpans", "resourceSpans[]", errors))
                {
                    Only(scopeSpans, "scopeSpans[]", errors, "scope", "spans");
                    string scopeName = "";
                    string? scopeVersion = null;
                    if (scopeSpans.TryGetProperty("scope", out var scope) && scope.ValueKind == JsonValueKind.Object)
                    {
                        Only(scope, "scope", errors, "name", "version");
                        scopeName = String(scope, "name", "scope", errors, required: true) ?? "";
                        scopeVersion = String(scope, "version", "scope", errors, required: false);
                    }
                    else
                    {
                        errors.Add("scopeSpans[] has no scope object");
                    }

                    foreach (var span in Array(scopeSpans, "spans", "scopeSpans[]", errors))
                    {
                        spans.Add(DecodeSpan(span, scopeName, scopeVersion, resource, errors, keepAttributes));
                    }
                }
            }

            return spans;
        }

        /// <summary>Only ids, parent and name, without checking the contract: for the load test, whose receiver must keep up.</summary>
        public static List<ReceivedSpan> DecodeIdsOnly(JsonElement root)
        {
            var spans = new List<ReceivedSpan>();
            foreach (var resourceSpans in root.GetProperty("resourceSpans").EnumerateArray())
            {
                foreach (var scopeSpans in resourceSpans.GetProperty("scopeSpans").EnumerateArray())
                {
                    foreach (var span in scopeSpans.GetProperty("spans").EnumerateArray())
                    {
                        spans.Add(new ReceivedSpan
                        {
                            Protocol = "otlp-json",
                            TraceId = span.GetProperty("traceId").GetString()!,
                            SpanId = span.GetProperty("spanId").GetString()!,
                            ParentSpanId = span.TryGetProperty("parentSpanId", out var parent) ? parent.GetString() : null,
                            Name = span.GetProperty("name").GetString()!,
                        });
                    }
                }
            }

            return spans;
        }

        private static ReceivedSpan DecodeSpan(JsonElement span, string scopeName, string? scopeVersion, Dictionary<string, object?> resource, List<string> errors, bool keepAttributes)
        {
            foreach (var property in span.EnumerateObject())
            {
                if (!SpanFields.Contains(property.Name))
                {
                    errors.Add($"span has unknown field '{property.Name}'");
                }
            }

            var traceId = Hex(span, "traceId", 32, errors, required: true);
            var spanId = Hex(span, "spanId", 16, errors, required: true);
            var parent = Hex(span, "parentSpanId", 16, errors, required: false);
            var name = String(span, "name", "span", errors, required: true) ?? "";
            var kind = 0;
            if (!span.TryGetProperty("kind", out var kindElement) || kindElement.ValueKind != JsonValueKind.Number || !kindElement.TryGetInt32(out kind) || kind < 1 || kind > 5)
            {
                errors.Add($"span '{name}' kind must be a number 1..5 (OTLP SpanKind)");
            }

            var start = Nanos(span, "startTimeUnixNano", name, errors);
            var end = Nanos(span, "endTimeUnixNano", name, errors);
            if (end < start)
            {
                errors.Add($"span '{name}' ends before it starts");
            }

            var statusCode = 0;
            string? statusMessage = null;
            if (span.TryGetProperty("status", out var status))
            {
                Only(status, "status", errors, "code", "message");
                if (!status.TryGetProperty("code", out var code) || code.ValueKind != JsonValueKind.Number || !code.TryGetInt32(out statusCode) || statusCode < 0 || statusCode > 2)
                {
                    errors.Add($"span '{name}' status.code must be a number 0..2");
                }

                statusMessage = String(status, "message", "status", errors, required: false);
            }

            var events = new List<ReceivedEvent>();
            if (span.TryGetProperty("events", out var eventsElement))
            {
                foreach (var spanEvent in Array(span, "events", "span", errors))
                {
                    Only(spanEvent, "event", errors, "name", "timeUnixNano", "attributes");
                    events.Add(new ReceivedEvent
                    {
                        Name = String(spanEvent, "name", "event", errors, required: true) ?? "",
                        TimeUnixNano = Nanos(spanEvent, "timeUnixNano", name, errors),
                        Attributes = Attributes(spanEvent, "event", errors),
                    });
                }
            }

            var attributes = keepAttributes ? Attributes(span, "span " + name, errors) : new Dictionary<string, object?>();
            return new ReceivedSpan
            {
                Protocol = "otlp-json",
                TraceId = traceId ?? "",
                SpanId = spanId ?? "",
                ParentSpanId = parent,
                Name = name,
                Kind = kind,
                StartTimeUnixNano = start,
                EndTimeUnixNano = end,
                Attributes = attributes,
                StatusCode = statusCode,
                StatusMessage = statusMessage,
                Events = events,
                ScopeName = scopeName,
                ScopeVersion = scopeVersion,
                Resource = resource,
            };
        }

        private static Dictionary<string, object?> Attributes(JsonElement owner, string where, List<string> errors, string property = "attributes")
        {
            var result = new Dictionary<string, object?>();
            foreach (var pair in Array(owner, property, where, errors))
            {
                Only(pair, where + " attribute", errors, "key", "value");
                var key = String(pair, "key", where + " attribute", errors, required: true) ?? "";
                if (!pair.TryGetProperty("value", out var value))
                {
                    errors.Add($"{where} attribute '{key}' has no value");
                    continue;
                }

                if (result.ContainsKey(key))
                {
                    errors.Add($"{where} attribute '{key}' appears twice");
                }

                result[key] = AnyValue(value, $"{where} attribute '{key}'", errors, allowEmpty: false);
            }

            return result;
        }

        private static object? AnyValue(JsonElement value, string where, List<string> errors, bool allowEmpty)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"{where}: value is not an AnyValue object");
                return null;
            }

            var fields = value.EnumerateObject().ToList();
            if (fields.Count == 0 && allowEmpty)
            {
                return null;
            }

            if (fields.Count != 1)
            {
                errors.Add($"{where}: AnyValue must have exactly one field, has {fields.Count}");
                return null;
            }

            var field = fields[0];
            switch (field.Name)
            {
                case "stringValue" when field.Value.ValueKind == JsonValueKind.String:
                    return field.Value.GetString();
                case "boolValue" when field.Value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                    return field.Value.GetBoolean();
                case "intValue" when field.Value.ValueKind == JsonValueKind.String && long.TryParse(field.Value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer):
                    return integer;
                case "doubleValue" when field.Value.ValueKind == JsonValueKind.Number:
                    return field.Value.GetDouble();
                case "doubleValue" when field.Value.ValueKind == JsonValueKind.String && field.Value.GetString() is "NaN" or "Infinity" or "-Infinity":
                    return double.Parse(field.Value.GetString()!, CultureInfo.InvariantCulture);
                case "arrayValue" when field.Value.ValueKind == JsonValueKind.Object:
                    Only(field.Value, where + " arrayValue", errors, "values");
                    return Array(field.Value, "values", where, errors).Select(v => AnyValue(v, where + "[]", errors, allowEmpty: true)).ToArray();
                case "kvlistValue" when field.Value.ValueKind == JsonValueKind.Object:
                    Only(field.Value, where + " kvlistValue", errors, "values");
                    return Attributes(field.Value, where, errors, "values");
                default:
                    errors.Add($"{where}: '{field.Name}' with a JSON {field.Value.ValueKind} is not an OTLP AnyValue encoding (intValue must be a string)");
                    return null;
            }
        }

        private static IEnumerable<JsonElement> Array(JsonElement owner, string property, string where, List<string> errors)
        {
            if (owner.ValueKind != JsonValueKind.Object || !owner.TryGetProperty(property, out var array))
            {
                return System.Array.Empty<JsonElement>();
            }

            if (array.ValueKind != JsonValueKind.Array)
            {
                errors.Add($"{where}.{property} is not an array");
                return System.Array.Empty<JsonElement>();
            }

            return array.EnumerateArray().ToList();
        }

        private static void Only(JsonElement element, string where, List<string> errors, params string[] allowed)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"{where} is not an object");
                return;
            }

            foreach (var property in element.EnumerateObject())
            {
                if (System.Array.IndexOf(allowed, property.Name) < 0)
                {
                    errors.Add($"{where} has unknown field '{property.Name}'");
                }
            }
        }

        private static string? String(JsonElement owner, string property, string where, List<string> errors, bool required)
        {
            if (!owner.TryGetProperty(property, out var value))
            {
                if (required)
                {
                    errors.Add($"{where} has no '{property}'");
                }

                return null;
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                errors.Add($"{where}.{property} is not a string");
                return null;
            }

            return value.GetString();
        }

        private static string? Hex(JsonElement owner, string property, int length, List<string> errors, bool required)
        {
            var text = String(owner, property, "span", errors, required);
            if (text is null)
            {
                return null;
            }

            if (text.Length != length || text.Any(c => !(c is >= '0' and <= '9' or >= 'a' and <= 'f')) || text.All(c => c == '0'))
            {
                errors.Add($"span {property} '{text}' is not {length} lowercase hex digits (and not all zero)");
            }

            return text;
        }

        private static ulong Nanos(JsonElement owner, string property, string span, List<string> errors)
        {
            if (!owner.TryGetProperty(property, out var value) || value.ValueKind != JsonValueKind.String
                || !ulong.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var nanos) || nanos == 0)
            {
                errors.Add($"span '{span}' {property} must be a non-empty string of nanoseconds");
                return 0;
            }

            return nanos;
        }
    }
}
