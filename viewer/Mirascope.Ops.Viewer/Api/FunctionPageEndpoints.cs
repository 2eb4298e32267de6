using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Mirascope.Ops.Viewer.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Mirascope.Ops.Viewer.Storage;

namespace Mirascope.Ops.Viewer.Api
{
    /// <summary>
    /// The page's functions API: <c>GET /api/functions</c> (each function with its latest version and figures) and
    /// <c>GET /api/functions/versions?name=</c> (one function's versions: code, first and last seen, figures). Accounts mode:
    /// the functions and spans of the caller's environment only (<see cref="RequestScope.EnvironmentOf"/>).
    /// </summary>
    internal static class FunctionPageEndpoints
    {
        public static void Map(IEndpointRouteBuilder routes)
        {
            routes.MapGet("/api/functions", ListAsync).Access(AccessRule.Read).TakesQuery();
            routes.MapGet("/api/functions/versions", VersionsAsync).Access(AccessRule.Read).TakesQuery("name");
        }

        private static Task ListAsync(HttpContext context)
        {
            try
            {
                QueryParameters.Only(context);
            }
            catch (BadParameterException exception)
            {
                return JsonAnswers.MessageAsync(context, StatusCodes.Status400BadRequest, exception.Message);
            }

            var services = context.RequestServices;
            var environment = RequestScope.EnvironmentOf(context);
            var registry = services.GetRequiredService<FunctionStore>();
            var figures = services.GetRequiredService<FunctionFigures>();
            var rows = new List<(string Name, FunctionRecord? Latest, int Versions, CallFigures Figures)>();
            foreach (var (name, hashes) in figures.Names(environment))
            {
                var latest = registry.ByName(name, environment).FirstOrDefault();
                rows.Add((name, latest, hashes.Count, figures.Figures(hashes, environment)[string.Empty]));
            }

            rows.Sort((a, b) => Comparer<long>.Default.Compare(b.Figures.LastSeenNs ?? (b.Latest?.CreatedMs ?? 0) * 1_000_000, a.Figures.LastSeenNs ?? (a.Latest?.CreatedMs ?? 0) * 1_000_000));
            return JsonAnswers.WriteAsync(context, StatusCodes.Status200OK, json =>
            {
                json.WriteStartObject();
                json.WriteStartArray("functions");
                foreach (var (name, latest, versions, figure) in rows)
                {
                    json.WriteStartObject();
                    json.WriteString("name", name);
                    if (latest is null)
                    {
                        json.WriteNull("latestVersion");
                        json.WriteNull("latestFunctionId");
                        json.WriteNull("description");
                    }
                    else
                    {
                        json.WriteString("latestVersion", latest.Version);
                        json.WriteString("latestFunctionId", latest.Id);
                        if (latest.Description is null)
                        {
                            json.WriteNull("description");
                        }
                        else
                        {
                            json.WriteString("description", latest.Description);
                        }
                    }

                    json.WriteNumber("versionCount", versions);
                    figure.Write(json);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            });
        }

        private static Task VersionsAsync(HttpContext context)
        {
            string name;
            try
            {
                QueryParameters.Only(context);
                name = QueryParameters.Single(context.Request.Query, "name").Trim();
                if (name.Length == 0)
                {
                    throw new BadParameterException("name", "is required: the function's name");
                }
            }
            catch (BadParameterException exception)
            {
                return JsonAnswers.MessageAsync(context, StatusCodes.Status400BadRequest, exception.Message);
            }

            var services = context.RequestServices;
            var environment = RequestScope.EnvironmentOf(context);
            var registered = services.GetRequiredService<FunctionStore>().ByName(name, environment);
            var figureSource = services.GetRequiredService<FunctionFigures>();
            var seen = figureSource.Names(environment).TryGetValue(name, out var hashes) ? hashes : new List<string>();
            if (registered.Count == 0 && seen.Count == 0)
            {
                return JsonAnswers.MessageAsync(context, StatusCodes.Status404NotFound, $"no function named {Ingest.HexId.Quote(name)} is registered or seen in the stored spans");
            }

            var byHash = registered.ToDictionary(f => f.Hash, StringComparer.Ordinal);
            var figures = figureSource.Figures(seen.Union(byHash.Keys).ToList(), environment);
            // Registered versions newest first by number, then the hashes only seen in spans, most recently seen first.
            var unregistered = seen.Where(h => !byHash.ContainsKey(h)).OrderByDescending(h => figures[h].LastSeenNs ?? 0).ToList();
            return JsonAnswers.WriteAsync(context, StatusCodes.Status200OK, json =>
            {
                json.WriteStartObject();
                json.WriteString("name", name);
                json.WriteStartObject("totals");
                figures[string.Empty].Write(json);
                json.WriteEndObject();
                json.WriteStartArray("versions");
                foreach (var function in registered)
                {
                    json.WriteStartObject();
                    json.WriteBoolean("registered", true);
                    json.WritePropertyName("function");
                    function.Write(json);
                    json.WriteString("hash", function.Hash);
                    json.WriteString("version", function.Version);
                    figures[function.Hash].Write(json);
                    json.WriteEndObject();
                }

                foreach (var hash in unregistered)
                {
                    json.WriteStartObject();
                    json.WriteBoolean("registered", false);
                    json.WriteNull("function");
                    json.WriteString("hash", hash);
                    json.WriteNull("version");
                    figures[hash].Write(json);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            });
        }
    }
}
