#if NET8_0_OR_GREATER
// On netstandard2.0 the runtime does not reference System.Text.Json (a package there, and the one dependency a
// library pinning its own version would fight over): on .NET Framework a JSON document is a "<JsonElement>" placeholder.
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mirascope.Ops.Tracing
{
    /// <summary>
    /// Records System.Text.Json's own documents (<see cref="JsonElement"/>, <see cref="JsonDocument"/>,
    /// <see cref="JsonNode"/>) as the JSON they hold, walked element by element under the same budgets as any value.
    /// A <see cref="JsonValue"/> that wraps a .NET object is recorded as that object, under the same rules.
    /// </summary>
    internal static class JsonDomWriter
    {
        public static bool TryWrite(CappedJsonBuilder builder, object value, out bool written)
        {
            switch (value)
            {
                case JsonElement element:
                    written = Write(builder, element);
                    return true;
                case JsonDocument document:
                    written = Write(builder, document.RootElement);
                    return true;
                case JsonNode node:
                    written = Write(builder, node);
                    return true;
                default:
                    written = false;
                    return false;
            }
        }

        private static bool Write(CappedJsonBuilder builder, JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                {
                    if (builder.Walk.Depth >= RecordingLimits.MaxRecordedDepth)
                    {
                        return builder.AppendString("<JSON: max depth>");
                    }

                    if (!Open(builder, '{'))
                    {
                        return false;
                    }

                    var first = true;
                    foreach (var property in element.EnumerateObject())
                    {
                        var mark = builder.Mark;
                        if (!first) builder.Comma();
                        if (!JsonValueWriter.Element(builder, mark, JsonValueWriter.WriteName(builder, property.Name) && JsonValueWriter.TakeValue(builder) && Write(builder, property.Value), true, ref first)) break;
                    }

                    return JsonValueWriter.Exit(builder, '}', first);
                }

                case JsonValueKind.Array:
                {
                    if (builder.Walk.Depth >= RecordingLimits.MaxRecordedDepth)
                    {
                        return builder.AppendString("<JSON: max depth>");
                    }

                    if (!Open(builder, '['))
                    {
                        return false;
                    }

                    var first = true;
                    foreach (var item in element.EnumerateArray())
                    {
                        var mark = builder.Mark;
                        if (!first) builder.Comma();
                        if (!JsonValueWriter.Element(builder, mark, JsonValueWriter.TakeValue(builder) && Write(builder, item), false, ref first)) break;
                    }

                    return JsonValueWriter.Exit(builder, ']', first);
                }

                case JsonValueKind.String: return JsonValueWriter.WriteString(builder, element.GetString());
                case JsonValueKind.Number: return builder.TryAppendToken(element.GetRawText());
                case JsonValueKind.True: return builder.TryAppendToken("true");
                case JsonValueKind.False: return builder.TryAppendToken("false");
                default: return builder.TryAppendToken("null");
            }
        }

        private static bool Write(CappedJsonBuilder builder, JsonNode? node)
        {
            switch (node)
            {
                case null: return builder.TryAppendToken("null");
                case JsonObject obj:
                {
                    if (builder.Walk.Depth >= RecordingLimits.MaxRecordedDepth)
                    {
                        return builder.AppendString("<JSON: max depth>");
                    }

                    if (!Open(builder, '{'))
                    {
                        return false;
                    }

                    var first = true;
                    foreach (var property in obj)
                    {
                        var mark = builder.Mark;
                        if (!first) builder.Comma();
                        if (!JsonValueWriter.Element(builder, mark, JsonValueWriter.WriteName(builder, property.Key) && JsonValueWriter.TakeValue(builder) && Write(builder, property.Value), true, ref first)) break;
                    }

                    return JsonValueWriter.Exit(builder, '}', first);
                }

                case JsonArray array:
                {
                    if (builder.Walk.Depth >= RecordingLimits.MaxRecordedDepth)
                    {
                        return builder.AppendString("<JSON: max depth>");
                    }

                    if (!Open(builder, '['))
                    {
                        return false;
                    }

                    var first = true;
                    foreach (var item in array)
                    {
                        var mark = builder.Mark;
                        if (!first) builder.Comma();
                        if (!JsonValueWriter.Element(builder, mark, JsonValueWriter.TakeValue(builder) && Write(builder, item), false, ref first)) break;
                    }

                    return JsonValueWriter.Exit(builder, ']', first);
                }

                case JsonValue leaf:
                    if (leaf.TryGetValue<JsonElement>(out var element))
                    {
                        return Write(builder, element);
                    }

                    // A value node over a .NET value (JsonValue.Create(x)): recorded as that value, by the same rules.
                    return leaf.TryGetValue<object>(out var wrapped)
                        ? JsonValueWriter.WriteValue(builder, wrapped)
                        : builder.AppendString("<JsonValue>");
                default:
                    return builder.AppendString("<" + FriendlyTypeName.Of(node.GetType()) + ">");
            }
        }

        // The JSON document's nesting counts against the depth limit like any container's.
        private static bool Open(CappedJsonBuilder builder, char bracket)
        {
            if (!builder.Open(bracket))
            {
                return false;
            }

            builder.Walk.Enter(null);
            return true;
        }
    }
}
#endif
