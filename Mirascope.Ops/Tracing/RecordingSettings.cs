using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;

namespace Mirascope.Ops.Tracing
{
    /// <summary>
    /// Everything recording reads from configuration, as one immutable snapshot: the limits, the trace recording budget,
    /// the registered value formatters, and the cache of value shapes worked out under those formatters. A change
    /// publishes a whole new snapshot with one atomic swap, so a recording in progress sees either the old settings or
    /// the new ones, never a mix; and a shape is cached only in the snapshot whose formatters classified it, so a
    /// formatter registered while values are being recorded can never leave a stale shape behind.
    /// </summary>
    internal sealed class RecordingSettings
    {
        private static readonly Dictionary<Type, Func<object, string?>> NoFormatters = new Dictionary<Type, Func<object, string?>>();

        private static RecordingSettings _current = new RecordingSettings();

        private RecordingSettings()
        {
            Formatters = NoFormatters;
            Shapes = new ShapeCache();
        }

        private RecordingSettings(RecordingSettings from)
        {
            MaxAttributeLength = from.MaxAttributeLength;
            MaxRecordedDepth = from.MaxRecordedDepth;
            MaxRecordedValues = from.MaxRecordedValues;
            MaxNestedStringLength = from.MaxNestedStringLength;
            MaxRecordedCallsPerTrace = from.MaxRecordedCallsPerTrace;
            TraceBudgetTicks = from.TraceBudgetTicks;
            TraceBudgetPercent = from.TraceBudgetPercent;
            Formatters = from.Formatters;
            Shapes = from.Shapes;
        }

        /// <summary>The published snapshot; read it once per decision, not field by field across a change.</summary>
        public static RecordingSettings Current => Volatile.Read(ref _current);

        /// <summary>The settings nothing was configured for.</summary>
        public static RecordingSettings Defaults { get; } = new RecordingSettings();

        public int MaxAttributeLength { get; private set; } = RecordingLimits.DefaultMaxAttributeLength;

        public int MaxRecordedDepth { get; private set; } = RecordingLimits.DefaultMaxRecordedDepth;

        public int MaxRecordedValues { get; private set; } = RecordingLimits.DefaultMaxRecordedValues;

        public int MaxNestedStringLength { get; private set; } = RecordingLimits.DefaultMaxNestedStringLength;

        /// <summary>Calls per traced method and trace that may record (on top of the budget); 0 records every call.</summary>
        public int MaxRecordedCallsPerTrace { get; private set; } = RecordingLimits.DefaultMaxRecordedCallsPerTrace;

        /// <summary>What a trace may spend recording before any time has passed, in ticks of 100 ns (see <see cref="TraceRecordingBudget"/>).</summary>
        public long TraceBudgetTicks { get; private set; } = RecordingLimits.DefaultTraceBudget.Ticks;

        /// <summary>The share of the trace's time, in percent, that its recording budget grows by.</summary>
        public int TraceBudgetPercent { get; private set; } = RecordingLimits.DefaultTraceBudgetPercent;

        /// <summary>No budget and no per-method cap: every call records (<c>MaxRecordedCallsPerTrace = 0</c>).</summary>
        public bool RecordsEveryCall => MaxRecordedCallsPerTrace == 0;

        /// <summary>The registered formatters by type (never changed once published).</summary>
        public IReadOnlyDictionary<Type, Func<object, string?>> Formatters { get; private set; }

        /// <summary>The value shapes classified under <see cref="Formatters"/>; a formatter change starts a new one.</summary>
        public ShapeCache Shapes { get; private set; }

        /// <summary>Publishes <paramref name="settings"/> as a whole.</summary>
        public static void Publish(RecordingSettings settings) => Volatile.Write(ref _current, settings);

        /// <summary>Publishes the current settings changed by <paramref name="change"/>, atomically with respect to other changes.</summary>
        public static void Update(Func<RecordingSettings, RecordingSettings> change)
        {
            while (true)
            {
                var current = Current;
                var next = change(current);
                if (ReferenceEquals(Interlocked.CompareExchange(ref _current, next, current), current))
                {
                    return;
                }
            }
        }

        /// <summary>A copy with the given limits (each validated as <see cref="RecordingLimits"/> documents); the shape cache is kept.</summary>
        public RecordingSettings WithLimits(
            int? maxAttributeLength = null,
            int? maxRecordedDepth = null,
            int? maxRecordedValues = null,
            int? maxNestedStringLength = null,
            int? maxRecordedCallsPerTrace = null,
            TimeSpan? traceBudget = null,
            int? traceBudgetPercent = null)
        {
            var next = new RecordingSettings(this);
            if (maxAttributeLength is { } length)
            {
                next.MaxAttributeLength = length > 0 ? length : RecordingLimits.DefaultMaxAttributeLength;
            }

            if (maxRecordedDepth is { } depth)
            {
                // The walk recurses once per level: the ceiling keeps a deep graph from exhausting the thread's stack.
                next.MaxRecordedDepth = depth >= 0 ? Math.Min(depth, RecordingLimits.MaxRecordedDepthCeiling) : RecordingLimits.DefaultMaxRecordedDepth;
            }

            if (maxRecordedValues is { } values)
            {
                next.MaxRecordedValues = values > 0 ? values : RecordingLimits.DefaultMaxRecordedValues;
            }

            if (maxNestedStringLength is { } nested)
            {
                next.MaxNestedStringLength = nested > 0 ? nested : RecordingLimits.DefaultMaxNestedStringLength;
            }

            if (maxRecordedCallsPerTrace is { } calls)
            {
                next.MaxRecordedCallsPerTrace = calls >= 0 ? calls : RecordingLimits.DefaultMaxRecordedCallsPerTrace;
            }

            if (traceBudget is { } budget)
            {
                next.TraceBudgetTicks = budget >= TimeSpan.Zero ? budget.Ticks : RecordingLimits.DefaultTraceBudget.Ticks;
            }

            if (traceBudgetPercent is { } percent)
            {
                next.TraceBudgetPercent = percent >= 0 && percent <= 100 ? percent : RecordingLimits.DefaultTraceBudgetPercent;
            }

            return next;
        }

        /// <summary>A copy with <paramref name="formatters"/> and a new, empty shape cache.</summary>
        public RecordingSettings WithFormatters(IReadOnlyDictionary<Type, Func<object, string?>> formatters)
        {
            return new RecordingSettings(this)
            {
                Formatters = formatters,
                Shapes = new ShapeCache(),
            };
        }

        /// <summary>The value shapes of one formatter configuration.</summary>
        internal sealed class ShapeCache
        {
            public ConcurrentDictionary<Type, ValueShape> Shapes { get; } = new ConcurrentDictionary<Type, ValueShape>();
        }
    }
}
