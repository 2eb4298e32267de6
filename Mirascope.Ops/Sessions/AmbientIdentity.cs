namespace Mirascope.Ops.Sessions
{
    /// <summary>
    /// Who the current flow works for: the session and the user, held together in one async-local slot so a span
    /// start reads both with one lookup. Immutable: entering a scope publishes a new instance, disposing it puts the
    /// previous one back.
    /// </summary>
    internal sealed class AmbientIdentity
    {
        public AmbientIdentity(SessionContext? session, string? userId)
        {
            Session = session;
            UserId = userId;
        }

        /// <summary>The session, or null inside a user scope opened outside any session.</summary>
        public SessionContext? Session { get; }

        /// <summary>The user id, or null when no user was said.</summary>
        public string? UserId { get; }
    }
}
