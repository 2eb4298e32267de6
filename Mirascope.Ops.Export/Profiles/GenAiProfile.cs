using System.Diagnostics;

namespace Mirascope.Ops.Profiles
{
    /// <summary>
    /// The GenAI conventions' own keys, for backends that read only them (Aspire, Datadog, Grafana): beside the
    /// identity every profile adds, a model call in a session says which conversation it belongs to. No key the
    /// conventions do not define.
    /// </summary>
    internal static class GenAiProfile
    {
        public static void OnEnd(Activity activity, in SpanFacts facts)
        {
            if (facts.IsModelCall && !facts.HasConversationId && facts.SessionId is { } session)
            {
                activity.SetTag(ProfileKeys.ConversationId, session);
            }
        }
    }
}
