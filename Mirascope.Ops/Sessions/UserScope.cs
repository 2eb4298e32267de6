using System;
using System.Threading;
using Mirascope.Ops.Sessions;

namespace Mirascope.Ops
{
    /// <summary>
    /// The user made current by <see cref="MirascopeOps.User"/>. Disposing it restores the user (and session) that
    /// was current before.
    /// </summary>
    public sealed class UserScope : IDisposable
    {
        private readonly AmbientIdentity? _previous;
        private int _disposed;

        internal UserScope(string? userId, AmbientIdentity? previous)
        {
            UserId = userId;
            _previous = previous;
        }

        /// <summary>The user id this scope made current, or <c>null</c> when it cleared the user.</summary>
        public string? UserId { get; }

        /// <summary>Ends the scope: the previous user becomes current again.</summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                AmbientSession.Restore(_previous);
            }
        }
    }
}
