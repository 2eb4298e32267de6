using System;
using System.Globalization;
using System.Text;
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

        public static void Write<T>(StringBuilder builder, T value)
        {
            if (typeof(T) == typeof(int)) { builder.Append(((int)(object)value!).ToString(CultureInfo.InvariantCulture)); return; }
            if (typeof(T) == typeof(long)) { builder.Append(((long)(object)value!).ToString(CultureInfo.InvariantCulture)); return; }
            if (typeof(T) == typeof(bool)) { builder.Append((bool)(object)value! ? "true" : "false"); return; }
            if (typeof(T) == typeof(double)) { WriteDouble(builder, (double)(object)value!); return; }
            if (typeof(T) == typeof(string)) { WriteString(builder, (string?)(object?)value); return; }
            WriteObject(builder, value);
        }

        public static void WriteObject(StringBuilder builder, object? value)
        {
            switch (value)
            {
                case null: builder.Append("null"); return;
                case string s: WriteString(builder, s); return;
                case bool b: builder.Append(b ? "true" : "false"); return;
                case int i: builder.Append(i.ToString(CultureInfo.InvariantCulture)); return;
                case long l: builder.Append(l.ToString(CultureInfo.InvariantCulture)); return;
                case short sh: builder.Append(sh.ToString(CultureInfo.InvariantCulture)); return;
                case sbyte sb: builder.Append(sb.ToString(CultureInfo.InvariantCulture)); return;
                case byte by: builder.Append(by.ToString(CultureInfo.InvariantCulture)); return;
                case ushort us: builder.Append(us.ToString(CultureInfo.InvariantCulture)); return;
                case uint ui: builder.Append(ui.ToString(CultureInfo.InvariantCulture)); return;
                case ulong ul: builder.Append(ul.ToString(CultureInfo.InvariantCulture)); return;
                case double d: WriteDouble(builder, d); return;
                case float f: WriteDouble(builder, f); return;
                case decimal m: builder.Append(m.ToString(CultureInfo.InvariantCulture)); return;
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

            string json;
            try
            {
                json = JsonSerializer.Serialize(value, value.GetType(), SerializerOptions);
            }
            catch (Exception ex)
            {
                OpsEventSource.Log.ValueNotSerializable(value.GetType().FullName ?? "?", ex.Message);
                WriteString(builder, SafeToString(value));
                return;
            }

            builder.Append(json);
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

        public static void WriteString(StringBuilder builder, string? value)
        {
            if (value is null)
            {
                builder.Append("null");
                return;
            }

            builder.Append('"');
            var start = 0;
            for (var i = 0; i < value.Length; i++)
            {
                var c = value[i];
                if (c >= 0x20 && c != '"' && c != '\\')
                {
                    continue;
                }

                builder.Append(value, start, i - start);
                switch (c)
                {
                    case '"': builder.Append("\\\""); break;
                    case '\\': builder.Append("\\\\"); break;
                    case '\n': builder.Append("\\n"); break;
                    case '\r': builder.Append("\\r"); break;
                    case '\t': builder.Append("\\t"); break;
                    case '\b': builder.Append("\\b"); break;
                    case '\f': builder.Append("\\f"); break;
                    default: builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                }

                start = i + 1;
            }

            builder.Append(value, start, value.Length - start);
            builder.Append('"');
        }

        private static void WriteDouble(StringBuilder builder, double value)
        {
            if (double.IsNaN(value) || double.IsInfinity(value))
            {
                // JSON has no NaN or Infinity; a string keeps the value readable instead of breaking the document.
                WriteString(builder, value.ToString(CultureInfo.InvariantCulture));
                return;
            }

            builder.Append(value.ToString("R", CultureInfo.InvariantCulture));
        }

        private static string DescribeDelegate(Delegate value)
        {
            var method = value.Method;
            return method.DeclaringType is null ? method.Name : FriendlyTypeName.Of(method.DeclaringType) + "." + method.Name;
        }
    }
}
