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
    }
}
