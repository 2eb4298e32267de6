using System;
using System.Globalization;
using Mirascope.Ops.Tracing;

namespace Mirascope.Ops.Spans
{
    /// <summary>
    /// Turns a user's value into a span attribute value the way Mirascope does: strings, booleans and numbers as native
    /// values; dates, ids and enums as text; anything else (lists, objects) as compact JSON. Strings are capped at
    /// <see cref="RecordingLimits.MaxAttributeLength"/>. Null means "record nothing".
    /// </summary>
    internal static class AttributeValues
    {
        private static readonly object True = true;
        private static readonly object False = false;

        public static object? From(object? value)
        {
            switch (value)
            {
                case null: return null;
                case string s: return RecordingLimits.Cap(s);
                case bool b: return b ? True : False;
                case int _: return value;
                case long _: return value;
                case double _: return value;
                case short n: return (long)n;
                case sbyte n: return (long)n;
                case byte n: return (long)n;
                case ushort n: return (long)n;
                case uint n: return (long)n;
                case ulong n: return n <= long.MaxValue ? (object)(long)n : n.ToString(CultureInfo.InvariantCulture);
                case float f: return (double)f;
                case decimal m: return (double)m;
                case char c: return c.ToString();
                case Enum e: return e.ToString();
                case Guid g: return g.ToString();
                case DateTime dt: return dt.ToString("O", CultureInfo.InvariantCulture);
                case DateTimeOffset dto: return dto.ToString("O", CultureInfo.InvariantCulture);
                case TimeSpan ts: return ts.ToString("c", CultureInfo.InvariantCulture);
                case Uri uri: return RecordingLimits.Cap(uri.OriginalString);
            }

            var json = new CappedJsonBuilder(RecordingLimits.MaxAttributeLength);
            JsonValueWriter.WriteObject(json, value);
            return json.ToString();
        }
    }
}
