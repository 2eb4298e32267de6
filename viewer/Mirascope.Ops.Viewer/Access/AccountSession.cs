using System;
using Microsoft.AspNetCore.Http;

namespace Mirascope.Ops.Viewer.Access
{
    /// <summary>
    /// The page's cookie in accounts mode: a random session token (the store keeps its SHA-256, so every viewer on the same
    /// database accepts it and a read of the table gives no session away), HttpOnly (the page's script cannot read it),
    /// SameSite=Strict (never sent from another site), Secure when the viewer's public origin is https.
    /// </summary>
    internal static class AccountSession
    {
        public const string CookieName = "mirascope_viewer_account";

        public static void Issue(HttpResponse response, string token, bool secure) =>
            response.Cookies.Append(CookieName, token, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Path = "/",
                Secure = secure,
                IsEssential = true,
                MaxAge = Accounts.AccountStore.SessionLifetime,
            });

        public static string? Presented(HttpRequest request) =>
            request.Cookies.TryGetValue(CookieName, out var token) && !string.IsNullOrEmpty(token) && token.Length <= 100 ? token : null;

        public static void End(HttpResponse response) =>
            response.Cookies.Delete(CookieName, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/" });
    }

    /// <summary>
    /// Which environment a signed-in person is looking at: <c>X-Mirascope-Environment</c> (scripts), else the page's
    /// <c>mirascope_viewer_environment</c> cookie that its project switcher sets; else their first project's first environment.
    /// </summary>
    internal static class EnvironmentSelection
    {
        public const string Header = "X-Mirascope-Environment";
        public const string CookieName = "mirascope_viewer_environment";

        /// <summary>The selected environment id and whether it was asked for explicitly (a header: unknown is 404, not a fallback).</summary>
        public static (string? Id, bool Explicit) Of(HttpRequest request)
        {
            var header = request.Headers[Header].ToString().Trim();
            if (header.Length > 0)
            {
                return (header, true);
            }

            return request.Cookies.TryGetValue(CookieName, out var cookie) && !string.IsNullOrWhiteSpace(cookie) ? (cookie.Trim(), false) : (null, false);
        }
    }
}
