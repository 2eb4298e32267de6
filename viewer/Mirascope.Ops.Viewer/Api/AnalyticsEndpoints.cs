using System;
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
    /// <summary>
    /// <c>GET /api/v2/traces/analytics?startTime=&amp;endTime=&amp;functionId=</c>: the Cloud's analytics summary (under the viewer's one
    /// access rule), and the same at <c>GET /api/analytics</c> for the page's dashboard.
    /// </summary>
    internal static class AnalyticsEndpoints
    {
        public const string CloudPath = "/api/v2/traces/analytics";
        public const string PagePath = "/api/analytics";

        private static readonly string[] Parameters = { "startTime", "endTime", "functionId" };

        public static void Map(IEndpointRouteBuilder routes)
        {
            routes.MapGet(CloudPath, context => CloudFunctionEndpoints.Guarded(context, SummaryAsync)).Access(AccessRule.Read).TakesQuery(Parameters);
            routes.MapGet(PagePath, context => CloudFunctionEndpoints.Guarded(context, SummaryAsync)).Access(AccessRule.Read).TakesQuery(Parameters);
        }

        private static Task SummaryAsync(HttpContext context)
        {
            var query = context.Request.Query;
            QueryParameters.Only(context);
            var start = Time(query, "startTime");
            var end = Time(query, "endTime");
            if (start > end)
            {
                throw new BadParameterException("startTime", "is after endTime; no span can match");
            }

            string? hash = null;
            var functionId = QueryParameters.Single(query, "functionId").Trim();
            if (functionId.Length > 0)
            {
                if (!Guid.TryParseExact(functionId, "D", out _))
                {
                    throw new BadParameterException("functionId", $"must be a UUID, got {HexId.Quote(functionId)}");
                }

                var function = context.RequestServices.GetRequiredService<FunctionStore>().Get(functionId.ToLowerInvariant(), Access.RequestScope.EnvironmentOf(context));
                if (function is null)
                {
                    return JsonAnswers.CloudErrorAsync(context, StatusCodes.Status404NotFound, "NotFoundError", $"Function with id {functionId} not found");
                }

                hash = function.Hash;
            }

            var analytics = context.RequestServices.GetRequiredService<AnalyticsQuery>();
            return JsonAnswers.WriteAsync(context, StatusCodes.Status200OK, json => analytics.Write(json, start, end, hash, Access.RequestScope.EnvironmentOf(context)));
        }

        private static long Time(IQueryCollection query, string name)
        {
            var text = QueryParameters.Single(query, name).Trim();
            if (text.Length == 0)
            {
                throw new BadParameterException(name, "is required (an ISO 8601 time)");
            }

            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
                || time.Year < 1678 || time.Year > 2261)
            {
                throw new BadParameterException(name, $"must be an ISO 8601 time between 1678 and 2261 (2026-03-01T00:00:00Z), got {HexId.Quote(text)}");
            }

            return (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        }
    }
}
