using System;
using System.Globalization;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>
    /// Where the next page of a Cloud span search (<c>POST /api/v2/traces/search</c>) starts: the sort it was given out
    /// for, and the last listed span's sort value and <c>seq</c> (the search's order is <c>{sort} {direction}, seq</c>).
    /// The next page is read from there (keyset paging), so page 200 costs what page 1 does; an <c>offset</c> reads and
    /// drops every span before it. Opaque to the client (base64url of <c>s1.{sort}.{a|d}.{value}.{seq}</c>): it is given out
    /// as <c>nextCursor</c> and only ever read back, with the same sort.
    /// </summary>
    internal sealed record SpanSearchCursor(string SortBy, bool Descending, long Value, long Seq)
    {
        private const string Version = "s1";

        private static readonly string[] SortCodes = { "start_time", "t", "duration_ms", "d", "total_tokens", "k" };

        public string Encode() => CursorText.Encode(Version, CodeOf(SortBy), Descending ? "d" : "a",
            Value.ToString(CultureInfo.InvariantCulture), Seq.ToString(CultureInfo.InvariantCulture));

        /// <summary>
        /// The cursor, or null with <paramref name="problem"/> saying why the text is not one this viewer gave out for a
        /// search sorted by <paramref name="sortBy"/> in that direction.
        /// </summary>
        public static SpanSearchCursor? Decode(string text, string sortBy, bool descending, out string problem)
        {
            problem = "is not a cursor this viewer gave out (take nextCursor from a search answer as it is)";
            if (CursorText.Parts(text, Version, 5, ref problem) is not { } parts || SortOf(parts[1]) is not { } sort || parts[2] is not ("a" or "d"))
            {
                return null;
            }

            if (!CursorText.Number(parts[3], out var value) || !CursorText.Number(parts[4], out var seq) || seq < 0)
            {
                problem = "has no sort value and sequence number; " + problem;
                return null;
            }

            if (sort != sortBy || (parts[2] == "d") != descending)
            {
                // A cursor marks a place in one order; in another it would skip or repeat spans.
                problem = $"was given out for sortBy {sort} {(parts[2] == "d" ? "desc" : "asc")}, and this search sorts by {sortBy} {(descending ? "desc" : "asc")}; a cursor continues the search it came from";
                return null;
            }

            return new SpanSearchCursor(sort, descending, value, seq);
        }

        private static string CodeOf(string sortBy)
        {
            for (var i = 0; i < SortCodes.Length; i += 2)
            {
                if (SortCodes[i] == sortBy)
                {
                    return SortCodes[i + 1];
                }
            }

            throw new ArgumentException($"unknown sort {sortBy}", nameof(sortBy));
        }

        private static string? SortOf(string code)
        {
            for (var i = 1; i < SortCodes.Length; i += 2)
            {
                if (SortCodes[i] == code)
                {
                    return SortCodes[i - 1];
                }
            }

            return null;
        }
    }
}
