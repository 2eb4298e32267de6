using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace Mirascope.Ops.Export
{
    /// <summary>
    /// One model call seen by two layers in the console tree: our <c>UseMirascopeOps()</c> span outside, the provider SDK's
    /// own <c>chat</c> span inside (once <c>OpsLlm.Instrument()</c> turned it on), each with the call's
    /// <c>gen_ai.usage.*</c>. Printing both token counts would show the call's tokens twice, so the inner span names the
    /// outer one instead. The rule is the viewer's (docs/viewer.md, "Each call counted once";
    /// <c>viewer/Mirascope.Ops.Viewer/Storage/RepeatedCalls.cs</c>): a span with usage repeats a call when an ancestor
    /// with usage either has the same <c>gen_ai.response.id</c> (both have one), or (one has none) is its parent and
    /// names the same model with the same input and output tokens; the nearest such ancestor counts it.
    /// </summary>
    internal static class RepeatedModelCall
    {
        private const string InputTokens = "gen_ai.usage.input_tokens";
        private const string OutputTokens = "gen_ai.usage.output_tokens";
        private const string ResponseId = "gen_ai.response.id";
        private const string ResponseModel = "gen_ai.response.model";
        private const string RequestModel = "gen_ai.request.model";

        /// <summary>
        /// Whether the span carries a model call's token counts. An agent's span (<c>invoke_agent</c>,
        /// <c>invoke_workflow</c>) with usage holds its run's total, not a call: it neither repeats nor counts one.
        /// </summary>
        public static bool HasUsage(Activity span) =>
            (span.GetTagItem(InputTokens) is not null || span.GetTagItem(OutputTokens) is not null) && !IsAgent(span);

        /// <summary>Whether the span is an agent's run (its usage, if any, the total of the model calls under it).</summary>
        public static bool IsAgent(Activity span) => span.GetTagItem("gen_ai.operation.name") is "invoke_agent" or "invoke_workflow";

        /// <summary>
        /// The ancestor that counts <paramref name="span"/>'s call, or null when the span is a call of its own (or has no
        /// usage). <paramref name="ancestors"/> are the span's ancestors in the printed tree, from its top down to the
        /// span's parent.
        /// </summary>
        public static Activity? CountedBy(Activity span, IReadOnlyList<Activity> ancestors)
        {
            if (!HasUsage(span))
            {
                return null;
            }

            var id = span.GetTagItem(ResponseId) as string;
            for (var i = ancestors.Count - 1; i >= 0; i--)
            {
                var ancestor = ancestors[i];
                if (!HasUsage(ancestor))
                {
                    continue;
                }

                if (id is not null && ancestor.GetTagItem(ResponseId) is string ancestorId)
                {
                    if (string.Equals(id, ancestorId, StringComparison.Ordinal))
                    {
                        return ancestor;
                    }
                }
                else if (i == ancestors.Count - 1 && SameModelAndTokens(span, ancestor))
                {
                    return ancestor;
                }
            }

            return null;
        }

        private static bool SameModelAndTokens(Activity span, Activity ancestor) =>
            Model(span) is { } model
            && string.Equals(model, Model(ancestor), StringComparison.Ordinal)
            && SameNumber(span.GetTagItem(InputTokens), ancestor.GetTagItem(InputTokens))
            && SameNumber(span.GetTagItem(OutputTokens), ancestor.GetTagItem(OutputTokens));

        /// <summary>The model as the viewer stores it for this rule: Mirascope's response model id, else the conventions' response, else request model.</summary>
        private static string? Model(Activity span) =>
            span.GetTagItem("mirascope.response.model_id") as string ?? span.GetTagItem(ResponseModel) as string ?? span.GetTagItem(RequestModel) as string;

        /// <summary>Equal counts whatever integer type each layer recorded them as (int, long); both absent is equal.</summary>
        private static bool SameNumber(object? a, object? b)
        {
            if (a is null || b is null)
            {
                return a is null && b is null;
            }

            try
            {
                return Convert.ToDecimal(a, System.Globalization.CultureInfo.InvariantCulture) == Convert.ToDecimal(b, System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (Exception exception) when (exception is FormatException || exception is InvalidCastException || exception is OverflowException)
            {
                return false;
            }
        }
    }
}
