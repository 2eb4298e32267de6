using System.Diagnostics;

namespace Mirascope.Ops.Tracing
{
    /// <summary>
    /// Records extra attributes for results that carry more than a value (an LLM response carries usage, model and
    /// content). Called for every non-primitive, non-null result of a traced method whose span records all data.
    /// </summary>
    internal static class ResultEnrichment
    {
        /// <summary>Records what the result carries; returns true when <c>mirascope.trace.output</c> was also handled.</summary>
        public static bool TryRecord(Activity activity, object result) => false;
    }
}
