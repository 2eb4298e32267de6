using System;
using Mirascope.Ops.Viewer.Ingest;
using Mirascope.Ops.Viewer.Storage;
using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

// main 22c082a's ingest code, copied verbatim but for the namespace: the benchmark's baseline (IngestDecodeBenchmarks).
namespace Mirascope.Ops.ViewerLoad.IngestBenchmark.MainBaseline
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
