using System.Diagnostics;
using Mirascope.Ops.Sessions;

namespace Mirascope.Ops.Tracing
{
    /// <summary>
    /// Adds the ambient context (the current session, ...) to every span Mirascope.Ops starts, traced methods and
    /// explicit spans alike. Called only for spans that record all data.
    /// </summary>
    internal static class SpanEnrichment
    {
        /// <summary>Sets the session attributes. Outside a session this is one async-local read and allocates nothing.</summary>
        public static void OnStart(Activity activity)
        {
            var session = AmbientSession.Current;
            if (session is null)
            {
                return;
            }

            activity.SetTag(SessionAttributeKeys.Id, session.Id);
            if (session.AttributesJson is { } json)
            {
                activity.SetTag(SessionAttributeKeys.Attributes, json);
            }
        }
    }
}
