using System;
using System.Collections.Generic;
using System.Text.Json;
using Mirascope.Ops.Viewer.Ingest;

namespace Mirascope.Ops.Viewer.Api
{
    /// <summary>
    /// Reads the fields of a JSON request body (functions, annotations, search) with a <see cref="BadParameterException"/>
    /// naming the field for each wrong one, so a sender learns what to fix instead of getting a 500. Strings are checked to
    /// be Unicode text (<see cref="JsonStrings"/>); unknown fields are ignored, as the Cloud's schemas did.
    /// </summary>
    internal static class JsonBodyFields
    {
        public const int MaxDepth = 64;

        /// <summary>The body as a JSON object.</summary>
        public static JsonElement ParseObject(ReadOnlyMemory<byte> body)
        {
            if (body.IsEmpty)
            {
                throw new BadParameterException("the body", "is empty; send a JSON object");
            }

            JsonElement root;
            try
            {
                using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = MaxDepth });
                root = document.RootElement.Clone();
            }
            catch (JsonException exception)
            {
                throw new BadParameterException("the body", $"is not JSON ({exception.Message})");
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new BadParameterException("the body", $"must be a JSON object, got {Kind(root)}");
            }

            return root;
        }

        public static bool Has(JsonElement body, string name) => body.TryGetProperty(name, out _);

        public static string RequiredString(JsonElement body, string name, bool allowEmpty = false, int maxLength = int.MaxValue) =>
            OptionalString(body, name, maxLength, nullable: false) is { } text && (allowEmpty || text.Length > 0)
                ? text
                : throw new BadParameterException(name, Has(body, name) ? "must not be empty" : "is required (a string)");

        /// <summary>A string, or null when missing or <c>null</c>.</summary>
        public static string? OptionalString(JsonElement body, string name, int maxLength = int.MaxValue, bool nullable = true)
        {
            if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return nullable || !Has(body, name) ? null : throw new BadParameterException(name, "must be a string, got null");
            }

            return Text(value, name, maxLength);
        }

        public static bool? OptionalBool(JsonElement body, string name)
        {
            if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw new BadParameterException(name, $"must be true or false, got {Kind(value)}"),
            };
        }

        /// <summary>A number in [min, max], or null when missing or <c>null</c>.</summary>
        public static double? OptionalNumber(JsonElement body, string name, double min, double max)
        {
            if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || double.IsInfinity(number) || number < min || number > max)
            {
                throw new BadParameterException(name, $"must be a number from {min} to {max}, got {Shown(value)}");
            }

            return number;
        }

        /// <summary>A JSON array of strings as JSON text, or null when missing or <c>null</c>.</summary>
        public static List<string>? OptionalStringArray(JsonElement body, string name, int maxItems, int maxLength)
        {
            if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Array)
            {
                throw new BadParameterException(name, $"must be an array of strings or null, got {Kind(value)}");
            }

            if (value.GetArrayLength() > maxItems)
            {
                throw new BadParameterException(name, $"has {value.GetArrayLength()} items; at most {maxItems} are allowed");
            }

            var items = new List<string>();
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                items.Add(Text(item, $"{name}[{index++}]", maxLength));
            }

            return items;
        }

        /// <summary>An object whose values are all strings, as JSON text, or null when missing or <c>null</c>.</summary>
        public static string? OptionalStringMap(JsonElement body, string name) => OptionalObject(body, name, (json, member, value, path) => json.WriteString(member, Text(value, path, int.MaxValue)));

        /// <summary>Any JSON object (values of any kind), rewritten as checked JSON text, or null when missing or <c>null</c>.</summary>
        public static string? OptionalAnyObject(JsonElement body, string name) => OptionalObject(body, name, (json, member, value, path) =>
        {
            json.WritePropertyName(member);
            CopyValue(json, value, path);
        });

        /// <summary>A JSON object rewritten member by member (names checked to be text), or null when missing or <c>null</c>.</summary>
        public static string? OptionalObject(JsonElement body, string name, Action<Utf8JsonWriter, string, JsonElement, string> writeMember)
        {
            if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Object)
            {
                throw new BadParameterException(name, $"must be an object or null, got {Kind(value)}");
            }

            return JsonText.Build(json =>
            {
                json.WriteStartObject();
                foreach (var member in value.EnumerateObject())
                {
                    var memberName = MemberName(member, name);
                    writeMember(json, memberName, member.Value, $"{name}.{memberName}");
                }

                json.WriteEndObject();
            });
        }

        public static string Text(JsonElement value, string path, int maxLength)
        {
            if (value.ValueKind != JsonValueKind.String)
            {
                throw new BadParameterException(path, $"must be a string, got {Kind(value)}");
            }

            var text = JsonStrings.TryRead(value, out var problem) ?? throw new BadParameterException(path, problem!);
            if (text.Length > maxLength)
            {
                throw new BadParameterException(path, $"is {text.Length} characters long; at most {maxLength} are allowed");
            }

            return text;
        }

        /// <summary>Reads fields of a nested object, naming a wrong one by its whole path (<c>attributeFilters[0].key</c>).</summary>
        public static T Within<T>(string path, Func<T> read)
        {
            try
            {
                return read();
            }
            catch (BadParameterException exception) when (!exception.Parameter.StartsWith(path, StringComparison.Ordinal))
            {
                throw new BadParameterException(path + "." + exception.Parameter, exception.Problem);
            }
        }

        /// <summary>A field's name; one that is not Unicode text (an escaped lone surrogate) is refused, naming the object it is in.</summary>
        public static string MemberName(JsonProperty member, string objectPath)
        {
            try
            {
                return member.Name;
            }
            catch (InvalidOperationException)
            {
                throw new BadParameterException(objectPath, "has a field name that is not Unicode text (an escaped lone surrogate or bytes that are not UTF-8)");
            }
        }

        public static string Kind(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            JsonValueKind.Null => "null",
            _ => value.ValueKind.ToString(),
        };

        private static string Shown(JsonElement value) => value.ValueKind == JsonValueKind.Number ? value.GetRawText() : Kind(value);

        private static void CopyValue(Utf8JsonWriter json, JsonElement value, string path)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    json.WriteStringValue(Text(value, path, int.MaxValue));
                    break;
                case JsonValueKind.Object:
                    json.WriteStartObject();
                    foreach (var member in value.EnumerateObject())
                    {
                        var memberName = MemberName(member, path);
                        json.WritePropertyName(memberName);
                        CopyValue(json, member.Value, path + "." + memberName);
                    }

                    json.WriteEndObject();
                    break;
                case JsonValueKind.Array:
                    json.WriteStartArray();
                    var index = 0;
                    foreach (var item in value.EnumerateArray())
                    {
                        CopyValue(json, item, $"{path}[{index++}]");
                    }

                    json.WriteEndArray();
                    break;
                default:
                    value.WriteTo(json);
                    break;
            }
        }
    }
}
