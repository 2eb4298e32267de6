using System;
using System.Globalization;
using System.Text.Json;
using Mirascope.Ops.Diagnostics;

namespace Mirascope.Ops.Tracing
{
    /// <summary>
    /// Writes one recorded value as compact JSON. Numbers, booleans, strings and null are written directly
    /// (no reflection, no boxing for value types: the <c>typeof(T)</c> tests are folded by the JIT);
    /// anything else goes through System.Text.Json, and a value that cannot be serialized is recorded as its
    /// <c>ToString()</c>. Never throws.
    /// </summary>
    internal static class JsonValueWriter
    {
        private static readonly JsonSerializerOptions SerializerOptions = new JsonSerializerOptions
        {
            WriteIndented = false,
            MaxDepth = 32,
            // Recorded values are read by people and trace viewers, not embedded in HTML: keep <, > and non-ASCII text as is.
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            Converters = { new OpaqueValueConverter() },
        };

        public static void Write<T>(CappedJsonBuilder builder, T value)
        {
            if (typeof(T) == typeof(int)) { builder.AppendNumber((int)(object)value!); return; }
            if (typeof(T) == typeof(long)) { builder.AppendNumber((long)(object)value!); return; }
            if (typeof(T) == typeof(bool)) { builder.AppendAscii((bool)(object)value! ? "true" : "false"); return; }
            if (typeof(T) == typeof(double)) { WriteDouble(builder, (double)(object)value!); return; }
            if (typeof(T) == typeof(string)) { WriteString(builder, (string?)(object?)value); return; }
            WriteObject(builder, value);
        }

        public static void WriteObject(CappedJsonBuilder builder, object? value)
        {
            switch (value)
            {
                case null: builder.AppendAscii("null"); return;
                case string s: WriteString(builder, s); return;
                case bool b: builder.AppendAscii(b ? "true" : "false"); return;
                case int i: builder.AppendNumber(i); return;
                case long l: builder.AppendNumber(l); return;
                case short sh: builder.AppendNumber(sh); return;
                case sbyte sb: builder.AppendNumber(sb); return;
                case byte by: builder.AppendNumber(by); return;
                case ushort us: builder.AppendNumber(us); return;
                case uint ui: builder.AppendNumber(ui); return;
                case ulong ul: builder.AppendNumber(ul); return;
                case double d: WriteDouble(builder, d); return;
                case float f: WriteDouble(builder, f); return;
                case decimal m: builder.AppendNumber(m); return;
                case char c: WriteString(builder, c.ToString()); return;
                case Enum e: WriteString(builder, e.ToString()); return;
                case Guid g: WriteString(builder, g.ToString()); return;
                case DateTime dt: WriteString(builder, dt.ToString("O", CultureInfo.InvariantCulture)); return;
                case DateTimeOffset dto: WriteString(builder, dto.ToString("O", CultureInfo.InvariantCulture)); return;
                case TimeSpan ts: WriteString(builder, ts.ToString("c", CultureInfo.InvariantCulture)); return;
                case Uri uri: WriteString(builder, uri.OriginalString); return;
                case Delegate del: WriteString(builder, DescribeDelegate(del)); return;
                case Type type: WriteString(builder, type.FullName ?? type.Name); return;
            }

            try
            {
                builder.AppendSerialized(value, SerializerOptions);
            }
            catch (Exception ex)
            {
                OpsEventSource.Log.ValueNotSerializable(value.GetType().FullName ?? "?", ex.Message);
                WriteString(builder, SafeToString(value));
            }
        }

        public static string SafeToString(object value)
        {
            try
            {
                return value.ToString() ?? value.GetType().Name;
            }
            catch (Exception ex)
            {
                return "<" + value.GetType().Name + ": ToString() threw " + ex.GetType().Name + ">";
            }
        }

        public static void WriteString(CappedJsonBuilder builder, string? value) => builder.AppendString(value);

        private static void WriteDouble(CappedJsonBuilder builder, double value)
        {
            if (double.IsNaN(value) || double.IsInfinity(value))
            {
                // JSON has no NaN or Infinity; a string keeps the value readable instead of breaking the document.
                WriteString(builder, value.ToString(CultureInfo.InvariantCulture));
                return;
            }

            builder.AppendNumber(value, "R");
        }

        private static string DescribeDelegate(Delegate value)
        {
            var method = value.Method;
            return method.DeclaringType is null ? method.Name : FriendlyTypeName.Of(method.DeclaringType) + "." + method.Name;
        }
    }
}
