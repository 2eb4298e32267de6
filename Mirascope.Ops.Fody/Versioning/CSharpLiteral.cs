using System;
using System.Globalization;
using System.Linq;
using System.Text;
using Mono.Cecil;

namespace Mirascope.Ops.Fody.Versioning
{
    /// <summary>
    /// A <c>const</c> field's metadata value written as the C# literal a person would write for it, for the code the
    /// function page shows: <c>"Say \"hi\"\n"</c>, <c>'\''</c>, <c>true</c>, <c>0.1</c>, <c>0.95f</c>, <c>Tone.Warm</c>.
    /// Numbers in the invariant culture, floating point in their shortest round-trip form.
    /// </summary>
    internal static class CSharpLiteral
    {
        public static string Of(object? constant, TypeReference fieldType) => constant switch
        {
            null => "null",
            string text => Quoted(text, '"'),
            char character => Quoted(character.ToString(), '\''),
            bool flag => flag ? "true" : "false",
            double number => Double(number),
            float number => Single(number),
            IFormattable integer when Enum(fieldType) is { } enumType => EnumMember(enumType, integer),
            IFormattable integer => integer.ToString(null, CultureInfo.InvariantCulture),
            _ => constant.ToString() ?? string.Empty,
        };

        private static string Double(double number) =>
            double.IsNaN(number) ? "double.NaN"
            : double.IsPositiveInfinity(number) ? "double.PositiveInfinity"
            : double.IsNegativeInfinity(number) ? "double.NegativeInfinity"
            : RoundTrip(number.ToString("R", CultureInfo.InvariantCulture), s => double.Parse(s, CultureInfo.InvariantCulture) == number, number.ToString("G17", CultureInfo.InvariantCulture));

        private static string Single(float number) =>
            float.IsNaN(number) ? "float.NaN"
            : float.IsPositiveInfinity(number) ? "float.PositiveInfinity"
            : float.IsNegativeInfinity(number) ? "float.NegativeInfinity"
            : RoundTrip(number.ToString("R", CultureInfo.InvariantCulture), s => float.Parse(s, CultureInfo.InvariantCulture) == number, number.ToString("G9", CultureInfo.InvariantCulture)) + "f";

        /// <summary>"R" is the shortest round-trip form on .NET Core 3.0 and later; older frameworks (a weaver run by
        /// MSBuild on .NET Framework) can miss by one digit, where the full precision form is taken instead.</summary>
        private static string RoundTrip(string shortest, Func<string, bool> roundTrips, string full) => roundTrips(shortest) ? shortest : full;

        private static TypeDefinition? Enum(TypeReference fieldType)
        {
            try
            {
                return fieldType.Resolve() is { IsEnum: true } definition ? definition : null;
            }
            catch (AssemblyResolutionException)
            {
                return null;
            }
        }

        /// <summary><c>Tone.Warm</c> for a named value; <c>(Tone)3</c> for any other (a combination of flags).</summary>
        private static string EnumMember(TypeDefinition enumType, IFormattable value)
        {
            var member = enumType.Fields.FirstOrDefault(f => f.HasConstant && Equals(f.Constant, value));
            var name = CSharpTypeName.Format(enumType);
            return member is null ? "(" + name + ")" + value.ToString(null, CultureInfo.InvariantCulture) : name + "." + member.Name;
        }

        /// <summary>
        /// The text in quotes, with the escapes a person writes: quote and backslash, the named control characters,
        /// <c>\uXXXX</c> for other control characters, line and paragraph separators and unpaired surrogates; other
        /// characters (accents, emoji) as themselves.
        /// </summary>
        private static string Quoted(string text, char quote)
        {
            var builder = new StringBuilder(text.Length + 2).Append(quote);
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                switch (c)
                {
                    case '\\': builder.Append("\\\\"); continue;
                    case '\0': builder.Append("\\0"); continue;
                    case '\a': builder.Append("\\a"); continue;
                    case '\b': builder.Append("\\b"); continue;
                    case '\f': builder.Append("\\f"); continue;
                    case '\n': builder.Append("\\n"); continue;
                    case '\r': builder.Append("\\r"); continue;
                    case '\t': builder.Append("\\t"); continue;
                    case '\v': builder.Append("\\v"); continue;
                }

                if (c == quote)
                {
                    builder.Append('\\').Append(c);
                }
                else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    builder.Append(c).Append(text[++i]);
                }
                else if (char.IsControl(c) || char.IsSurrogate(c) || c == '\u2028' || c == '\u2029')
                {
                    builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                }
                else
                {
                    builder.Append(c);
                }
            }

            return builder.Append(quote).ToString();
        }
    }
}
