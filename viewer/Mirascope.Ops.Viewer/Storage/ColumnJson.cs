using System.Data.Common;
using System.Text.Json;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>Writing a column of a read row as a JSON property (SQL NULL as JSON null), for the read queries' documents.</summary>
    internal static class ColumnJson
    {
        /// <summary>The page's name of an OpenTelemetry status code: <c>ok</c>, <c>error</c> or <c>unset</c>.</summary>
        public static string StatusName(int code) => code switch { 1 => "ok", 2 => "error", _ => "unset" };

        public static void WriteNullableString(Utf8JsonWriter json, string name, DbDataReader reader, int ordinal)
        {
            if (reader.IsDBNull(ordinal))
            {
                json.WriteNull(name);
            }
            else
            {
                json.WriteString(name, reader.GetString(ordinal));
            }
        }

        public static void WriteNullableNumber(Utf8JsonWriter json, string name, DbDataReader reader, int ordinal)
        {
            if (reader.IsDBNull(ordinal))
            {
                json.WriteNull(name);
            }
            else
            {
                json.WriteNumber(name, reader.GetInt64(ordinal));
            }
        }
    }
}
