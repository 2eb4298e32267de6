using System;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Mirascope.Ops.Viewer.Api
{
    /// <summary>
    /// The key a program presents when the viewer was started with <c>--api-key</c> (checked for every route by
    /// <see cref="Access.ViewerAccess"/>): <c>X-API-Key</c> first, else <c>Authorization: Bearer</c>, as the Cloud read them;
    /// compared in constant time.
    /// </summary>
    internal static class CloudApiKey
    {
        public const string Required = "this viewer requires an API key: send Authorization: Bearer <key> (MIRASCOPE_API_KEY) or X-API-Key: <key>; in a browser, sign in at /login";

        public static bool IsPresented(HttpRequest request, string? expected)
        {
            if (string.IsNullOrEmpty(expected))
            {
                return true;
            }

            var presented = Presented(request);
            return presented is not null
                && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));
        }

        /// <summary>The key the request presents (<c>X-API-Key</c> first, else <c>Authorization: Bearer</c>), or null.</summary>
        public static string? Presented(HttpRequest request)
        {
            if (request.Headers.TryGetValue("X-API-Key", out var header))
            {
                return header.ToString().Trim();
            }

            var authorization = request.Headers.Authorization.ToString();
            return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization.Substring("Bearer ".Length).Trim() : null;
        }
    }
}
