namespace Mirascope.Ops.Tracing
{
    /// <summary>Limits on recorded values, set by configuration.</summary>
    internal static class RecordingLimits
    {
        /// <summary>The default cap of one recorded value: 16 KiB of UTF-8.</summary>
        public const int DefaultMaxAttributeLength = 16 * 1024;

        private static volatile int _maxAttributeLength = DefaultMaxAttributeLength;

        /// <summary>The cap, in UTF-8 bytes, of each recorded value (arguments, output, metadata, session attributes).</summary>
        public static int MaxAttributeLength
        {
            get => _maxAttributeLength;
            set => _maxAttributeLength = value > 0 ? value : DefaultMaxAttributeLength;
        }

        /// <summary>
        /// Returns <paramref name="text"/>, or its longest prefix that fits the cap in UTF-8 followed by the truncation
        /// marker. Only the prefix is copied.
        /// </summary>
        public static string Cap(string text) => Cap(text, MaxAttributeLength);

        internal static string Cap(string text, int limit)
        {
            if (text.Length <= limit / 3)
            {
                return text;
            }

            var bytes = 0;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                var cost = c < 0x80 ? 1 : c < 0x800 ? 2 : char.IsHighSurrogate(c) ? 4 : char.IsLowSurrogate(c) ? 0 : 3;
                if (bytes + cost > limit)
                {
                    var cut = i > 0 && char.IsHighSurrogate(text[i - 1]) ? i - 1 : i;
                    return text.Substring(0, cut) + CappedJsonBuilder.Marker;
                }

                bytes += cost;
            }

            return text;
        }
    }
}
