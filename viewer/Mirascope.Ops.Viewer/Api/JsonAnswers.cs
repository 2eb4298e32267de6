using System;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Mirascope.Ops.Viewer.Ingest;

namespace Mirascope.Ops.Viewer.Api
{
    /// <summary>JSON answers of the functions, annotations, search and page endpoints.</summary>
    internal static class JsonAnswers
    {
        public static async Task WriteAsync(HttpContext context, int status, Action<System.Text.Json.Utf8JsonWriter> write)
        {
            var body = JsonText.Build(write);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.Headers.CacheControl = "no-store";
            await context.Response.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }

        /// <summary>
        /// The Cloud's error body: <c>{"tag": "NotFoundError", "message": "…"}</c> (its handler renamed Effect's
        /// <c>_tag</c> to <c>tag</c> for its SDK).
        /// </summary>
        public static Task CloudErrorAsync(HttpContext context, int status, string tag, string message) =>
            WriteAsync(context, status, json =>
            {
                json.WriteStartObject();
                json.WriteString("tag", tag);
                json.WriteString("message", message);
                json.WriteEndObject();
            });

        /// <summary>The page API's error body: <c>{"message": "…"}</c>, as <c>GET /api/traces</c> answers.</summary>
        public static Task MessageAsync(HttpContext context, int status, string message) =>
            WriteAsync(context, status, json =>
            {
                json.WriteStartObject();
                json.WriteString("message", message);
                json.WriteEndObject();
            });

        public static Task NoContentAsync(HttpContext context)
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        }
    }
}
