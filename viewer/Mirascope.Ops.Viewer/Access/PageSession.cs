using System;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Mirascope.Ops.Viewer.Access
{
    /// <summary>
    /// The page's session cookie, given once the user has entered the key at <c>/login</c>. Its value is derived from the
    /// key (HMAC-SHA256 of a fixed label under the key), so it is not the key, the page's script cannot read it (HttpOnly),
    /// the browser never sends it from another site (SameSite=Strict), it survives a restart of the viewer and works with
    /// every viewer process started with the same key, and changing the key ends every session.
    /// </summary>
    internal static class PageSession
    {
        public const string CookieName = "mirascope_viewer_session";

        private static readonly byte[] Label = Encoding.UTF8.GetBytes("Mirascope.Ops viewer page session v1");

        public static void Issue(HttpResponse response, string key) =>
            response.Cookies.Append(CookieName, Value(key), new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Path = "/",
                Secure = response.HttpContext.Request.IsHttps,   // plain HTTP on loopback, unless started with --certificate
                IsEssential = true,
            });

        public static void End(HttpResponse response) =>
            response.Cookies.Delete(CookieName, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/" });

        public static bool IsPresented(HttpRequest request, string key)
        {
            if (!request.Cookies.TryGetValue(CookieName, out var presented) || string.IsNullOrEmpty(presented))
            {
                return false;
            }

            return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(presented), Encoding.ASCII.GetBytes(Value(key)));
        }

        private static string Value(string key) =>
            Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Label)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
