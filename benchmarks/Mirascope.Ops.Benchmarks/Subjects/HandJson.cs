using System;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Mirascope.Ops.Benchmarks.Subjects
{
    /// <summary>
    /// The argument JSON a careful person writes by hand (or a peer aspect builds from its boxed arguments): numbers
    /// formatted directly, strings and objects through System.Text.Json with the same relaxed escaping the woven code
    /// uses, so the recorded text is byte for byte the same.
    /// </summary>
    public static class HandJson
    {
        public static readonly JsonSerializerOptions Options = new JsonSerializerOptions
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };

        public static string TwoInts(int a, int b) => string.Create(CultureInfo.InvariantCulture, $"{{\"a\":{a},\"b\":{b}}}");

        public static string StringAndObject(string name, Item item) =>
            "{\"name\":" + JsonSerializer.Serialize(name, Options) + ",\"item\":" + JsonSerializer.Serialize(item, Options) + "}";

        /// <summary>The peers' version: names and boxed values, as an interceptor receives them.</summary>
        public static string Arguments(string[] names, object?[] values)
        {
            var builder = new StringBuilder(64).Append('{');
            for (var i = 0; i < values.Length; i++)
            {
                if (i > 0)
                {
                    builder.Append(',');
                }

                builder.Append('"').Append(names[i]).Append("\":");
                switch (values[i])
                {
                    case null:
                        builder.Append("null");
                        break;
                    case int number:
                        builder.Append(number.ToString(CultureInfo.InvariantCulture));
                        break;
                    case var value:
                        builder.Append(JsonSerializer.Serialize(value, value.GetType(), Options));
                        break;
                }
            }

            return builder.Append('}').ToString();
        }
    }
}
