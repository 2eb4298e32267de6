using System;
using System.Text.Json;
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
    /// The Cloud's functions endpoints under <c>/api/v2</c>: list, create (the next version number of the name), get, find by
    /// hash (404 when none has it: the SDK registers then), delete. Answers and errors have the Cloud's shapes. Functions belong
    /// to the environment they were registered in (accounts mode: the caller's, <see cref="RequestScope.EnvironmentOf"/>);
    /// another environment's function is 404, as one that does not exist.
    /// </summary>
    internal static class CloudFunctionEndpoints
    {
        public const string Path = "/api/v2/functions";

        /// <summary>The Cloud answered body decoding failures with Effect's 400 <c>HttpApiDecodeError</c>.</summary>
        public const string DecodeErrorTag = "HttpApiDecodeError";

        public static void Map(IEndpointRouteBuilder routes)
        {
            routes.MapGet(Path, context => Guarded(context, ListAsync)).Access(AccessRule.Read);
            routes.MapPost(Path, context => Guarded(context, CreateAsync)).Access(AccessRule.Write);
            routes.MapGet(Path + "/hash/{hash}", context => Guarded(context, FindByHashAsync)).Access(AccessRule.Read);
            routes.MapGet(Path + "/{id}", context => Guarded(context, GetAsync)).Access(AccessRule.Read);
            routes.MapDelete(Path + "/{id}", context => Guarded(context, DeleteAsync)).Access(AccessRule.Admin);
        }

        /// <summary>Turns a bad field into a 400 naming it (the key is checked before, for every route, by <see cref="Access.ViewerAccess"/>).</summary>
        internal static async Task Guarded(HttpContext context, Func<HttpContext, Task> handle)
        {
            try
            {
                await handle(context).ConfigureAwait(false);
            }
            catch (BadParameterException exception) when (!context.Response.HasStarted)
            {
                await JsonAnswers.CloudErrorAsync(context, StatusCodes.Status400BadRequest, DecodeErrorTag, exception.Message).ConfigureAwait(false);
            }
            catch (BodyTooLargeException exception) when (!context.Response.HasStarted)
            {
                await JsonAnswers.CloudErrorAsync(context, StatusCodes.Status413PayloadTooLarge, DecodeErrorTag, exception.Message).ConfigureAwait(false);
            }
            catch (MalformedBodyException exception) when (!context.Response.HasStarted)
            {
                await JsonAnswers.CloudErrorAsync(context, StatusCodes.Status400BadRequest, DecodeErrorTag, exception.Message).ConfigureAwait(false);
            }
        }

        /// <summary>A JSON object body, at most <c>--max-body-mb</c>, gzip allowed, Content-Type JSON.</summary>
        internal static async Task<JsonElement> ReadBodyAsync(HttpContext context)
        {
            var contentType = context.Request.ContentType ?? string.Empty;
            if (!contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            {
                // As ingest: a web page cannot send JSON cross-origin without CORS, which the viewer never allows.
                throw new BadParameterException("Content-Type", contentType.Length == 0 ? "is missing; send application/json" : $"\"{contentType}\" is not supported; send application/json");
            }

            var options = context.RequestServices.GetRequiredService<ViewerOptions>();
            var body = await BodyReader.ReadAsync(context.Request, options.MaxBodyBytes, context.RequestAborted).ConfigureAwait(false);
            return JsonBodyFields.ParseObject(body);
        }

        private static Task ListAsync(HttpContext context)
        {
            var functions = context.RequestServices.GetRequiredService<FunctionStore>().List(RequestScope.EnvironmentOf(context));
            return JsonAnswers.WriteAsync(context, StatusCodes.Status200OK, json =>
            {
                json.WriteStartObject();
                json.WriteStartArray("functions");
                foreach (var function in functions)
                {
                    function.Write(json);
                }

                json.WriteEndArray();
                json.WriteNumber("total", functions.Count);
                json.WriteEndObject();
            });
        }

        private static async Task CreateAsync(HttpContext context)
        {
            var draft = CreateFunctionRequest.Read(await ReadBodyAsync(context).ConfigureAwait(false));
            var function = context.RequestServices.GetRequiredService<FunctionStore>().Create(draft, DateTimeOffset.UtcNow, RequestScope.EnvironmentOf(context) ?? TraceEnvironments.Implicit, out var created);
            if (!created)
            {
                await JsonAnswers.CloudErrorAsync(context, StatusCodes.Status409Conflict, "AlreadyExistsError",
                    $"Function with hash {draft.Hash} already exists (version {function.Version} of {function.Name}, id {function.Id})").ConfigureAwait(false);
                return;
            }

            context.RequestServices.GetRequiredService<SpanNotifier>().Notify();
            await JsonAnswers.WriteAsync(context, StatusCodes.Status200OK, function.Write).ConfigureAwait(false);
        }

        private static Task FindByHashAsync(HttpContext context)
        {
            var hash = (string)context.Request.RouteValues["hash"]!;
            var function = context.RequestServices.GetRequiredService<FunctionStore>().FindByHash(hash, RequestScope.EnvironmentOf(context));
            return function is null
                ? JsonAnswers.CloudErrorAsync(context, StatusCodes.Status404NotFound, "NotFoundError", $"Function with hash {hash} not found")
                : JsonAnswers.WriteAsync(context, StatusCodes.Status200OK, function.Write);
        }

        private static Task GetAsync(HttpContext context)
        {
            var id = Id(context);
            var function = context.RequestServices.GetRequiredService<FunctionStore>().Get(id, RequestScope.EnvironmentOf(context));
            return function is null
                ? JsonAnswers.CloudErrorAsync(context, StatusCodes.Status404NotFound, "NotFoundError", $"Function with id {id} not found")
                : JsonAnswers.WriteAsync(context, StatusCodes.Status200OK, function.Write);
        }

        private static Task DeleteAsync(HttpContext context)
        {
            var id = Id(context);
            return context.RequestServices.GetRequiredService<FunctionStore>().Delete(id, RequestScope.EnvironmentOf(context))
                ? JsonAnswers.NoContentAsync(context)
                : JsonAnswers.CloudErrorAsync(context, StatusCodes.Status404NotFound, "NotFoundError", $"Function with id {id} not found");
        }

        /// <summary>The path's id, which must be a UUID (the Cloud's schema declared it so).</summary>
        internal static string Id(HttpContext context, string name = "id")
        {
            var text = (string)context.Request.RouteValues[name]!;
            return Guid.TryParseExact(text, "D", out var id)
                ? id.ToString("D")
                : throw new BadParameterException(name, $"must be a UUID (8-4-4-4-12 hex digits), got {HexId.Quote(text)}");
        }
    }
}
