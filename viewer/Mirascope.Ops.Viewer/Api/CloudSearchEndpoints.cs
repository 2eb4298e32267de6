using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Mirascope.Ops.Viewer.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Mirascope.Ops.Viewer.Storage;

namespace Mirascope.Ops.Viewer.Api
{
    /// <summary><c>POST /api/v2/traces/search</c>: the Cloud's span search (<c>SearchRequest</c> in, <c>SearchResponse</c> out).</summary>
    internal static class CloudSearchEndpoints
    {
        public const string Path = "/api/v2/traces/search";

        public static void Map(IEndpointRouteBuilder routes)
        {
            routes.MapPost(Path, context => CloudFunctionEndpoints.Guarded(context, SearchAsync)).Access(AccessRule.Read);
        }

        private static async Task SearchAsync(HttpContext context)
        {
            var search = SearchRequestReader.Read(await CloudFunctionEndpoints.ReadBodyAsync(context).ConfigureAwait(false));
            var query = context.RequestServices.GetRequiredService<SpanSearchQuery>();
            await JsonAnswers.WriteAsync(context, StatusCodes.Status200OK, json =>
            {
                search.EnvironmentId = Access.RequestScope.EnvironmentOf(context);
                query.Write(json, search);
            }).ConfigureAwait(false);
        }
    }
}
