using System.Collections.Generic;
using System.Text;

namespace Mirascope.Ops.Fody.Versioning
{
    /// <summary>
    /// A declaration's tokens written back as C# a person reads (<c>public string Recommend(string genre)</c>): the
    /// signature shown beside a version, where the original lines would also carry the body's first brace.
    /// </summary>
    internal static class SignatureText
    {
        public static string Format(IEnumerable<string> tokens)
        {
            var text = new StringBuilder();
            string? previous = null;
            foreach (var token in tokens)
            {
                if (previous is not null && SpaceBetween(previous, token))
                {
                    text.Append(' ');
                }

                text.Append(token);
                previous = token;
            }

            return text.ToString();
        }

        private static bool SpaceBetween(string previous, string token)
        {
            if (token == "(" || token == ")" || token == "," || token == "[" || token == "]" || token == "<" || token == ">" || token == "?" || token == "." || token == ";")
            {
                return false;
            }

            return previous != "(" && previous != "[" && previous != "<" && previous != ".";
        }
    }
}
