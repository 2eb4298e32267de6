using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;

namespace QuickStart
{
    /// <summary>
    /// A stand-in for the console exporter of <c>Ops.Configure()</c>, in the same format: listens to the
    /// <c>Mirascope.Ops</c> source and prints each finished trace as a tree. Delete this file once Program.cs can call
    /// Ops.Configure() instead.
    /// </summary>
    internal sealed class ConsoleTraceTree : IDisposable
    {
        private const int MaxValueLength = 80;
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
                if (activity.Parent?.Source.Name == "Mirascope.Ops" || _finished.Any(a => a.SpanId == activity.ParentSpanId))
                {
                    return;
                }

                var tree = new StringBuilder();
                Write(tree, activity, indent: string.Empty, branch: string.Empty);
                _finished.RemoveAll(a => a.TraceId == activity.TraceId);
                Console.Write(tree.ToString());
            }
        }

        private void Write(StringBuilder tree, Activity span, string indent, string branch)
        {
            var failed = span.Status == ActivityStatusCode.Error;
            tree.Append(indent).Append(branch);
            if (failed || branch.Length == 0)
            {
                tree.Append(failed ? "✗ " : "● ");
            }

            tree.Append(span.DisplayName).Append("  ")
                .Append(span.Duration.TotalMilliseconds.ToString("0.00", CultureInfo.InvariantCulture)).Append(" ms");
            if (span.GetTagItem("mirascope.trace.arg_values") is string args && args != "{}")
            {
                tree.Append("  args ").Append(OneLine(args));
            }

            if (span.GetTagItem("mirascope.trace.output") is { } output)
            {
                tree.Append("  → ").Append(OneLine(Convert.ToString(output, CultureInfo.InvariantCulture)));
            }

            if (span.GetTagItem("mirascope.trace.tags") is string[] { Length: > 0 } tags)
            {
                tree.Append("  tags [").Append(OneLine(string.Join(", ", tags))).Append(']');
            }

            if (failed)
            {
                var type = (span.GetTagItem("error.type") as string)?.Split('.').Last();
                tree.Append("  error ").Append(type).Append(": ").Append(OneLine(span.StatusDescription));
            }

            tree.AppendLine();
            var children = _finished.Where(a => a.ParentSpanId == span.SpanId).OrderBy(a => a.StartTimeUtc).ToList();
            var childIndent = branch.Length == 0 ? "  " : indent + (branch == "└─ " ? "   " : "│  ");
            for (var i = 0; i < children.Count; i++)
            {
                Write(tree, children[i], childIndent, i == children.Count - 1 ? "└─ " : "├─ ");
            }
        }

        private static string OneLine(string? text)
        {
            var line = (text ?? string.Empty).Replace("\r", string.Empty).Replace('\n', ' ');
            return line.Length > MaxValueLength ? line.Substring(0, MaxValueLength) + "…" : line;
        }
    }
}
