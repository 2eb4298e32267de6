using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Primitives;

namespace Mirascope.Ops.Viewer.Api
{
    /// <summary>The query checks every read endpoint shares: no unknown parameter, none given twice, no U+0000.</summary>
    internal static class QueryParameters
    {
        /// <summary>
        /// Checks the query against the names the route declared (<see cref="QueryParameterNames"/>, none when it declared
        /// nothing): the route table says which parameters each endpoint takes, and the tests read them from it.
        /// </summary>
        /// <exception cref="BadParameterException">A parameter is not one of them, or is given twice.</exception>
        public static void Only(HttpContext context)
        {
            var endpoint = context.GetEndpoint();
            var names = endpoint?.Metadata.GetMetadata<QueryParameterNames>()?.Names.ToArray() ?? Array.Empty<string>();
            var path = (endpoint as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.Value ?? string.Empty;
            Only(context.Request.Query, path, names);
        }

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

    /// <summary>The query parameters a route takes, declared on the route (<c>.TakesQuery("limit", "offset")</c>).</summary>
    internal sealed class QueryParameterNames
    {
        public QueryParameterNames(IReadOnlyList<string> names)
        {
            Names = names;
        }

        public IReadOnlyList<string> Names { get; }
    }

    internal static class QueryParameterNamesExtensions
    {
        public static TBuilder TakesQuery<TBuilder>(this TBuilder builder, params string[] names) where TBuilder : IEndpointConventionBuilder =>
            builder.WithMetadata(new QueryParameterNames(names));
    }
}
