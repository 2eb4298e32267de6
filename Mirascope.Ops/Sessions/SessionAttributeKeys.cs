namespace Mirascope.Ops.Sessions
{
    /// <summary>Mirascope's attribute keys of the session a span was started in, and its HTTP header.</summary>
    internal static class SessionAttributeKeys
    {
        public const string Id = "mirascope.ops.session.id";
        public const string Attributes = "mirascope.ops.session.attributes";
        public const string Header = "Mirascope-Session-Id";
    }
}
