using Microsoft.AspNetCore.Http;
using Mirascope.Ops.Viewer.Accounts;

namespace Mirascope.Ops.Viewer.Access
{
    /// <summary>
    /// The <see cref="AccessScope"/> <see cref="ViewerAccess"/> decided for a request (accounts mode), for the endpoints:
    /// which environment spans land in and reads are about, and who is asking.
    /// </summary>
    internal static class RequestScope
    {
        private static readonly object Key = new object();

        public static void Set(HttpContext context, AccessScope? scope) => context.Items[Key] = scope;

        /// <summary>The request's scope; null in single-developer mode (one implicit environment) or on a route with no project.</summary>
        public static AccessScope? Of(HttpContext context) => context.Items.TryGetValue(Key, out var scope) ? scope as AccessScope : null;

        /// <summary>
        /// The environment spans of this request land in and reads are limited to: the scope's in accounts mode (a request
        /// with no project scope: one that matches nothing), null in single-developer mode (everything, one implicit environment).
        /// </summary>
        public static string? EnvironmentOf(HttpContext context) =>
            context.RequestServices.GetService(typeof(AccountsMode)) is AccountsMode { On: true } ? Of(context)?.EnvironmentId ?? "-" : null;   // "-" is no environment id (those are UUIDs)
    }
}
