using System.Diagnostics;
using Mirascope.Ops.Sessions;

namespace Mirascope.Ops.Tracing
{
    /// <summary>
    /// Adds the ambient context (the current session and user) to every span Mirascope.Ops starts, traced methods,
    /// explicit spans and chat spans alike. Called only for spans that record all data.
    /// </summary>
    internal static class SpanEnrichment
    {
        /// <summary>
        /// Sets the session and user attributes. Outside any session or user scope this is one field read (one
        /// async-local read once a scope was ever opened) and allocates nothing.
        /// </summary>
        public static void OnStart(Activity activity)
        {
            var identity = AmbientSession.Identity;
            if (identity is null)
            {
                return;
            }

            if (identity.Session is { } session)
            {
                activity.SetTag(SessionAttributeKeys.Id, session.Id);
                if (session.AttributesJson is { } json)
                {
                    activity.SetTag(SessionAttributeKeys.Attributes, json);
                }
            }

            if (identity.UserId is { } user)
            {
                activity.SetTag(SessionAttributeKeys.UserId, user);
            }
        }
    }
}
