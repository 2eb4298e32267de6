using System;
using System.Threading;
using Mirascope.Ops.Sessions;

namespace Mirascope.Ops
{
    /// <summary>
    /// The session opened by <see cref="MirascopeOps.Session"/>. Disposing it restores the session that was current before
    /// (none, or an outer one).
    /// </summary>
    public sealed class SessionScope : IDisposable
    {
        private readonly AmbientIdentity? _previous;
        private int _disposed;

        internal SessionScope(SessionContext session, AmbientIdentity? previous)
        {
            Session = session;
            _previous = previous;
        }

        /// <summary>The session this scope made current.</summary>
        public SessionContext Session { get; }

        /// <summary>The session id (the one given, or a new UUID).</summary>
        public string Id => Session.Id;

        /// <summary>Ends the session: the previous session (and the user of that moment) becomes current again.</summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                AmbientSession.Restore(_previous);
            }
        }
    }
}
