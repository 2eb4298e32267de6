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
        /// <summary>A thread's reused buffer is let go after a text larger than this, so one huge span does not stay in memory.</summary>
        private const int KeptBufferBytes = 1 << 20;

        private static readonly JsonWriterOptions Options = new JsonWriterOptions
        {
            // Stored and served as JSON data, never pasted into HTML: keep non-ASCII text readable and compact.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            SkipValidation = false,
        };

        // The decoders' writer and buffer, one per thread and reused span after span: a decoder writes one text at a
        // time from Start to Finish on one thread, with no await in between (issue 28 item 6: a new buffer and writer
        // per text were a third of the decoder's allocations).
        [ThreadStatic]
        private static ArrayBufferWriter<byte>? t_buffer;

        [ThreadStatic]
        private static Utf8JsonWriter? t_writer;

        public static string Build(Action<Utf8JsonWriter> write)
        {
            var buffer = new ArrayBufferWriter<byte>(256);
            using (var json = new Utf8JsonWriter(buffer, Options))
            {
                write(json);
            }

            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }

        /// <summary>This thread's writer, emptied, for one text; end it with <see cref="Written"/> or <see cref="Finish"/> before the next Start.</summary>
        public static Utf8JsonWriter Start()
        {
            var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
            buffer.ResetWrittenCount();
            if (t_writer is { } writer)
            {
                writer.Reset(buffer);
                return writer;
            }

            return t_writer = new Utf8JsonWriter(buffer, Options);
        }

        /// <summary>The UTF-8 JSON written since <see cref="Start"/>; valid until the next Start on this thread.</summary>
        public static ReadOnlySpan<byte> Written(Utf8JsonWriter json)
        {
            json.Flush();
            return t_buffer!.WrittenSpan;
        }

        /// <summary>The text written since <see cref="Start"/>.</summary>
        public static string Finish(Utf8JsonWriter json)
        {
            var text = Encoding.UTF8.GetString(Written(json));
            if (t_buffer!.Capacity > KeptBufferBytes)
            {
                t_buffer = null;
                t_writer = null;
            }

            return text;
        }
    }
}
