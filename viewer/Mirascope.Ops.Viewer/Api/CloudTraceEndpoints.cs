using System.Globalization;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Mirascope.Ops.Viewer.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Mirascope.Ops.Viewer.Ingest;
using Mirascope.Ops.Viewer.Storage;

namespace Mirascope.Ops.Viewer.Api
{
    /// <summary><c>GET /api/v2/traces/{traceId}</c> and <c>GET /api/v2/traces/function/hash/{hash}</c>, the Cloud's trace reads.</summary>
    internal static class CloudTraceEndpoints
    {
        public static void Map(IEndpointRouteBuilder routes)
        {
            routes.MapGet("/api/v2/traces/{traceId}", context => CloudFunctionEndpoints.Guarded(context, DetailAsync)).Access(AccessRule.Read).TakesQuery();
            routes.MapGet("/api/v2/traces/function/hash/{hash}", context => CloudFunctionEndpoints.Guarded(context, TracesOfVersionAsync)).Access(AccessRule.Read).TakesQuery("limit", "offset");
        }

        private static Task DetailAsync(HttpContext context)
        {
            QueryParameters.Only(context);
            var text = (string)context.Request.RouteValues["traceId"]!;
            var traceId = HexId.Normalize(text, HexId.TraceIdLength, out var problem) ?? throw new BadParameterException("traceId", problem!);
            var queries = context.RequestServices.GetRequiredService<CloudTraceQueries>();
            return JsonAnswers.WriteAsync(context, StatusCodes.Status200OK, json => queries.WriteDetail(json, traceId, Access.RequestScope.EnvironmentOf(context)));
        }

        private static Task TracesOfVersionAsync(HttpContext context)
        {
            var query = context.Request.Query;
            QueryParameters.Only(context);
            var hash = (string)context.Request.RouteValues["hash"]!;
            var limit = Number(query, "limit", 1, CloudTraceQueries.MaxLimit, CloudTraceQueries.DefaultLimit);
            var offset = Number(query, "offset", 0, 100_000, 0);
            if (context.RequestServices.GetRequiredService<FunctionStore>().FindByHash(hash, Access.RequestScope.EnvironmentOf(context)) is null)
            {
                return JsonAnswers.CloudErrorAsync(context, StatusCodes.Status404NotFound, "NotFoundError", $"Function with hash {hash} not found");
            }

            var queries = context.RequestServices.GetRequiredService<CloudTraceQueries>();
            return JsonAnswers.WriteAsync(context, StatusCodes.Status200OK, json => queries.WriteTracesOfVersion(json, hash, limit, offset, Access.RequestScope.EnvironmentOf(context)));
        }

        private static int Number(IQueryCollection query, string name, int min, int max, int fallback)
        {
            var text = QueryParameters.Single(query, name).Trim();
            if (text.Length == 0)
            {
                return fallback;
            }

            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
                ? value
                : throw new BadParameterException(name, $"must be a whole number from {min} to {max}, got {HexId.Quote(text)}");
        }
    }
}
