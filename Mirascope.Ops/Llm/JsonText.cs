using System;
using System.IO;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Mirascope.Ops.Tracing;

namespace Mirascope.Ops.Llm
{
    /// <summary>
    /// Builds one compact JSON attribute value with a <see cref="Utf8JsonWriter"/>, and embeds arbitrary values
    /// (tool arguments, tool results, JSON schemas) without letting a value that cannot be serialized break the document.
    /// </summary>
    internal static class JsonText
    {
        private static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions
        {
            Indented = false,
            SkipValidation = false,
            // Attributes are read by people and trace viewers, not embedded in HTML: keep <, > and non-ASCII text as is.
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };

        public static string Write(Action<Utf8JsonWriter> write)
        {
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream, WriterOptions))
            {
                write(writer);
            }

            return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
        }

        /// <summary>Writes <paramref name="value"/> as a JSON value: serialized when it can be, else its text.</summary>
        public static void WriteValue(Utf8JsonWriter writer, object? value)
        {
            switch (value)
            {
                case null: writer.WriteNullValue(); return;
                case string s: writer.WriteStringValue(s); return;
                case JsonElement element: element.WriteTo(writer); return;
                case bool b: writer.WriteBooleanValue(b); return;
                case int i: writer.WriteNumberValue(i); return;
                case long l: writer.WriteNumberValue(l); return;
                case double d when !double.IsNaN(d) && !double.IsInfinity(d): writer.WriteNumberValue(d); return;
            }

            string json;
            try
            {
                // AIJsonUtilities.DefaultOptions knows the M.E.AI types (AIContent, JsonElement-backed arguments, ...).
                json = JsonSerializer.Serialize(value, value.GetType(), AIJsonUtilities.DefaultOptions);
            }
            catch (Exception)
            {
                writer.WriteStringValue(JsonValueWriter.SafeToString(value));
                return;
            }

            writer.WriteRawValue(json, skipInputValidation: true);
        }

        /// <summary>Writes <paramref name="value"/> as a JSON string holding its JSON (Mirascope's <c>args</c> shape).</summary>
        public static string Serialize(object? value) => Write(w => WriteValue(w, value));
    }
}
