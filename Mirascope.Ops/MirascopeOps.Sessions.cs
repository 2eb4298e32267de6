using Mirascope.Ops.Diagnostics;
using Mirascope.Ops.Sessions;

namespace Mirascope.Ops
{
    public static partial class MirascopeOps
    {
        /// <summary>
        /// Opens a session: until the returned scope is disposed, every span started in this flow (across awaits and
        /// into <c>Task.Run</c>) carries <c>mirascope.ops.session.id</c> and, when attributes are given,
        /// <c>mirascope.ops.session.attributes</c> (compact JSON). A nested session overrides this one until it is
        /// disposed. <see cref="InjectContext(System.Collections.Generic.IDictionary{string, string})"/> sends the id
        /// to other services in the <c>Mirascope-Session-Id</c> header.
        /// </summary>
        /// <example><code>using (MirascopeOps.Session(id: "req-42", attributes: new { team = "core" })) { ... }</code></example>
        /// <param name="id">The session id; null or empty gives a new UUID.</param>
        /// <param name="attributes">An anonymous object (<c>new { team = "core" }</c>) or a dictionary, or null.</param>
        /// <returns>The scope; dispose it to end the session.</returns>
        public static SessionScope Session(string? id = null, object? attributes = null)
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

            return AmbientSession.Enter(session);
        }

        /// <summary>The session of the current flow, or <c>null</c> outside any session.</summary>
        public static SessionContext? CurrentSession => AmbientSession.Current;
    }
}
