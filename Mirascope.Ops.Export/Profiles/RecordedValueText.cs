using System;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Mirascope.Ops.Profiles
{
    /// <summary>
    /// Mirascope's recorded values as the text and mime type the backends' input and output keys take. A recorded
    /// output is a native string, boolean or number, or JSON text (docs: "What a traced call records"); the string is
    /// passed on as it is (the same instance, never copied or re-serialized).
    /// </summary>
    internal static class RecordedValueText
    {
        /// <summary>The recorded value as text: strings as they are, booleans and numbers in JSON's spelling.</summary>
        public static string? Text(object? value) => value switch
        {
            null => null,
            string s => s,
            bool b => b ? "true" : "false",
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            float f => f.ToString("R", CultureInfo.InvariantCulture),
            IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };

        /// <summary>
        /// <c>application/json</c> for a number, a boolean, or text that is a JSON object or array (an object or a
        /// collection Mirascope recorded as JSON); <c>text/plain</c> for other text (a string result).
        /// </summary>
        public static string MimeType(object? value) => value switch
        {
            string s => IsJsonDocument(s) ? ProfileKeys.Json : ProfileKeys.Text,
            _ => ProfileKeys.Json,
        };

        /// <summary>Text that starts like a JSON object or array and parses as one.</summary>
        public static bool IsJsonDocument(string text)
        {
            var start = 0;
            while (start < text.Length && char.IsWhiteSpace(text[start]))
            {
                start++;
            }

            if (start == text.Length || (text[start] != '{' && text[start] != '['))
            {
                return false;
            }

            try
            {
                using (JsonDocument.Parse(text))
                {
                    return true;
                }
            }
            catch (JsonException)
            {
                return false;
            }
        }
    }
}
