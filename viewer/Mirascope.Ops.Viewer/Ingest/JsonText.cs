using System;
using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Mirascope.Ops.Viewer.Ingest
{
    /// <summary>Builds the compact JSON texts the store keeps.</summary>
    internal static class JsonText
    {
        private static readonly JsonWriterOptions Options = new JsonWriterOptions
        {
            // Stored and served as JSON data, never pasted into HTML: keep non-ASCII text readable and compact.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            SkipValidation = false,
        };

        public static string Build(Action<Utf8JsonWriter> write)
        {
            var buffer = new ArrayBufferWriter<byte>(256);
            using (var json = new Utf8JsonWriter(buffer, Options))
            {
                write(json);
            }

            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
    }
}
