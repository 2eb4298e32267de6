using System;

namespace Mirascope.Ops.Tracing
{
    /// <summary>
    /// Limits on recorded values, set by configuration: each property reads the published
    /// <see cref="RecordingSettings"/> snapshot, and each setter publishes a new one.
    /// </summary>
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

        /// <summary>
        /// The default cap of calls per traced method and trace that record values, on top of the trace recording budget:
        /// none (<see cref="int.MaxValue"/>). 0 records every call, budget or not.
        /// </summary>
        public const int DefaultMaxRecordedCallsPerTrace = int.MaxValue;

        /// <summary>The share of its own time a trace's recording budget grows by, in percent: 5.</summary>
        public const int DefaultTraceBudgetPercent = 5;

        /// <summary>What a trace may spend recording at its start (see <see cref="TraceRecordingBudget"/>): 1 ms.</summary>
        public static readonly TimeSpan DefaultTraceBudget = TimeSpan.FromMilliseconds(1);

        /// <summary>What a trace may spend recording values before any time has passed (its first calls).</summary>
        public static TimeSpan TraceBudget
        {
            get => TimeSpan.FromTicks(RecordingSettings.Current.TraceBudgetTicks);
            set => RecordingSettings.Update(s => s.WithLimits(traceBudget: value));
        }

        /// <summary>The share of a trace's time, in percent, that its recording budget grows by.</summary>
        public static int TraceBudgetPercent
        {
            get => RecordingSettings.Current.TraceBudgetPercent;
            set => RecordingSettings.Update(s => s.WithLimits(traceBudgetPercent: value));
        }

        /// <summary>The cap, in UTF-8 bytes, of each recorded value (arguments, output, metadata, session attributes).</summary>
        public static int MaxAttributeLength
        {
            get => RecordingSettings.Current.MaxAttributeLength;
            set => RecordingSettings.Update(s => s.WithLimits(maxAttributeLength: value));
        }

        /// <summary>
        /// How many calls of one traced method may record their arguments and output in one trace, on top of the trace
        /// recording budget (<see cref="int.MaxValue"/>: no such cap); 0 records every call, without a budget.
        /// </summary>
        public static int MaxRecordedCallsPerTrace
        {
            get => RecordingSettings.Current.MaxRecordedCallsPerTrace;
            set => RecordingSettings.Update(s => s.WithLimits(maxRecordedCallsPerTrace: value));
        }

        /// <summary>How deep containers and objects nest inside one recorded value; deeper ones are a placeholder.</summary>
        public static int MaxRecordedDepth
        {
            get => RecordingSettings.Current.MaxRecordedDepth;
            set => RecordingSettings.Update(s => s.WithLimits(maxRecordedDepth: value));
        }

        /// <summary>How many values (elements, members, scalars) one recorded document visits before it is cut.</summary>
        public static int MaxRecordedValues
        {
            get => RecordingSettings.Current.MaxRecordedValues;
            set => RecordingSettings.Update(s => s.WithLimits(maxRecordedValues: value));
        }

        /// <summary>The cap of a string inside a container or object (a top-level string gets the whole document's cap).</summary>
        public static int MaxNestedStringLength
        {
            get => RecordingSettings.Current.MaxNestedStringLength;
            set => RecordingSettings.Update(s => s.WithLimits(maxNestedStringLength: value));
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
