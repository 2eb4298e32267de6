using System;
using System.Collections.Generic;
using System.Linq;
using Mirascope.Ops.Diagnostics;

namespace Mirascope.Ops.Tracing
{
    /// <summary>
    /// ActivitySource names, besides <c>Mirascope.Ops</c>, whose spans the configured export should include: the
    /// gen_ai sources of the LLM libraries once Mirascope.Ops.Llm turned them on. It lives in the runtime so the
    /// export package and the LLM package need not know each other: one adds names, the other reads them.
    /// </summary>
    internal static class AdditionalSources
    {
        private static volatile string[] _names = Array.Empty<string>();

        /// <summary>The names added so far, in the order they were added.</summary>
        public static IReadOnlyList<string> Names => _names;

        /// <summary>Raised after names were added (an export already built may rebuild to include them).</summary>
        public static event Action? Added;

        /// <summary>Adds the names not added yet; raises <see cref="Added"/> when there was one.</summary>
        public static void Add(IEnumerable<string> names)
        {
            lock (typeof(AdditionalSources))
            {
                var merged = _names.Concat(names).Distinct(StringComparer.Ordinal).ToArray();
                if (merged.Length == _names.Length) return;
                _names = merged;
            }

            try
            {
                Added?.Invoke();
            }
            catch (Exception ex)
            {
                OpsEventSource.Log.TracingFailed("add activity sources to the export", ex);
            }
        }
    }
}
