using Mirascope.Ops.Diagnostics;
using Mirascope.Ops.Sessions;

namespace Mirascope.Ops
{
    public static partial class MirascopeOps
    {
        /// <summary>
        /// Opens a session: until the returned scope is disposed, every span started in this flow (across awaits and
        /// into <c>Task.Run</c>) carries <c>mirascope.ops.session.id</c> and, when attributes are given,
        /// <c>mirascope.ops.session.attributes</c> (compact JSON); with a backend profile (<c>OpsOptions.BackendProfiles</c>)
        /// every span of the provider started here, an LLM library's own included, also carries <c>session.id</c>.
        /// A nested session overrides this one until it is disposed.
        /// <see cref="InjectContext(System.Collections.Generic.IDictionary{string, string})"/> sends the id to other
        /// services in the <c>Mirascope-Session-Id</c> header (the user is not sent).
        /// </summary>
        /// <example><code>using (MirascopeOps.Session(id: "req-42", attributes: new { team = "core" }, userId: "alice")) { ... }</code></example>
        /// <param name="id">The session id; null or empty gives a new UUID.</param>
        /// <param name="attributes">An anonymous object (<c>new { team = "core" }</c>) or a dictionary, or null.</param>
        /// <param name="userId">
        /// The user the session works for, as <see cref="User"/> would set it for the session's length; null keeps the
        /// user of the enclosing scope, if any.
        /// </param>
        /// <returns>The scope; dispose it to end the session.</returns>
        public static SessionScope Session(string? id = null, object? attributes = null, string? userId = null)
        {
            SessionContext session;
            try
            {
                session = SessionContext.Create(id, attributes);
            }
            catch (System.Exception ex)
            {
                // Attributes are read defensively already; this is the last guard so opening a session never throws.
                OpsEventSource.Log.TracingFailed("open session", ex);
                session = SessionContext.Create(id, null);
            }

            return AmbientSession.Enter(session, userId);
        }

        /// <summary>The session of the current flow, or <c>null</c> outside any session.</summary>
        public static SessionContext? CurrentSession => AmbientSession.Current;

        /// <summary>
        /// Says who the work is for: until the returned scope is disposed, every span started in this flow (across
        /// awaits and into <c>Task.Run</c>) carries <c>mirascope.ops.user.id</c>, and with a backend profile
        /// (<c>OpsOptions.BackendProfiles</c>) every span of the provider started here, an LLM library's own included,
        /// carries <c>user.id</c>. It keeps the current session; a session opened inside keeps this user. The id stays
        /// in this process (it is not sent in propagation headers).
        /// </summary>
        /// <example><code>using (MirascopeOps.User("alice")) { ... }</code></example>
        /// <param name="id">The user id; null or empty means no user inside the scope.</param>
        /// <returns>The scope; dispose it to restore the previous user.</returns>
        public static UserScope User(string? id) => AmbientSession.EnterUser(id);

        /// <summary>The user of the current flow, or <c>null</c> when none was said.</summary>
        public static string? CurrentUserId => AmbientSession.Identity?.UserId;
    }
}
