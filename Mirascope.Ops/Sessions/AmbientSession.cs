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

        public static SessionContext? Current
        {
            get => Slot.Value;
            set => Slot.Value = value;
        }

        public static SessionScope Enter(SessionContext session)
        {
            var scope = new SessionScope(session, Slot.Value);
            Slot.Value = session;
            return scope;
        }
    }
}
