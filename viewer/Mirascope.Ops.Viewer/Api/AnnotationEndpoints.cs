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
    /// The Cloud's annotations endpoints under <c>/api/v2/annotations</c>, and the same endpoints under <c>/api/annotations</c>
    /// for the page; both under the viewer's one access rule (<see cref="Access.ViewerAccess"/>), JSON bodies only. In accounts
    /// mode each reads and changes only the annotations of spans in the caller's environment (<see cref="RequestScope.EnvironmentOf"/>):
    /// another environment's annotation or span is 404, as one that does not exist.
    /// </summary>
    internal static class AnnotationEndpoints
    {
        public const string CloudPath = "/api/v2/annotations";
        public const string PagePath = "/api/annotations";

        private static readonly string[] ListParameters = { "otelTraceId", "otelSpanId", "label", "limit", "offset" };

        public static void Map(IEndpointRouteBuilder routes)
        {
            foreach (var path in new[] { CloudPath, PagePath })
            {
                routes.MapGet(path, context => CloudFunctionEndpoints.Guarded(context, ListAsync)).Access(AccessRule.Read).TakesQuery(ListParameters);
                routes.MapPost(path, context => CloudFunctionEndpoints.Guarded(context, CreateAsync)).Access(AccessRule.Annotate);
                routes.MapGet(path + "/{id}", context => CloudFunctionEndpoints.Guarded(context, GetAsync)).Access(AccessRule.Read).TakesQuery();
                routes.MapPut(path + "/{id}", context => CloudFunctionEndpoints.Guarded(context, UpdateAsync)).Access(AccessRule.Annotate);
                routes.MapDelete(path + "/{id}", context => CloudFunctionEndpoints.Guarded(context, DeleteAsync)).Access(AccessRule.Admin);
            }
        }

        private static Task ListAsync(HttpContext context)
        {
            var query = context.Request.Query;
            QueryParameters.Only(context);
            string? Id(string name, int length)
            {
                var text = QueryParameters.Single(query, name).Trim();
                return text.Length == 0 ? null : HexId.Normalize(text, length, out var problem) ?? throw new BadParameterException(name, problem!);
            }

            var label = QueryParameters.Single(query, "label").Trim();
            if (label.Length > 0 && label is not ("pass" or "fail"))
            {
                throw new BadParameterException("label", $"must be pass or fail, got {HexId.Quote(label)}");
            }

            var limit = Number(query, "limit", 1, AnnotationStore.MaxLimit, AnnotationStore.DefaultLimit);
            var offset = Number(query, "offset", 0, 100_000, 0);
            var annotations = context.RequestServices.GetRequiredService<AnnotationStore>()
                .List(Id("otelTraceId", HexId.TraceIdLength), Id("otelSpanId", HexId.SpanIdLength), label.Length == 0 ? null : label, limit, offset, RequestScope.EnvironmentOf(context));
            return JsonAnswers.WriteAsync(context, StatusCodes.Status200OK, json =>
            {
                json.WriteStartObject();
                json.WriteStartArray("annotations");
                foreach (var annotation in annotations)
                {
                    annotation.Write(json);
                }

                json.WriteEndArray();
                json.WriteNumber("total", annotations.Count);   // the Cloud's total: the length of the page
                json.WriteEndObject();
            });
        }

        private static async Task CreateAsync(HttpContext context)
        {
            var body = await CloudFunctionEndpoints.ReadBodyAsync(context).ConfigureAwait(false);
            var (traceId, spanId) = AnnotationRequest.Ids(body);
            var fields = AnnotationRequest.Fields(body);
            var outcome = context.RequestServices.GetRequiredService<AnnotationStore>().Create(traceId, spanId, fields, DateTimeOffset.UtcNow, RequestScope.EnvironmentOf(context), out var record);
            switch (outcome)
            {
                case AnnotationStore.Outcome.SpanNotFound:
                    await JsonAnswers.CloudErrorAsync(context, StatusCodes.Status404NotFound, "NotFoundError",
                        $"Span {spanId} of trace {traceId} not found (spans arrive about a second after they end; send the annotation after the span)").ConfigureAwait(false);
                    return;
                case AnnotationStore.Outcome.AlreadyAnnotated:
                    await JsonAnswers.CloudErrorAsync(context, StatusCodes.Status409Conflict, "AlreadyExistsError",
                        $"Span {spanId} already has annotation {record!.Id}; change it with PUT {CloudPath}/{record.Id}").ConfigureAwait(false);
                    return;
                default:
                    context.RequestServices.GetRequiredService<SpanNotifier>().Notify();
                    await JsonAnswers.WriteAsync(context, StatusCodes.Status200OK, record!.Write).ConfigureAwait(false);
                    return;
            }
        }

        private static Task GetAsync(HttpContext context)
        {
            var id = CloudFunctionEndpoints.Id(context);
            var record = context.RequestServices.GetRequiredService<AnnotationStore>().Get(id, RequestScope.EnvironmentOf(context));
            return record is null ? NotFound(context, id) : JsonAnswers.WriteAsync(context, StatusCodes.Status200OK, record.Write);
        }

        private static async Task UpdateAsync(HttpContext context)
        {
            var id = CloudFunctionEndpoints.Id(context);
            var fields = AnnotationRequest.Fields(await CloudFunctionEndpoints.ReadBodyAsync(context).ConfigureAwait(false));
            var record = context.RequestServices.GetRequiredService<AnnotationStore>().Update(id, fields, DateTimeOffset.UtcNow, RequestScope.EnvironmentOf(context));
            if (record is null)
            {
                await NotFound(context, id).ConfigureAwait(false);
                return;
            }

            context.RequestServices.GetRequiredService<SpanNotifier>().Notify();
            await JsonAnswers.WriteAsync(context, StatusCodes.Status200OK, record.Write).ConfigureAwait(false);
        }

        private static Task DeleteAsync(HttpContext context)
        {
            var id = CloudFunctionEndpoints.Id(context);
            if (!context.RequestServices.GetRequiredService<AnnotationStore>().Delete(id, RequestScope.EnvironmentOf(context)))
            {
                return NotFound(context, id);
            }

            context.RequestServices.GetRequiredService<SpanNotifier>().Notify();
            return JsonAnswers.NoContentAsync(context);
        }

        private static Task NotFound(HttpContext context, string id) =>
            JsonAnswers.CloudErrorAsync(context, StatusCodes.Status404NotFound, "NotFoundError", $"Annotation with id {id} not found");

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
