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

        /// <summary>Writes one attribute value, fitted under <see cref="RecordingLimits.MaxAttributeLength"/> (see <see cref="CappedJsonDocument"/>).</summary>
        public static string Write(Action<Utf8JsonWriter> write)
        {
            using var stream = Render(write);
            var limit = RecordingLimits.MaxAttributeLength;
            if (stream.Length > limit)
            {
                using var document = JsonDocument.Parse(new ReadOnlyMemory<byte>(stream.GetBuffer(), 0, (int)stream.Length));
                using var capped = Render(writer => CappedJsonDocument.Rewrite(document.RootElement, writer, limit));
                return Text(capped);
            }

            return Text(stream);
        }

        /// <summary>Writes <paramref name="value"/> as a JSON value, recorded by the same rules as a traced call's arguments.</summary>
        public static void WriteValue(Utf8JsonWriter writer, object? value)
        {
            switch (value)
            {
                case null: writer.WriteNullValue(); return;
                case string s: writer.WriteStringValue(s); return;
                case JsonElement element: element.WriteTo(writer); return;
                case JsonDocument document: document.RootElement.WriteTo(writer); return;
                case bool b: writer.WriteBooleanValue(b); return;
                case int i: writer.WriteNumberValue(i); return;
                case long l: writer.WriteNumberValue(l); return;
                case double d when !double.IsNaN(d) && !double.IsInfinity(d): writer.WriteNumberValue(d); return;
            }

            // Anything else by the recorder's rules: no getter, ToString() or converter of the program's types runs.
            var json = new CappedJsonBuilder(RecordingLimits.MaxAttributeLength);
            JsonValueWriter.WriteObject(json, value);
            writer.WriteRawValue(json.ToString(), skipInputValidation: true);
        }

        /// <summary>
        /// Writes <paramref name="value"/> as JSON text, uncapped: it is embedded in an attribute (Mirascope's <c>args</c>
        /// shape) that is capped as a whole.
        /// </summary>
        public static string Serialize(object? value)
        {
            using var stream = Render(w => WriteValue(w, value));
            return Text(stream);
        }

        private static MemoryStream Render(Action<Utf8JsonWriter> write)
        {
            var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream, WriterOptions))
            {
                write(writer);
            }

            return stream;
        }

        private static string Text(MemoryStream stream) => Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }
}
