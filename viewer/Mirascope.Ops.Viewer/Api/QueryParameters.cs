using System;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Mirascope.Ops.Viewer.Api
{
    /// <summary>The query checks every read endpoint shares: no unknown parameter, none given twice, no U+0000.</summary>
    internal static class QueryParameters
    {
        /// <exception cref="BadParameterException">A parameter is not one of <paramref name="names"/>, or is given twice.</exception>
        public static void Only(IQueryCollection query, string path, params string[] names)
        {
            foreach (var (key, values) in query)
            {
                if (Array.IndexOf(names, key) < 0)
                {
                    throw new BadParameterException(Ingest.HexId.Quote(key), names.Length == 0
                        ? $"is not a parameter of {path}; it takes none"
                        : $"is not a parameter of {path}; it takes {string.Join(", ", names)}");
                }

                if (values.Count > 1)
                {
                    throw new BadParameterException(key, $"is given {values.Count} times; give it once");
                }
            }
        }

        public static string Single(IQueryCollection query, string name)
        {
            var text = query.TryGetValue(name, out StringValues values) ? values.ToString() : string.Empty;
            return text.Contains('\0', StringComparison.Ordinal) ? throw new BadParameterException(name, "must not contain the character U+0000 (%00)") : text;
        }
    }
}
