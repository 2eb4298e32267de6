using Microsoft.AspNetCore.Builder;
using Mirascope.Ops.Viewer.Accounts;

namespace Mirascope.Ops.Viewer.Access
{
    /// <summary>
    /// Who may use a route, declared on the route itself as endpoint metadata (<c>.Access(AccessRule.Read)</c>) and enforced
    /// in one place, <see cref="ViewerAccess"/>. A route that declares none is treated as <see cref="Admin"/>, so a new
    /// endpoint is never open by omission; the tests read the rules from the app's route table.
    /// <para>
    /// Single-developer mode (no accounts in the store): every rule but <see cref="SignIn"/> means the same — the key given
    /// to <c>--api-key</c> when there is one, else anyone on loopback, as before accounts existed. Accounts mode: a key
    /// from the store or a signed-in person, with at least <see cref="Role"/> in the project the request is about.
    /// </para>
    /// </summary>
    internal sealed class AccessRule
    {
        /// <summary>Anyone signed in (or with a key), whatever their role: the page's files, sign-out, the list of one's projects.</summary>
        public static readonly AccessRule Key = new AccessRule("key", null);

        /// <summary>VIEWER or above in the project: reading traces, functions, annotations, figures.</summary>
        public static readonly AccessRule Read = new AccessRule("read", ProjectRole.Viewer);

        /// <summary>ANNOTATOR or above: creating and changing annotations.</summary>
        public static readonly AccessRule Annotate = new AccessRule("annotate", ProjectRole.Annotator);

        /// <summary>DEVELOPER or above: sending spans, registering functions (everything but members, keys and deletes).</summary>
        public static readonly AccessRule Write = new AccessRule("write", ProjectRole.Developer);

        /// <summary>ADMIN of the project: keys, members, deletes.</summary>
        public static readonly AccessRule Admin = new AccessRule("admin", ProjectRole.Admin);

        /// <summary>An owner of an organization: creating projects in it (the organization's owners are ADMIN of all its projects).</summary>
        public static readonly AccessRule Owner = new AccessRule("owner", null, needsOwner: true);

        /// <summary>Open to anyone who can reach the viewer: only the sign-in page and the sign-in itself.</summary>
        public static readonly AccessRule SignIn = new AccessRule("sign-in", null);

        private AccessRule(string name, ProjectRole? role, bool needsOwner = false)
        {
            Name = name;
            Role = role;
            NeedsOwner = needsOwner;
        }

        public string Name { get; }

        /// <summary>The least project role the route needs in accounts mode; null: no project role (any signed-in caller).</summary>
        public ProjectRole? Role { get; }

        /// <summary>True when the caller must own an organization (accounts mode).</summary>
        public bool NeedsOwner { get; }

        public override string ToString() => Name;
    }

    /// <summary>Declares a route's <see cref="AccessRule"/>.</summary>
    internal static class AccessRuleExtensions
    {
        public static TBuilder Access<TBuilder>(this TBuilder builder, AccessRule rule) where TBuilder : IEndpointConventionBuilder =>
            builder.WithMetadata(rule);
    }
}
