using System;
using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text;

namespace Mirascope.Ops.Viewer.Ingest
{
    /// <summary>
    /// Reads JSON strings that a sender may have broken. <see cref="JsonDocument"/> checks the syntax but not that a string
    /// is Unicode text: raw bytes that are not UTF-8, or an escaped lone surrogate (<c>"\ud800"</c>, valid JSON), only
    /// fail when the string is read, with an <see cref="InvalidOperationException"/> that would otherwise become a 500.
    /// </summary>
    internal static class JsonStrings
    {
        /// <summary>The string's text, or null with <paramref name="problem"/> saying why it is not Unicode text.</summary>
        public static string? TryRead(JsonElement element, out string? problem)
        {
            try
            {
                problem = null;
                return element.GetString()!;
            }
            catch (InvalidOperationException)
            {
                problem = Why(element);
                return null;
            }
        }

        private static string Why(JsonElement element)
        {
            // The string as it is in the body, quotes included and escapes still escaped.
            var raw = JsonMarshal.GetRawUtf8Value(element);
            var offset = 0;
            while (offset < raw.Length)
            {
                if (Rune.DecodeFromUtf8(raw.Slice(offset), out _, out var consumed) != OperationStatus.Done)
                {
                    return $"is not valid UTF-8 (byte 0x{raw[offset]:X2} at byte {offset - 1} of the string); JSON text must be UTF-8";
                }

                offset += consumed;
            }

            return "holds an escaped lone surrogate (a \\uD800-\\uDFFF escape without its pair), which is not Unicode text";
        }
    }
}
