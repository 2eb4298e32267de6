using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using Mirascope.Ops.Tracing;

namespace Mirascope.Ops.Export
{
    /// <summary>
    /// The console trace tree's format, one line per span (documented in docs/configuration.md; tests and samples
    /// assert it, so change it only on purpose):
    /// <code>
    /// ● Calc.Multiply  0.12 ms  args {"x":5,"y":7}  → 35
    ///   ├─ Calc.Inner  0.01 ms  args {"x":5}  → 10
    ///   └─ ✗ Calc.Fails  0.30 ms  error BookNotFoundException: no book 4
    /// </code>
    /// The top line starts with ● (✗ when the span failed); children are drawn with box characters and marked ✗ only
    /// when they failed. Then the duration and, separated by two spaces: <c>args</c> JSON, <c>→</c> output,
    /// <c>tags [..]</c>, <c>tokens N in / M out</c> (<c>(run total)</c> after an agent's; a model call that repeats one
    /// above it, see <see cref="RepeatedModelCall"/>, says <c>same call as its parent</c> instead, so no call's tokens
    /// are printed twice), <c>error Type: message</c>. Values are shortened to
    /// <see cref="MaxValueLength"/> characters with "…" and kept on one line. A call whose values were not recorded says
    /// so in their place, with why and which call of its method it was in the tree (<c>values not recorded: trace
    /// recording budget spent, call 12 of 20</c>); a top span whose trace skipped values says how many calls did
    /// (<c>values not recorded for 12 of 21 calls</c>).
    /// </summary>
    internal sealed class TraceTreeFormatter
    {
        public const int MaxValueLength = 80;
        public const int MaxErrorLength = 160;

        private const string Reset = "\u001b[0m";
        private const string Bold = "\u001b[1m";
        private const string Dim = "\u001b[2m";
        private const string Red = "\u001b[31m";
        private const string Green = "\u001b[32m";
        private const string Cyan = "\u001b[36m";

        private readonly bool _colour;
        private readonly Glyphs _glyphs;

        public TraceTreeFormatter(bool colour, bool unicode)
        {
            _colour = colour;
            _glyphs = unicode ? Glyphs.Unicode : Glyphs.Ascii;
        }

        /// <summary>Appends the tree under <paramref name="top"/>; every span written is added to <paramref name="written"/>.</summary>
        public void Append(StringBuilder output, Activity top, ILookup<ActivitySpanId, Activity> children, HashSet<Activity> written)
        {
            var calls = CallNumbers.Of(top, children, written);
            var ancestors = new List<Activity>();
            AppendLine(output, top, string.Empty, isTop: true, isLast: true, calls, ancestors);
            written.Add(top);
            ancestors.Add(top);
            AppendChildren(output, top, children, "  ", written, calls, ancestors);
        }

        /// <summary>"0.12 ms" below a second, "1.25 s" above; invariant culture.</summary>
        public static string FormatDuration(TimeSpan duration)
        {
            var milliseconds = duration.Ticks / (double)TimeSpan.TicksPerMillisecond;
            return milliseconds < 1000
                ? milliseconds.ToString("0.00", CultureInfo.InvariantCulture) + " ms"
                : (milliseconds / 1000).ToString("0.00", CultureInfo.InvariantCulture) + " s";
        }

        // ancestors: the spans from the top down to parent, the model calls a child may repeat (RepeatedModelCall).
        private void AppendChildren(StringBuilder output, Activity parent, ILookup<ActivitySpanId, Activity> children, string indent, HashSet<Activity> written, CallNumbers calls, List<Activity> ancestors)
        {
            var ordered = children[parent.SpanId].Where(c => c.TraceId == parent.TraceId && !written.Contains(c)).OrderBy(c => c.StartTimeUtc).ToList();
            for (var i = 0; i < ordered.Count; i++)
            {
                var child = ordered[i];
                var last = i == ordered.Count - 1;
                written.Add(child);
                AppendLine(output, child, indent, isTop: false, isLast: last, calls, ancestors);
                ancestors.Add(child);
                AppendChildren(output, child, children, indent + (last ? "   " : _glyphs.Continue), written, calls, ancestors);
                ancestors.RemoveAt(ancestors.Count - 1);
            }
        }

        private void AppendLine(StringBuilder output, Activity span, string indent, bool isTop, bool isLast, CallNumbers calls, List<Activity> ancestors)
        {
            var failed = span.Status == ActivityStatusCode.Error;
            if (!isTop)
            {
                Paint(output, Dim, indent + (isLast ? _glyphs.Last : _glyphs.Branch));
            }

            if (isTop || failed)
            {
                Paint(output, failed ? Red : Green, failed ? _glyphs.Failed : _glyphs.Ok);
                output.Append(' ');
            }

            Paint(output, Bold, OneLine(span.DisplayName, MaxValueLength));
            output.Append("  ");
            Paint(output, Dim, FormatDuration(span.Duration));

            if (span.GetTagItem(SpanAttributes.ArgValues) is string args && args != "{}")
            {
                output.Append("  args ").Append(OneLine(args, MaxValueLength));
            }

            var result = span.GetTagItem(SpanAttributes.Output);
            if (result is not null)
            {
                output.Append("  ");
                Paint(output, Cyan, _glyphs.Arrow);
                output.Append(' ').Append(OneLine(FormatValue(result), MaxValueLength));
            }

            var skipped = span.GetTagItem(SpanAttributes.ValuesSkipped);
            if (skipped is not null && !Equals(skipped, false))
            {
                output.Append("  ");
                Paint(output, Dim, "values not recorded: " + SkipReason(skipped) + ", call " + calls.Describe(span));
            }

            if (isTop && span.GetTagItem(SpanAttributes.ValuesSkippedCalls) is int skippedCalls && skippedCalls > 0)
            {
                output.Append("  ");
                Paint(output, Dim, "values not recorded for " + skippedCalls.ToString(CultureInfo.InvariantCulture) + " of " + calls.Total.ToString(CultureInfo.InvariantCulture) + " calls");
            }

            if (span.GetTagItem(SpanAttributes.Tags) is string[] { Length: > 0 } tags)
            {
                output.Append("  tags [").Append(OneLine(string.Join(", ", tags), MaxValueLength)).Append(']');
            }

            var inputTokens = span.GetTagItem("gen_ai.usage.input_tokens");
            var outputTokens = span.GetTagItem("gen_ai.usage.output_tokens");
            if (RepeatedModelCall.CountedBy(span, ancestors) is { } outer)
            {
                // The same call as a model call span above it (the SDK's own span under ours): its tokens are on that
                // line, and printing them again would show the call's tokens twice.
                output.Append("  ");
                Paint(output, Dim, ReferenceEquals(outer, ancestors[ancestors.Count - 1])
                    ? "same call as its parent"
                    : "same call as " + OneLine(outer.DisplayName, MaxValueLength) + " above");
            }
            else if (inputTokens is not null || outputTokens is not null)
            {
                output.Append("  tokens ").Append(FormatValue(inputTokens ?? "?")).Append(" in / ").Append(FormatValue(outputTokens ?? "?")).Append(" out");
                if (RepeatedModelCall.IsAgent(span))
                {
                    // An agent's span carries the total of its run's model calls (Microsoft Agent Framework's does), whose own
                    // spans print their tokens below it.
                    output.Append(" (run total)");
                }
            }

            if (failed)
            {
                output.Append("  ");
                Paint(output, Red, "error " + OneLine(ErrorText(span), MaxErrorLength));
            }

            output.Append('\n');
        }

        /// <summary>The reason a span's <c>mirascope.trace.values_skipped</c> gives, in words.</summary>
        private static string SkipReason(object reason) => reason switch
        {
            SkippedValues.TraceBudget => "trace recording budget spent",
            SkippedValues.CallsPerTrace => "MaxRecordedCallsPerTrace reached",
            SkippedValues.Disabled => "RecordValues is off",
            _ => "skipped",
        };

        private static string ErrorText(Activity span)
        {
            var type = span.GetTagItem(SpanAttributes.ErrorType) as string;
            if (type is not null)
            {
                var dot = type.LastIndexOfAny(new[] { '.', '+' });
                type = dot >= 0 ? type.Substring(dot + 1) : type;
            }

            var message = span.StatusDescription;
            if (type is null)
            {
                return string.IsNullOrEmpty(message) ? "(no description)" : message!;
            }

            return string.IsNullOrEmpty(message) ? type : type + ": " + message;
        }

        private static string FormatValue(object value) => value switch
        {
            string text => text,
            bool flag => flag ? "true" : "false",
            double number => number.ToString("R", CultureInfo.InvariantCulture),
            float number => number.ToString("R", CultureInfo.InvariantCulture),
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? string.Empty,
        };

        /// <summary>Keeps a value on one line and at most <paramref name="max"/> characters, never splitting a surrogate pair.</summary>
        private static string OneLine(string text, int max)
        {
            var builder = new StringBuilder(Math.Min(text.Length, max + 1));
            for (var i = 0; i < text.Length; i++)
            {
                if (builder.Length >= max)
                {
                    if (char.IsLowSurrogate(text[i]) && builder.Length > 0)
                    {
                        builder.Length--;
                    }

                    builder.Append('…');
                    break;
                }

                var c = text[i];
                builder.Append(char.IsControl(c) ? ' ' : c);
            }

            return builder.ToString();
        }

        private void Paint(StringBuilder output, string colour, string text)
        {
            if (_colour)
            {
                output.Append(colour).Append(text).Append(Reset);
            }
            else
            {
                output.Append(text);
            }
        }

        /// <summary>Each span's number among the calls of the same name in one printed tree, in start order.</summary>
        private sealed class CallNumbers
        {
            private readonly Dictionary<Activity, int> _number = new Dictionary<Activity, int>();
            private readonly Dictionary<string, int> _count = new Dictionary<string, int>(StringComparer.Ordinal);

            public int Total { get; private set; }

            public static CallNumbers Of(Activity top, ILookup<ActivitySpanId, Activity> children, HashSet<Activity> written)
            {
                var spans = new List<Activity>();
                var pending = new Stack<Activity>();
                var seen = new HashSet<Activity>();
                pending.Push(top);
                while (pending.Count > 0)
                {
                    var span = pending.Pop();
                    if (!seen.Add(span))
                    {
                        continue;
                    }

                    spans.Add(span);
                    foreach (var child in children[span.SpanId])
                    {
                        if (child.TraceId == span.TraceId && !written.Contains(child))
                        {
                            pending.Push(child);
                        }
                    }
                }

                var numbers = new CallNumbers { Total = spans.Count };
                foreach (var span in spans.OrderBy(s => s.StartTimeUtc))
                {
                    numbers._count.TryGetValue(span.DisplayName, out var count);
                    numbers._count[span.DisplayName] = ++count;
                    numbers._number[span] = count;
                }

                return numbers;
            }

            /// <summary>"12 of 20".</summary>
            public string Describe(Activity span)
            {
                _number.TryGetValue(span, out var number);
                _count.TryGetValue(span.DisplayName, out var count);
                return number.ToString(CultureInfo.InvariantCulture) + " of " + count.ToString(CultureInfo.InvariantCulture);
            }
        }

        private sealed class Glyphs
        {
            public static readonly Glyphs Unicode = new Glyphs("●", "✗", "├─ ", "└─ ", "│  ", "→");
            public static readonly Glyphs Ascii = new Glyphs("*", "x", "|- ", "`- ", "|  ", "->");

            private Glyphs(string ok, string failed, string branch, string last, string @continue, string arrow)
            {
                Ok = ok;
                Failed = failed;
                Branch = branch;
                Last = last;
                Continue = @continue;
                Arrow = arrow;
            }

            public string Ok { get; }

            public string Failed { get; }

            public string Branch { get; }

            public string Last { get; }

            public string Continue { get; }

            public string Arrow { get; }
        }
    }
}
