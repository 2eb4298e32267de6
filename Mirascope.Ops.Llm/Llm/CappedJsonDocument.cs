using System.Text.Json;
using Mirascope.Ops.Tracing;

namespace Mirascope.Ops.Llm
{
    /// <summary>
    /// Fits a JSON attribute value (messages, tool definitions, ...) under the recording cap while keeping it a valid
    /// document of the same shape, so trace viewers can still parse it: string values are cut and end in the truncation
    /// marker, and array items that come after the cap is reached are left out. Only the structure written before the
    /// cap (and the closing brackets) can take the result a few bytes past it.
    /// </summary>
    internal static class CappedJsonDocument
    {
        /// <summary>Rewrites <paramref name="json"/> to fit <paramref name="maxBytes"/> UTF-8 bytes.</summary>
        public static void Rewrite(JsonElement json, Utf8JsonWriter writer, int maxBytes)
        {
            var budget = new Budget(writer, maxBytes);
            Write(json, writer, budget);
        }

        private static void Write(JsonElement element, Utf8JsonWriter writer, Budget budget)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    // Objects stay whole (their properties are the schema: "type", "role", ...); their strings are cut.
                    writer.WriteStartObject();
                    foreach (var property in element.EnumerateObject())
                    {
                        writer.WritePropertyName(property.Name);
                        Write(property.Value, writer, budget);
                    }

                    writer.WriteEndObject();
                    return;
                case JsonValueKind.Array:
                    writer.WriteStartArray();
                    foreach (var item in element.EnumerateArray())
                    {
                        if (budget.Remaining <= 0)
                        {
                            break;
                        }

                        Write(item, writer, budget);
                    }

                    writer.WriteEndArray();
                    return;
                case JsonValueKind.String:
                    WriteString(element.GetString()!, writer, budget);
                    return;
                default:
                    element.WriteTo(writer);
                    return;
            }
        }

        private static void WriteString(string value, Utf8JsonWriter writer, Budget budget)
        {
            // Escaping can make the written text several times its UTF-8 size (quotes, control characters, and
            // characters outside the BMP, which the encoder writes as two \u escapes): size the cut by the escaped text.
            var room = budget.Remaining - 2;
            var limit = room - CappedJsonBuilder.MarkerBytes;
            for (var attempt = 0; ; attempt++)
            {
                var encoded = JsonEncodedText.Encode(RecordingLimits.Cap(value, limit > 0 ? (int)limit : 0), writer.Options.Encoder);
                var size = encoded.EncodedUtf8Bytes.Length;
                if (size <= room || limit <= 0 || attempt == 4)
                {
                    writer.WriteStringValue(encoded);
                    return;
                }

                limit = (limit * room / size) - 1;
            }
        }

        private sealed class Budget
        {
            private readonly Utf8JsonWriter _writer;
            private readonly long _max;

            public Budget(Utf8JsonWriter writer, int max)
            {
                _writer = writer;
                _max = max;
            }

            public long Remaining => _max - (_writer.BytesCommitted + _writer.BytesPending);
        }
    }
}
