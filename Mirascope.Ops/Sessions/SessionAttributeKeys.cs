namespace Mirascope.Ops.Sessions
{
    /// <summary>Mirascope's attribute keys of the session and user a span was started in, and the session's HTTP header.</summary>
    internal static class SessionAttributeKeys
    {
        public const string Id = "mirascope.ops.session.id";
        public const string Attributes = "mirascope.ops.session.attributes";
        public const string UserId = "mirascope.ops.user.id";
        public const string Header = "Mirascope-Session-Id";
    }
}
