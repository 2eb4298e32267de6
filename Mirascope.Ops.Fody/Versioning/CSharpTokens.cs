using System.Collections.Generic;
using System.Text;

namespace Mirascope.Ops.Fody.Versioning
{
    /// <summary>
    /// Splits C# source into tokens with comments and whitespace dropped, keeping string and character literals
    /// intact. Two texts that differ only in layout or comments give the same tokens.
    /// </summary>
    internal static class CSharpTokens
    {
        public static List<string> Tokenize(string text)
        {
            var tokens = new List<string>();
            var i = 0;
            while (i < text.Length)
            {
                var c = text[i];
                if (char.IsWhiteSpace(c))
                {
                    i++;
                }
                else if (c == '/' && Peek(text, i + 1) == '/')
                {
                    while (i < text.Length && text[i] != '\n')
                    {
                        i++;
                    }
                }
                else if (c == '/' && Peek(text, i + 1) == '*')
                {
                    var end = text.IndexOf("*/", i + 2, System.StringComparison.Ordinal);
                    i = end < 0 ? text.Length : end + 2;
                }
                else if (c == '"' || (c == '\'' ) || ((c == '@' || c == '$') && IsStringStart(text, i)))
                {
                    var start = i;
                    i = SkipLiteral(text, i);
                    tokens.Add(text.Substring(start, i - start));
                }
                else if (char.IsLetterOrDigit(c) || c == '_')
                {
                    var start = i;
                    while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_' || (text[i] == '.' && char.IsDigit(Peek(text, i + 1)) && char.IsDigit(text[start]))))
                    {
                        i++;
                    }

                    tokens.Add(text.Substring(start, i - start));
                }
                else
                {
                    tokens.Add(c.ToString());
                    i++;
                }
            }

            return tokens;
        }

        public static string Normalize(IEnumerable<string> tokens)
        {
            var builder = new StringBuilder();
            foreach (var token in tokens)
            {
                if (builder.Length > 0)
                {
                    builder.Append(' ');
                }

                builder.Append(token);
            }

            return builder.ToString();
        }

        private static char Peek(string text, int index) => index < text.Length ? text[index] : '\0';

        private static bool IsStringStart(string text, int i)
        {
            while (i < text.Length && (text[i] == '@' || text[i] == '$'))
            {
                i++;
            }

            return Peek(text, i) == '"';
        }

        /// <summary>Skips a literal starting at <paramref name="i"/>: "..." with escapes, @"..." with "", $"...", raw """...""".</summary>
        private static int SkipLiteral(string text, int i)
        {
            var verbatim = false;
            while (text[i] == '@' || text[i] == '$')
            {
                verbatim |= text[i] == '@';
                i++;
            }

            var quote = text[i];
            if (quote == '"' && Peek(text, i + 1) == '"' && Peek(text, i + 2) == '"')
            {
                var count = 0;
                while (Peek(text, i) == '"')
                {
                    count++;
                    i++;
                }

                var closing = new string('"', count);
                var end = text.IndexOf(closing, i, System.StringComparison.Ordinal);
                return end < 0 ? text.Length : end + count;
            }

            i++;
            while (i < text.Length)
            {
                var c = text[i];
                if (!verbatim && c == '\\')
                {
                    i += 2;
                    continue;
                }

                if (c == quote)
                {
                    if (verbatim && Peek(text, i + 1) == quote)
                    {
                        i += 2;
                        continue;
                    }

                    return i + 1;
                }

                if (!verbatim && c == '\n')
                {
                    return i;
                }

                i++;
            }

            return i;
        }
    }
}
