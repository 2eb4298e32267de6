using System;
using System.Collections.Generic;
using System.Globalization;
using Mirascope.Ops.Tracing;
using Xunit;

namespace Mirascope.Ops.Tests.Runtime
{
    /// <summary>Numbers are recorded as invariant JSON numbers, whatever the thread's culture and however they reach the writer.</summary>
    public class NumberRecordingTests
    {
        public static IEnumerable<object[]> Cases() => new[]
        {
            new object[] { 0, "0" },
            new object[] { 300, "300" },
            new object[] { -1, "-1" },
            new object[] { int.MinValue, "-2147483648" },
            new object[] { int.MaxValue, "2147483647" },
            new object[] { long.MinValue, "-9223372036854775808" },
            new object[] { long.MaxValue, "9223372036854775807" },
            new object[] { short.MinValue, "-32768" },
            new object[] { sbyte.MinValue, "-128" },
            new object[] { byte.MaxValue, "255" },
            new object[] { ushort.MaxValue, "65535" },
            new object[] { uint.MaxValue, "4294967295" },
            new object[] { ulong.MaxValue, "18446744073709551615" },
            new object[] { -0.0, "-0" },
            new object[] { 0.1, "0.1" },
            new object[] { 1.0 / 3, "0.3333333333333333" },
            new object[] { -1234567.125, "-1234567.125" },
            new object[] { 1e16, "10000000000000000" },
            new object[] { 1e300, "1E+300" },
            new object[] { -2.5e-300, "-2.5E-300" },
            new object[] { double.MinValue, "-1.7976931348623157E+308" },
            new object[] { double.Epsilon, "5E-324" },
            new object[] { double.NaN, "\"NaN\"" },
            new object[] { double.PositiveInfinity, "\"Infinity\"" },
            new object[] { double.NegativeInfinity, "\"-Infinity\"" },
            new object[] { 0.1f, "0.10000000149011612" },
            new object[] { -1.5f, "-1.5" },
            new object[] { float.MaxValue, "3.4028234663852886E+38" },
            new object[] { float.NaN, "\"NaN\"" },
            new object[] { float.NegativeInfinity, "\"-Infinity\"" },
            new object[] { -1.50m, "-1.50" },
            new object[] { 1234567.890m, "1234567.890" },
            new object[] { decimal.MinValue, "-79228162514264337593543950335" },
            new object[] { 0.0000000000000000000000000001m, "0.0000000000000000000000000001" },
        };

        [Theory]
        [MemberData(nameof(Cases))]
        public void A_number_is_recorded_in_invariant_form_under_a_comma_decimal_culture(object value, string expected)
        {
            var previous = CultureInfo.CurrentCulture;
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            try
            {
                Assert.Equal(expected, Record(value));
                Assert.Equal(expected, RecordTyped(value));
            }
            finally
            {
                CultureInfo.CurrentCulture = previous;
            }
        }

        [Fact]
        public void A_number_that_reaches_the_end_of_the_buffer_is_written_whole()
        {
            for (var prefix = 100; prefix < 140; prefix++)
            {
                var builder = new CappedJsonBuilder(1000);
                builder.AppendAscii(new string(' ', prefix));

                JsonValueWriter.Write(builder, long.MinValue);
                JsonValueWriter.Write(builder, double.MinValue);

                Assert.Equal(new string(' ', prefix) + "-9223372036854775808-1.7976931348623157E+308", builder.ToString());
            }
        }

        private static string Record(object value)
        {
            var builder = new CappedJsonBuilder(1000);
            JsonValueWriter.WriteObject(builder, value);
            return builder.ToString();
        }

        /// <summary>Through <c>Write&lt;T&gt;</c> with T the value's own type, the path woven code takes for a typed argument.</summary>
        private static string RecordTyped(object value)
        {
            var builder = new CappedJsonBuilder(1000);
            typeof(JsonValueWriter).GetMethod(nameof(JsonValueWriter.Write))!.MakeGenericMethod(value.GetType()).Invoke(null, new[] { builder, value });
            return builder.ToString();
        }
    }
}
