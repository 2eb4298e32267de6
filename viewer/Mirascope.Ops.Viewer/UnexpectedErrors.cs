using System;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mirascope.Ops.Viewer.Ingest;

namespace Mirascope.Ops.Viewer
{
    /// <summary>
    /// The last resort for a bug: an exception no endpoint expected is logged and answered with a 500 whose body says what
    /// failed, instead of ASP.NET Core's empty 500 that tells a sender nothing. Every input problem known to the viewer is a
    /// 4xx before this is reached.
    /// </summary>
    internal static class UnexpectedErrors
    {
        public static async Task HandleAsync(HttpContext context, RequestDelegate next)
        {
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (Exception exception) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Mirascope.Ops.Viewer")
                    .LogError(exception, "{Method} {Path} failed unexpectedly.", context.Request.Method, context.Request.Path);
                context.Response.Clear();
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                context.Response.ContentType = "application/json; charset=utf-8";
                await context.Response.WriteAsync(JsonText.Build(json =>
                {
                    json.WriteStartObject();
                    json.WriteNumber("code", 13);   // google.rpc.Code INTERNAL, as OTLP/HTTP error bodies carry
                    json.WriteString("message", $"the viewer failed on this request ({exception.GetType().Name}: {exception.Message}); this is a bug in the viewer, please report it");
                    json.WriteEndObject();
                })).ConfigureAwait(false);
            }
        }
    }
}
