using System;

namespace Mirascope.Ops.Viewer.Ingest
{
    /// <summary>Trace and span ids: lowercase hex of a fixed length, never all zeros (OTLP calls those invalid).</summary>
    internal static class HexId
    {
        public const int TraceIdLength = 32;
        public const int SpanIdLength = 16;

        /// <summary>The id in lowercase, or null with <paramref name="problem"/> saying why it is not valid.</summary>
        public static string? Normalize(string text, int length, out string? problem)
        {
            if (text.Length != length)
            {
                problem = $"must be {length} hex characters, got {text.Length} ({Quote(text)})";
                return null;
            }

            var allZero = true;
            foreach (var c in text)
            {
                if (!Uri.IsHexDigit(c))
                {
                    problem = $"must be hex characters, got {Quote(text)}";
                    return null;
                }

                allZero &= c == '0';
            }

            if (allZero)
            {
                problem = "must not be all zeros";
                return null;
            }

            problem = null;
            return text.ToLowerInvariant();
        }

        /// <summary>Bytes of an id (protobuf) as lowercase hex, or null with the problem.</summary>
        public static string? FromBytes(ReadOnlySpan<byte> bytes, int length, out string? problem)
        {
            if (bytes.Length != length / 2)
            {
                problem = $"must be {length / 2} bytes, got {bytes.Length}";
                return null;
            }

            return Normalize(Convert.ToHexStringLower(bytes), length, out problem);
        }

        /// <summary>Shows a value in a message, shortened so a huge bad value does not flood the answer.</summary>
        public static string Quote(string text) => "\"" + (text.Length <= 40 ? text : text.Substring(0, 40) + "…") + "\"";
    }
}
