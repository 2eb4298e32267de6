using System;

namespace Mirascope.Ops.Tracing
{
    /// <summary>Limits on recorded values, set by configuration.</summary>
    internal static class RecordingLimits
    {
        /// <summary>The default cap of one recorded value: 16 KiB of UTF-8.</summary>
        public const int DefaultMaxAttributeLength = 16 * 1024;

        /// <summary>The default depth of nested containers and objects recorded inside one value.</summary>
        public const int DefaultMaxRecordedDepth = 4;

        /// <summary>The deepest nesting <see cref="MaxRecordedDepth"/> may allow.</summary>
        public const int MaxRecordedDepthCeiling = 64;

        /// <summary>The default work budget of one recorded document: values visited (elements, members, scalars).</summary>
        public const int DefaultMaxRecordedValues = 64;

        /// <summary>The default cap, in UTF-8 bytes, of a string nested in a container or object.</summary>
        public const int DefaultMaxNestedStringLength = 1024;

        /// <summary>The default number of calls per traced method and trace whose values are recorded.</summary>
        public const int DefaultMaxRecordedCallsPerTrace = 8;

        private static volatile int _maxRecordedCallsPerTrace = DefaultMaxRecordedCallsPerTrace;
        private static volatile int _maxAttributeLength = DefaultMaxAttributeLength;
        private static volatile int _maxRecordedDepth = DefaultMaxRecordedDepth;
        private static volatile int _maxRecordedValues = DefaultMaxRecordedValues;
        private static volatile int _maxNestedStringLength = DefaultMaxNestedStringLength;

        /// <summary>The cap, in UTF-8 bytes, of each recorded value (arguments, output, metadata, session attributes).</summary>
        public static int MaxAttributeLength
        {
            get => _maxAttributeLength;
            set => _maxAttributeLength = value > 0 ? value : DefaultMaxAttributeLength;
        }

        /// <summary>
        /// How many calls of one traced method record their arguments and output in one trace (0: every call); later
        /// calls' spans carry <c>mirascope.trace.values_skipped</c> instead.
        /// </summary>
        public static int MaxRecordedCallsPerTrace
        {
            get => _maxRecordedCallsPerTrace;
            set => _maxRecordedCallsPerTrace = value >= 0 ? value : DefaultMaxRecordedCallsPerTrace;
        }

        /// <summary>How deep containers and objects nest inside one recorded value; deeper ones are a placeholder.</summary>
        public static int MaxRecordedDepth
        {
            get => _maxRecordedDepth;
            // The walk recurses once per level: the ceiling keeps a deep graph from exhausting the thread's stack.
            set => _maxRecordedDepth = value >= 0 ? Math.Min(value, MaxRecordedDepthCeiling) : DefaultMaxRecordedDepth;
        }

        /// <summary>How many values (elements, members, scalars) one recorded document visits before it is cut.</summary>
        public static int MaxRecordedValues
        {
            get => _maxRecordedValues;
            set => _maxRecordedValues = value > 0 ? value : DefaultMaxRecordedValues;
        }

        /// <summary>The cap of a string inside a container or object (a top-level string gets the whole document's cap).</summary>
        public static int MaxNestedStringLength
        {
            get => _maxNestedStringLength;
            set => _maxNestedStringLength = value > 0 ? value : DefaultMaxNestedStringLength;
        }

        /// <summary>
        /// Returns <paramref name="text"/>, or its longest prefix that, followed by the truncation marker, fits the cap
        /// in UTF-8 (the cap includes the marker). Only the prefix is copied.
        /// </summary>
        public static string Cap(string text) => Cap(text, MaxAttributeLength);

        internal static string Cap(string text, int limit)
        {
            if (text.Length <= limit / 3)
            {
                return text;
            }

            // Where the text would have to be cut to leave room for the marker; used only if the whole does not fit.
            var cutAt = -1;
            var bytes = 0;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                var cost = c < 0x80 ? 1 : c < 0x800 ? 2 : char.IsHighSurrogate(c) ? 4 : char.IsLowSurrogate(c) ? 0 : 3;
                if (cutAt < 0 && bytes + cost > limit - CappedJsonBuilder.MarkerBytes)
                {
                    cutAt = i > 0 && char.IsHighSurrogate(text[i - 1]) && cost == 0 ? i - 1 : i;
                }

                if (bytes + cost > limit)
                {
                    return text.Substring(0, Math.Max(0, cutAt)) + CappedJsonBuilder.Marker;
                }

                bytes += cost;
            }

            return text;
        }
    }
}
