using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace Mirascope.Ops.Benchmarks.CallHeavy
{
    /// <summary>What one recorded operation's spans carry: per span name, how many and how much argument/output text.</summary>
    internal static class SpanStatistics
    {
        public const string ArgValues = "mirascope.trace.arg_values";

        public const string Output = "mirascope.trace.output";

        public static void Print(List<Activity> spans, TextWriter to, int top = 12)
        {
            static int Length(Activity span, string key) => span.GetTagItem(key) is string text ? text.Length : 0;
            var withArgs = spans.Count(s => s.GetTagItem(ArgValues) is string);
            var argChars = spans.Sum(s => (long)Length(s, ArgValues));
            var outputChars = spans.Sum(s => (long)Length(s, Output));
            to.WriteLine($"[call-heavy] AllDataAndRecorded: {spans.Count:N0} spans per operation, {withArgs:N0} with {ArgValues}, "
                + $"{argChars:N0} chars of arguments and {outputChars:N0} chars of outputs recorded ({spans.Select(s => s.DisplayName).Distinct().Count()} span names)");
            to.WriteLine($"[call-heavy] top {top} span names by recorded argument text: spans, argument chars (mean, max), output chars; one sample");
            foreach (var group in spans.GroupBy(s => s.DisplayName).OrderByDescending(g => g.Sum(s => (long)Length(s, ArgValues))).Take(top))
            {
                var args = group.Select(s => Length(s, ArgValues)).ToArray();
                var sample = group.Select(s => s.GetTagItem(ArgValues) as string).FirstOrDefault(a => a is not null) ?? "";
                sample = sample.Length > 160 ? sample.Substring(0, 160) + "…" : sample;
                to.WriteLine($"[call-heavy]   {group.Key}: {group.Count():N0} spans, {args.Sum(a => (long)a):N0} chars "
                    + $"({args.Average():N0}, {args.Max():N0}), output {group.Sum(s => (long)Length(s, Output)):N0}; {sample}");
            }
        }
    }
}
