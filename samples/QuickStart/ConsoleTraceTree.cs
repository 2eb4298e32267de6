using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;

namespace QuickStart
{
    /// <summary>
    /// A stand-in for the console exporter of <c>Ops.Configure()</c>: listens to the <c>Mirascope.Ops</c> source and
    /// prints each finished trace as an indented tree. Delete this file once Ops.Configure() prints the tree itself.
    /// </summary>
    internal sealed class ConsoleTraceTree : IDisposable
    {
        private const int MaxValueLength = 60;
        private readonly ActivityListener _listener;
        private readonly List<Activity> _finished = new List<Activity>();

        private ConsoleTraceTree()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == "Mirascope.Ops",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = OnStopped,
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public static ConsoleTraceTree Start() => new ConsoleTraceTree();

        public void Dispose() => _listener.Dispose();

        private void OnStopped(Activity activity)
        {
            lock (_finished)
            {
                _finished.Add(activity);
                var parentIsOurs = _finished.Any(a => a.SpanId == activity.ParentSpanId)
                    || activity.Parent?.Source.Name == "Mirascope.Ops";
                if (parentIsOurs)
                {
                    return;
                }

                var tree = new StringBuilder();
                Write(tree, activity, prefix: string.Empty, childPrefix: string.Empty);
                _finished.RemoveAll(a => a.TraceId == activity.TraceId);
                Console.Write(tree.ToString());
            }
        }

        private void Write(StringBuilder tree, Activity span, string prefix, string childPrefix)
        {
            tree.Append(prefix).Append(span.DisplayName)
                .Append("  ").Append(span.Duration.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture)).Append(" ms");
            Append(tree, "args", span.GetTagItem("mirascope.trace.arg_values"));
            Append(tree, "output", span.GetTagItem("mirascope.trace.output"));
            Append(tree, "tags", span.GetTagItem("mirascope.trace.tags"));
            Append(tree, "metadata", span.GetTagItem("mirascope.trace.metadata"));
            if (span.Status == ActivityStatusCode.Error)
            {
                tree.Append("  ERROR ").Append(span.GetTagItem("error.type")).Append(": ").Append(OneLine(span.StatusDescription));
            }

            tree.AppendLine();
            var children = _finished.Where(a => a.ParentSpanId == span.SpanId).OrderBy(a => a.StartTimeUtc).ToList();
            for (var i = 0; i < children.Count; i++)
            {
                var last = i == children.Count - 1;
                Write(tree, children[i], childPrefix + (last ? "└─ " : "├─ "), childPrefix + (last ? "   " : "│  "));
            }
        }

        private static void Append(StringBuilder tree, string label, object? value)
        {
            var text = value switch
            {
                null => null,
                string[] items => "[" + string.Join(", ", items) + "]",
                IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString(),
            };
            if (string.IsNullOrEmpty(text) || text == "{}")
            {
                return;
            }

            text = OneLine(text);
            if (text.Length > MaxValueLength)
            {
                text = text.Substring(0, MaxValueLength) + "…";
            }

            tree.Append("  ").Append(label).Append(' ').Append(text);
        }

        private static string OneLine(string? text) => (text ?? string.Empty).Replace("\r", string.Empty).Replace('\n', ' ');
    }
}
