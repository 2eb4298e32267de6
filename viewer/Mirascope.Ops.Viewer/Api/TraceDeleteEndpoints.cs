using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Mirascope.Ops.Viewer.Access;
using Mirascope.Ops.Viewer.Ingest;
using Mirascope.Ops.Viewer.Storage;
using Mirascope.Ops.Viewer.Storage.Retention;

namespace Mirascope.Ops.Viewer.Api
{
    /// <summary>
    /// <c>DELETE /api/traces/{traceId}</c>: a project's ADMIN deletes one trace — its spans, the annotations of those spans
    /// and its summary — from the page (<see cref="TraceDeletion"/>). A trace of another environment is not there (404), as
    /// for reads. Single-developer mode: the viewer's key, when it has one, as every route.
    /// </summary>
    internal static class TraceDeleteEndpoints
    {
        public static void Map(IEndpointRouteBuilder routes)
        {
            routes.MapDelete("/api/traces/{traceId}", DeleteAsync).Access(AccessRule.Admin);
        }

        private static Task DeleteAsync(HttpContext context, string traceId)
        {
            var id = HexId.Normalize(traceId, HexId.TraceIdLength, out var problem);
            if (id is null)
            {
                return JsonAnswers.MessageAsync(context, StatusCodes.Status400BadRequest, "the trace id " + problem);
            }

            var store = context.RequestServices.GetRequiredService<TraceStore>();
            var deleted = TraceDeletion.Delete(store, new[] { (id, (long?)null) }, RequestScope.EnvironmentOf(context));
            return deleted.Count == 1
                ? JsonAnswers.NoContentAsync(context)
                : JsonAnswers.MessageAsync(context, StatusCodes.Status404NotFound, $"no trace {id} is stored (it may have been removed by retention)");
        }
    }
}
