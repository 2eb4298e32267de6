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

            string? presented = null;
            if (request.Headers.TryGetValue("X-API-Key", out var header))
            {
                presented = header.ToString().Trim();
            }
            else
            {
                var authorization = request.Headers.Authorization.ToString();
                if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
                {
                    presented = authorization.Substring("Bearer ".Length).Trim();
                }
            }

            return presented is not null
                && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));
        }
    }
}
