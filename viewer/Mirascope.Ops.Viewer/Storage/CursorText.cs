using System;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>
    /// The envelope every keyset cursor the viewer gives out shares (<see cref="TraceListCursor"/>,
    /// <see cref="SpanSearchCursor"/>): dot-separated ASCII parts, the first a version, as base64url. Opaque to clients, so
    /// a cursor can change shape with its version; read back only through <see cref="Parts"/>, which refuses what no
    /// cursor of this viewer could be before anything else reads it.
    /// </summary>
    internal static class CursorText
    {
        /// <summary>Longest text a cursor this viewer gives out can be (a longer one is refused unread).</summary>
        public const int MaxLength = 100;

        public static string Encode(params string[] parts) => Base64Url.EncodeToString(Encoding.ASCII.GetBytes(string.Join('.', parts)));

        /// <summary>
        /// The cursor's parts when <paramref name="text"/> is base64url of <paramref name="count"/> dot-separated parts
        /// starting with <paramref name="version"/>; else null, with <paramref name="problem"/> (which says what a cursor
        /// is) made to say why.
        /// </summary>
        public static string[]? Parts(string text, string version, int count, ref string problem)
        {
            if (text.Length == 0 || text.Length > MaxLength)
            {
                problem = $"must be 1 to {MaxLength} characters, as nextCursor gives it; got {text.Length}";
                return null;
            }

            byte[] bytes;
            try
            {
                bytes = Base64Url.DecodeFromChars(text);
            }
            catch (FormatException)
            {
                problem = "is not base64url text; " + problem;
                return null;
            }

            var parts = Encoding.ASCII.GetString(bytes).Split('.');
            return parts.Length == count && parts[0] == version ? parts : null;
        }

        /// <summary>A whole number written as the viewer writes it (so one cursor has one text).</summary>
        public static bool Number(string text, out long value) =>
            long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) && value.ToString(CultureInfo.InvariantCulture) == text;
    }
}
