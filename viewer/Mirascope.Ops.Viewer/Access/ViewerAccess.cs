using System;
using System.Threading.Tasks;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mirascope.Ops.Viewer.Api;
using Mirascope.Ops.Viewer.Ingest;
using RpcStatus = Mirascope.Ops.Otlp.Protos.Rpc.Status;

namespace Mirascope.Ops.Viewer.Access
{
    /// <summary>
    /// The one access rule of the whole viewer, applied to every request from the route's <see cref="AccessRule"/>:
    /// <list type="bullet">
    /// <item>A state-changing request (any method but GET, HEAD, OPTIONS) that a browser sent from another origin is refused
    /// (403) whether or not the viewer has a key: its <c>Origin</c> must be the viewer's own and <c>Sec-Fetch-Site</c>, when
    /// sent, <c>same-origin</c>. A form or <c>fetch</c> on another site cannot write, to loopback either.</item>
    /// <item>With a key configured, an <see cref="AccessRule.Key"/> route needs the key in <c>X-API-Key</c> or
    /// <c>Authorization: Bearer</c> (senders, scripts), or the page's session cookie (<see cref="PageSession"/>); a
    /// state-changing request with only the cookie must carry the viewer's own <c>Origin</c>, which browsers always send
    /// and other sites cannot forge. Otherwise 401 (the page itself: the sign-in form).</item>
    /// <item>Accounts mode (the store holds people): <see cref="AccountAccess"/> decides from the key or session, the project
    /// and the route's role.</item>
    /// <item>Without a key, everything is open to whoever can reach 127.0.0.1 (the viewer listens nowhere else and says so
    /// when it starts).</item>
    /// </list>
    /// </summary>
    internal static class ViewerAccess
    {
        public const string CrossOriginMessage = "refused: a request that changes data must come from the viewer's own page or from a program (this one came from another origin)";

        public static async Task HandleAsync(HttpContext context, RequestDelegate next)
        {
            var request = context.Request;
            var writes = !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method));
            var origin = request.Headers.Origin.ToString();
            var ownOrigin = request.Scheme + "://" + request.Host.Value;
            var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
            if (writes && ((origin.Length > 0 && !string.Equals(origin, ownOrigin, StringComparison.OrdinalIgnoreCase)
                    && !PublicOrigins.IsPublicOrigin(context.RequestServices.GetRequiredService<ViewerOptions>(), origin))
                || (fetchSite.Length > 0 && fetchSite != "same-origin")))
            {
                Log(context, "from another origin");
                await RefuseAsync(context, StatusCodes.Status403Forbidden, 7, "ForbiddenError", CrossOriginMessage).ConfigureAwait(false);   // google.rpc PERMISSION_DENIED
                return;
            }

            var rule = context.GetEndpoint()?.Metadata.GetMetadata<AccessRule>() ?? AccessRule.Admin;
            var accounts = context.RequestServices.GetRequiredService<Accounts.AccountsMode>();
            if (accounts.On)
            {
                await AccountAccess.HandleAsync(context, next, rule, writes, accounts.Store).ConfigureAwait(false);
                return;
            }

            var key = context.RequestServices.GetRequiredService<ViewerOptions>().ApiKey;
            if (string.IsNullOrEmpty(key) || rule == AccessRule.SignIn || CloudApiKey.IsPresented(request, key))
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            if (PageSession.IsPresented(request, key))
            {
                if (writes && origin.Length == 0)
                {
                    // Only the page uses the cookie, and a browser sends Origin with every write: a cookie without it is not the page.
                    Log(context, "with the page's cookie but no Origin");
                    await RefuseAsync(context, StatusCodes.Status403Forbidden, 7, "ForbiddenError", CrossOriginMessage).ConfigureAwait(false);
                    return;
                }

                await next(context).ConfigureAwait(false);
                return;
            }

            Log(context, "without the key");
            if (HttpMethods.IsGet(request.Method) && request.Path == "/")
            {
                await SignInEndpoints.WriteFormAsync(context, StatusCodes.Status401Unauthorized, problem: null).ConfigureAwait(false);
                return;
            }

            context.Response.Headers.WWWAuthenticate = "Bearer";
            await RefuseAsync(context, StatusCodes.Status401Unauthorized, 16, "UnauthorizedError", CloudApiKey.Required).ConfigureAwait(false);   // UNAUTHENTICATED
        }

        private static void Log(HttpContext context, string why) =>
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Mirascope.Ops.Viewer.Access")
                .LogWarning("Refused {Method} {Path} {Why}.", context.Request.Method, context.Request.Path, why);

        /// <summary>
        /// The refusal in a body every kind of client reads: OTLP's google.rpc.Status (<c>code</c>, <c>message</c>; protobuf
        /// when the request was), the Cloud's <c>tag</c> and <c>message</c>, and the page's <c>message</c>.
        /// </summary>
        internal static async Task RefuseAsync(HttpContext context, int status, int code, string tag, string message)
        {
            var response = context.Response;
            response.StatusCode = status;
            response.Headers.CacheControl = "no-store";
            var contentType = context.Request.ContentType ?? string.Empty;
            if (contentType.StartsWith("application/x-protobuf", StringComparison.OrdinalIgnoreCase) || contentType.StartsWith("application/protobuf", StringComparison.OrdinalIgnoreCase))
            {
                response.ContentType = "application/x-protobuf";
                await response.Body.WriteAsync(new RpcStatus { Code = code, Message = message }.ToByteArray()).ConfigureAwait(false);
                return;
            }

            response.ContentType = "application/json; charset=utf-8";
            await response.WriteAsync(JsonText.Build(json =>
            {
                json.WriteStartObject();
                json.WriteNumber("code", code);
                json.WriteString("tag", tag);
                json.WriteString("message", message);
                json.WriteEndObject();
            })).ConfigureAwait(false);
        }
    }
}
