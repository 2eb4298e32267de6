using System;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>Token matching of span names as the Cloud's search did it (ClickHouse <c>hasToken</c> on the lower-cased name).</summary>
    internal static class NameTokens
    {
        /// <summary>True when <paramref name="token"/> (lower case, letters and digits) is a whole run of letters and digits in <paramref name="text"/>.</summary>
        public static bool Contains(string text, string token)
        {
            if (token.Length == 0)
            {
                return true;
            }

            var index = 0;
            while ((index = text.IndexOf(token, index, StringComparison.OrdinalIgnoreCase)) >= 0)
            {
                var end = index + token.Length;
                if ((index == 0 || !char.IsLetterOrDigit(text[index - 1])) && (end == text.Length || !char.IsLetterOrDigit(text[end])))
                {
                    return true;
                }

                index++;
            }

            return false;
        }
    }
}
