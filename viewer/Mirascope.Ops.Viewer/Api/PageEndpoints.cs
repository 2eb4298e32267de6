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

        private const string Root = "wwwroot/";

        // The page is every file embedded under wwwroot/ (index.html at "/", the ES modules of views/ and shared/ at their
        // paths): a module added to the page is served without a line here. Only these types are embedded.
        private static readonly Dictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [".html"] = "text/html; charset=utf-8",
            [".js"] = "text/javascript; charset=utf-8",   // module scripts need a JavaScript type
            [".css"] = "text/css; charset=utf-8",
            [".svg"] = "image/svg+xml",
        };

        private static readonly Dictionary<string, (byte[] Body, string ETag, string ContentType)> Assets = Load();

        public static void Map(IEndpointRouteBuilder routes)
        {
            foreach (var (path, (body, etag, contentType)) in Assets)
            {
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

        private static Dictionary<string, (byte[], string, string)> Load()
        {
            var assembly = typeof(PageEndpoints).Assembly;
            var loaded = new Dictionary<string, (byte[], string, string)>(StringComparer.Ordinal);
            foreach (var name in assembly.GetManifestResourceNames())
            {
                var resource = name.Replace('\\', '/');   // a build on Windows names a subfolder with a backslash
                if (!resource.StartsWith(Root, StringComparison.Ordinal))
                {
                    continue;
                }

                var contentType = ContentTypes.GetValueOrDefault(Path.GetExtension(resource))
                    ?? throw new InvalidOperationException($"The page's file {resource} has no known content type: add its extension to PageEndpoints.ContentTypes.");
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                var bytes = copy.ToArray();
                var path = resource == Root + "index.html" ? "/" : "/" + resource.Substring(Root.Length);
                loaded[path] = (bytes, "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 8)) + "\"", contentType);
            }

            if (!loaded.ContainsKey("/") || !loaded.ContainsKey("/app.js"))
            {
                throw new InvalidOperationException("The viewer was built without its page: resources wwwroot/index.html and wwwroot/app.js are missing.");
            }

            return loaded;
        }
    }
}
