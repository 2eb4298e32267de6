using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Security.Cryptography;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Mirascope.Ops.Viewer.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Mirascope.Ops.Viewer.Api
{
    /// <summary>
    /// Serves the page (HTML, CSS, JS) from resources embedded in the viewer's assembly, so it works from any working
    /// directory and never loads anything from elsewhere (the Content-Security-Policy forbids it, too).
    /// </summary>
    internal static class PageEndpoints
    {
        public const string ContentSecurityPolicy =
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

        private static readonly Dictionary<string, (string Resource, string ContentType)> Assets = new Dictionary<string, (string, string)>(StringComparer.Ordinal)
        {
            ["/"] = ("wwwroot/index.html", "text/html; charset=utf-8"),
            ["/app.js"] = ("wwwroot/app.js", "text/javascript; charset=utf-8"),
            ["/app.css"] = ("wwwroot/app.css", "text/css; charset=utf-8"),
            ["/settings.js"] = ("wwwroot/settings.js", "text/javascript; charset=utf-8"),
            ["/settings.css"] = ("wwwroot/settings.css", "text/css; charset=utf-8"),
            ["/favicon.svg"] = ("wwwroot/favicon.svg", "image/svg+xml"),
        };

        private static readonly Dictionary<string, (byte[] Body, string ETag)> Loaded = Load();

        public static void Map(IEndpointRouteBuilder routes)
        {
            foreach (var (path, asset) in Assets)
            {
                var (body, etag) = Loaded[asset.Resource];
                var contentType = asset.ContentType;
                routes.MapGet(path, context => ServeAsync(context, body, etag, contentType)).Access(AccessRule.Key);
            }

            routes.MapGet("/favicon.ico", context =>
            {
                context.Response.Redirect("/favicon.svg");
                return Task.CompletedTask;
            }).Access(AccessRule.Key);
        }

        private static async Task ServeAsync(HttpContext context, byte[] body, string etag, string contentType)
        {
            var response = context.Response;
            response.Headers.ETag = etag;
            response.Headers.CacheControl = "no-cache";
            if (context.Request.Headers.IfNoneMatch.ToString() == etag)
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }

            response.ContentType = contentType;
            response.ContentLength = body.Length;
            await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }

        private static Dictionary<string, (byte[], string)> Load()
        {
            var assembly = typeof(PageEndpoints).Assembly;
            var loaded = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
            foreach (var (resource, _) in Assets.Values)
            {
                using var stream = assembly.GetManifestResourceStream(resource)
                    ?? throw new InvalidOperationException($"The viewer was built without its page: resource {resource} is missing.");
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                var bytes = copy.ToArray();
                loaded[resource] = (bytes, "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 8)) + "\"");
            }

            return loaded;
        }
    }
}
