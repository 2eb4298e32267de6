using System.Diagnostics;

namespace Mirascope.Ops.Tracing
{
    /// <summary>
    /// Adds the ambient context (the current session, ...) to every span Mirascope.Ops starts, traced methods and
    /// explicit spans alike. Called only for spans that record all data.
    /// </summary>
    internal static class SpanEnrichment
    {
        public static void OnStart(Activity activity)
        {
        }
    }
}
