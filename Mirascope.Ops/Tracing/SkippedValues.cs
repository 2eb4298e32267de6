using System.Diagnostics;

namespace Mirascope.Ops.Tracing
{
    /// <summary>
    /// How a span says its values were not recorded: <c>mirascope.trace.values_skipped</c> on the span, with why, and
    /// <c>mirascope.trace.values_skipped_calls</c> on the trace's top span in this process, with how many calls of the
    /// trace were skipped.
    /// </summary>
    internal static class SkippedValues
    {
        /// <summary>The trace's recording budget was spent.</summary>
        public const string TraceBudget = "trace_budget";

        /// <summary>The method's <c>MaxRecordedCallsPerTrace</c> calls of this trace had recorded.</summary>
        public const string CallsPerTrace = "calls_per_trace";

        /// <summary>The method records no values (<c>[Trace(RecordValues = false)]</c>).</summary>
        public const string Disabled = "disabled";

        public static string Reason(SkipReason reason) => reason switch
        {
            SkipReason.CallsPerTrace => CallsPerTrace,
            SkipReason.Disabled => Disabled,
            _ => TraceBudget,
        };

        /// <summary>
        /// When a span with no Mirascope parent in this process (the trace's top span here) ends: tags it with the number
        /// of the trace's calls, so far, whose values were skipped, if any.
        /// </summary>
        public static void OnStop(Activity activity)
        {
            if (!activity.IsAllDataRequested || (activity.Parent is { } parent && ReferenceEquals(parent.Source, activity.Source)))
            {
                return;
            }

            var skipped = TraceRecordingBudgets.Find(activity)?.SkippedCalls ?? 0;
            if (skipped > 0)
            {
                activity.SetTag(SpanAttributes.ValuesSkippedCalls, skipped);
            }
        }
    }
}
