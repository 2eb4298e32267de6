using Microsoft.AspNetCore.Builder;

namespace Mirascope.Ops.Viewer.Access
{
    /// <summary>
    /// Who may use a route, declared on the route itself as endpoint metadata (<c>.Access(AccessRule.Key)</c>) and enforced
    /// in one place, <see cref="ViewerAccess"/>. A route that declares none is treated as <see cref="Key"/>, so a new
    /// endpoint is never open by omission; the tests read the rules from the app's route table.
    /// </summary>
    internal sealed class AccessRule
    {
        /// <summary>
        /// With a key configured: the key in <c>X-API-Key</c> or <c>Authorization: Bearer</c>, or the page's session cookie
        /// (state-changing requests with the cookie must also come from the viewer's own origin). Without one: anyone on
        /// loopback. Every route but the sign-in ones.
        /// </summary>
        public static readonly AccessRule Key = new AccessRule("key");

        /// <summary>Open to anyone on loopback with or without a key: only the sign-in page and the key exchange.</summary>
        public static readonly AccessRule SignIn = new AccessRule("sign-in");

        private AccessRule(string name)
        {
            Name = name;
        }

        public string Name { get; }

        public override string ToString() => Name;
    }

    /// <summary>Declares a route's <see cref="AccessRule"/>.</summary>
    internal static class AccessRuleExtensions
    {
        public static TBuilder Access<TBuilder>(this TBuilder builder, AccessRule rule) where TBuilder : IEndpointConventionBuilder =>
            builder.WithMetadata(rule);
    }
}
