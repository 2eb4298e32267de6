namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>
    /// How much of a trace's span-provided text the trace list carries. The list is fetched again whenever spans arrive,
    /// so without a bound one span with a 1 MB name made every refresh 1 MB. A cut text ends in <see cref="Marker"/> and
    /// its field is named in the entry's <c>truncated</c> array; the trace view (<c>/api/traces/{id}</c>) has the whole value.
    /// </summary>
    internal static class TraceListBounds
    {
        /// <summary>Longest root name, service name or session id, in UTF-16 code units (the marker not counted).</summary>
        public const int MaxText = 200;

        /// <summary>Most tags listed per trace; <c>tagCount</c> always has the real number.</summary>
        public const int MaxTags = 20;

        /// <summary>Longest tag.</summary>
        public const int MaxTag = 100;

        /// <summary>Most annotation labels listed per trace.</summary>
        public const int MaxAnnotations = 20;

        public const string Marker = "…";

        /// <summary>The text, or its first <paramref name="max"/> code units and the marker (never splitting a surrogate pair).</summary>
        public static string Cut(string text, int max, out bool cut)
        {
            cut = text.Length > max;
            if (!cut)
            {
                return text;
            }

            var length = char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
            return text.Substring(0, length) + Marker;
        }
    }
}
