using System.Threading;

namespace Mirascope.Ops.Sessions
{
    /// <summary>
    /// The current session. An <see cref="AsyncLocal{T}"/>, so it flows into awaits, <c>Task.Run</c> and threads
    /// started inside the session, and never leaks back out of an async method that opened one.
    /// </summary>
    internal static class AmbientSession
    {
        private static readonly AsyncLocal<SessionContext?> Slot = new AsyncLocal<SessionContext?>();

        // Every recorded span asks for the session: until a process opens one, that is a field read, not an
        // async-local lookup.
        private static volatile bool _everEntered;

        public static SessionContext? Current
        {
            get => _everEntered ? Slot.Value : null;
            set
            {
                _everEntered = true;
                Slot.Value = value;
            }
        }

        public static SessionScope Enter(SessionContext session)
        {
            _everEntered = true;
            var scope = new SessionScope(session, Slot.Value);
            Slot.Value = session;
            return scope;
        }
    }
}
