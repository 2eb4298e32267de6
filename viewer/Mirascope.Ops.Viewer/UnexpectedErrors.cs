using System;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mirascope.Ops.Viewer.Ingest;
using Mirascope.Ops.Viewer.Storage;

namespace Mirascope.Ops.Viewer
{
    /// <summary>
    /// The last resort for a bug: an exception no endpoint expected is logged in full (with the request's reference) and
    /// answered with a 500 whose body is always the same sentence and that reference: never the exception's text, which can
    /// hold SQL, file paths or stored data. A database that stays locked (or a lost connection to it) is a 503 the senders retry. Every input problem
    /// known to the viewer is a 4xx before this is reached.
    /// </summary>
    internal static class UnexpectedErrors
    {
        public const string Message = "the viewer failed on this request; this is a bug in the viewer, please report it with the reference (the viewer's log has the details)";

        public const string BusyMessage = "the span database is busy; retry shortly";

        public static async Task HandleAsync(HttpContext context, RequestDelegate next)
        {
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (Exception exception) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                var busy = StoreEngines.IsBusy(exception);   // a lock held past the timeout, a lost database connection
                var reference = context.TraceIdentifier;
                var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Mirascope.Ops.Viewer");
                if (busy)
                {
                    logger.LogWarning(exception, "{Method} {Path} (reference {Reference}): the database stayed locked.", context.Request.Method, context.Request.Path, reference);
                }
                else
                {
                    logger.LogError(exception, "{Method} {Path} (reference {Reference}) failed unexpectedly.", context.Request.Method, context.Request.Path, reference);
                }

                context.Response.Clear();
                context.Response.StatusCode = busy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError;
                if (busy)
                {
                    context.Response.Headers.RetryAfter = "1";
                }

                context.Response.ContentType = "application/json; charset=utf-8";
                context.Response.Headers.CacheControl = "no-store";
                await context.Response.WriteAsync(JsonText.Build(json =>
                {
                    json.WriteStartObject();
                    // google.rpc.Code INTERNAL / UNAVAILABLE, as OTLP/HTTP error bodies carry; tag as the Cloud's errors.
                    json.WriteNumber("code", busy ? 14 : 13);
                    json.WriteString("tag", busy ? "ServiceUnavailableError" : "InternalServerError");
                    json.WriteString("message", busy ? BusyMessage : Message);
                    json.WriteString("reference", reference);
                    json.WriteEndObject();
                })).ConfigureAwait(false);
            }
        }
    }
}
