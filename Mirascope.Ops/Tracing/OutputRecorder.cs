using System.Diagnostics;

namespace Mirascope.Ops.Tracing
{
    /// <summary>
    /// Records a traced call's result as <c>mirascope.trace.output</c>: strings, booleans, integers and floating
    /// point numbers as native attribute values; anything else as JSON; null records nothing.
    /// </summary>
    internal static class OutputRecorder
    {
        public static void Record<T>(Activity activity, T value)
        {
            if (typeof(T) == typeof(int)) { activity.SetTag(SpanAttributes.Output, (int)(object)value!); return; }
            if (typeof(T) == typeof(long)) { activity.SetTag(SpanAttributes.Output, (long)(object)value!); return; }
            if (typeof(T) == typeof(bool)) { activity.SetTag(SpanAttributes.Output, BoxedBool((bool)(object)value!)); return; }
            if (typeof(T) == typeof(double)) { activity.SetTag(SpanAttributes.Output, (double)(object)value!); return; }
            if (typeof(T) == typeof(string))
            {
                var text = (string?)(object?)value;
                if (text is not null)
                {
                    var started = Stopwatch.GetTimestamp();
                    var capped = RecordingLimits.Cap(text);
                    activity.SetTag(SpanAttributes.Output, capped);
                    TraceRecordingBudgets.Charge(activity, started, capped.Length);
                }

                return;
            }

            RecordObject(activity, value, Stopwatch.GetTimestamp());
        }

        private static void RecordObject(Activity activity, object? value, long started)
        {
            if (value is not null && ResultRecorders.TryRecord(activity, value))
            {
                return;
            }

            object? tag = value switch
            {
                null => null,
                string s => RecordingLimits.Cap(s),
                bool b => BoxedBool(b),
                int i => i,
                long l => l,
                short s => (long)s,
                sbyte s => (long)s,
                byte b => (long)b,
                ushort u => (long)u,
                uint u => (long)u,
                ulong u when u <= long.MaxValue => (long)u,
                double d => d,
                float f => (double)f,
                decimal m => (double)m,
                char c => c.ToString(),
                _ => ToJson(value),
            };

            if (tag is not null)
            {
                activity.SetTag(SpanAttributes.Output, tag);
                if (tag is string text)
                {
                    // Text and JSON cost recording in proportion to their size; numbers and booleans cost nothing more.
                    TraceRecordingBudgets.Charge(activity, started, text.Length);
                }
            }
        }

        private static string ToJson(object value)
        {
            // One builder per thread, taken while in use (serializing a value can run a traced getter).
            var builder = _builder ?? new CappedJsonBuilder(RecordingLimits.MaxAttributeLength);
            _builder = null;
            builder.Reset(RecordingLimits.MaxAttributeLength);
            JsonValueWriter.WriteObject(builder, value);
            var json = builder.ToString();
            builder.Release();
            _builder = builder;
            return json;
        }

        [System.ThreadStatic]
        private static CappedJsonBuilder? _builder;

        private static readonly object True = true;
        private static readonly object False = false;

        private static object BoxedBool(bool value) => value ? True : False;
    }
}
