using System.Threading;

namespace Mirascope.Ops.Sessions
{
    /// <summary>
    /// The current session and user. An <see cref="AsyncLocal{T}"/>, so they flow into awaits, <c>Task.Run</c> and
    /// threads started inside the scope, and never leak back out of an async method that opened one.
    /// </summary>
    internal static class AmbientSession
    {
        private static readonly AsyncLocal<AmbientIdentity?> Slot = new AsyncLocal<AmbientIdentity?>();

        // Every recorded span asks for the session and user: until a process opens a scope, that is a field read, not
        // an async-local lookup.
        private static volatile bool _everEntered;

        /// <summary>The session and user of this flow, or null when neither was ever said in it.</summary>
        public static AmbientIdentity? Identity => _everEntered ? Slot.Value : null;

        /// <summary>The session of this flow, or null.</summary>
        public static SessionContext? Current => Identity?.Session;

        /// <summary>Makes <paramref name="session"/> current; the user stays the one given, else the enclosing scope's.</summary>
        public static SessionScope Enter(SessionContext session, string? userId = null)
        {
            _everEntered = true;
            var previous = Slot.Value;
            Slot.Value = new AmbientIdentity(session, string.IsNullOrEmpty(userId) ? previous?.UserId : userId);
            return new SessionScope(session, previous);
        }

        /// <summary>Makes <paramref name="userId"/> the current user (null: no user) inside the current session.</summary>
        public static UserScope EnterUser(string? userId)
        {
            _everEntered = true;
            var previous = Slot.Value;
            var user = string.IsNullOrEmpty(userId) ? null : userId;
            Slot.Value = new AmbientIdentity(previous?.Session, user);
            return new UserScope(user, previous);
        }

        /// <summary>Puts back what was current before a scope was entered.</summary>
        public static void Restore(AmbientIdentity? previous) => Slot.Value = previous;
    }
}
