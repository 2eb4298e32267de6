using System.Globalization;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>
    /// Where the next page of the trace list starts: the last listed trace's start time and id, the list's order
    /// (<c>start_ns DESC, trace_id</c>). The next page is read from the index from there (keyset paging), so it costs the
    /// same on page 1 and page 10,000; an <c>offset</c> reads and drops every trace before it. Opaque to the client
    /// (base64url of <c>t1.{startNs}.{traceId}</c>): it is given out as <c>nextCursor</c> and only ever read back.
    /// </summary>
    internal sealed record TraceListCursor(long StartNs, string TraceId)
    {
        private const string Version = "t1";

        public string Encode() => CursorText.Encode(Version, StartNs.ToString(CultureInfo.InvariantCulture), TraceId);

        /// <summary>The cursor, or null with <paramref name="problem"/> saying why the text is not one this viewer gave out.</summary>
        public static TraceListCursor? Decode(string text, out string problem)
        {
            problem = "is not a cursor this viewer gave out (take nextCursor from a /api/traces answer as it is)";
            if (CursorText.Parts(text, Version, 3, ref problem) is not { } parts)
            {
                return null;
            }

            if (!CursorText.Number(parts[1], out var start))
            {
                problem = "has no start time; " + problem;
                return null;
            }

            if (!IsTraceId(parts[2]))
            {
                problem = "has no trace id (32 lower-case hex digits); " + problem;
                return null;
            }

            return new TraceListCursor(start, parts[2]);
        }

        private static bool IsTraceId(string text)
        {
            if (text.Length != 32)
            {
                return false;
            }

            foreach (var c in text)
            {
                if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
