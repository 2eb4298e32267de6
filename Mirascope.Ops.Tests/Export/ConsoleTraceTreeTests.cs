using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Mirascope.Ops.Configuration;
using Mirascope.Ops.Export;
using Mirascope.Ops.Tests.Export.Infrastructure;
using Mirascope.Ops.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Export
{
    public class ConsoleTraceTreeTests
    {
        private const string Duration = @"\d+\.\d\d (ms|s)";

        [Fact]
        public void Finished_trace_prints_as_an_indented_tree_with_duration_args_output_and_errors()
        {
            var console = new StringWriter();
            using var pipeline = Pipelines.Build(o => o.UseConsole(console));
            Assert.Equal(new[] { "console" }, pipeline.Exporters);
            var woven = WovenAssembly.Get("Release");
            // A value no parallel test uses, so this test finds its own trees among everything the provider prints.
            var x = new Random().Next(100_000, 999_999);

            System.Diagnostics.Activity.Current = null;
            woven.Call(woven.New("Nesting"), "Outer", x);
            Assert.ThrowsAny<Exception>(() => woven.Call(woven.New("Errors"), "Throws", x));
            Assert.True(pipeline.ForceFlush(TimeSpan.FromSeconds(10)));

            var lines = console.ToString().Split('\n');
            var top = Array.FindIndex(lines, l => l.StartsWith("● Nesting.Outer ", StringComparison.Ordinal) && l.Contains($"{{\"x\":{x}}}"));
            Assert.True(top >= 0, console.ToString());
            Assert.Matches($"^● Nesting.Outer  {Duration}  args {{\"x\":{x}}}  → {4 * x + 2}$", lines[top]);
            Assert.Matches($"^  ├─ Nesting.Inner  {Duration}  args {{\"x\":{x}}}  → {2 * x}$", lines[top + 1]);
            Assert.Matches($"^  └─ Nesting.Inner  {Duration}  args {{\"x\":{x + 1}}}  → {2 * x + 2}$", lines[top + 2]);
            Assert.Contains(lines, l => Regex.IsMatch(l, $"^✗ Errors.Throws  {Duration}  args {{\"x\":{x}}}  error BookNotFoundException: no book {x}$"));
            Assert.DoesNotContain('\u001b', console.ToString());
        }

        [Fact]
        public void Children_of_failed_and_nested_calls_are_drawn_with_continuation_lines_and_marked()
        {
            var formatter = new TraceTreeFormatter(colour: false, unicode: true);
            using var listener = new SpanCapture();
            var woven = WovenAssembly.Get("Release");
            var outer = Tracing.OpsActivitySource.Source.StartActivity("outer")!;
            var middle = Tracing.OpsActivitySource.Source.StartActivity("middle")!;
            woven.Call(woven.New("Calc"), "Multiply", 2, 3);
            middle.Stop();
            Assert.ThrowsAny<Exception>(() => woven.Call(woven.New("Errors"), "Throws", 1));
            outer.Stop();

            var output = new System.Text.StringBuilder();
            var spans = listener.Spans.Append(outer).ToList();
            formatter.Append(output, outer, spans.ToLookup(s => s.ParentSpanId), new System.Collections.Generic.HashSet<System.Diagnostics.Activity>());
            var lines = output.ToString().TrimEnd('\n').Split('\n');

            Assert.Equal(4, lines.Length);
            Assert.Matches($"^● outer  {Duration}$", lines[0]);
            Assert.Matches($"^  ├─ middle  {Duration}$", lines[1]);
            Assert.Matches($"^  │  └─ Calc.Multiply  {Duration}  args {{\"x\":2,\"y\":3}}  → 6$", lines[2]);
            Assert.Matches($"^  └─ ✗ Errors.Throws  {Duration}  args {{\"x\":1}}  error BookNotFoundException: no book 1$", lines[3]);
        }

        [Fact]
        public void Long_values_are_shortened_and_kept_on_one_line()
        {
            var formatter = new TraceTreeFormatter(colour: false, unicode: true);
            using var capture = new SpanCapture();
            var woven = WovenAssembly.Get("Release");
            woven.Call(woven.New("Calc"), "Analyze", new string('a', 200) + "\nsecond line");
            var span = capture.Single("analyze");

            var output = new System.Text.StringBuilder();
            formatter.Append(output, span, Array.Empty<System.Diagnostics.Activity>().ToLookup(s => s.ParentSpanId), new System.Collections.Generic.HashSet<System.Diagnostics.Activity>());

            var line = Assert.Single(output.ToString().TrimEnd('\n').Split('\n'));
            Assert.Contains("args {\"text\":\"aaaa", line);
            Assert.Contains("…", line);
            Assert.Contains("tags [ml-pipeline, production]", line);
        }

        [Fact]
        public void Coloured_tree_paints_marker_name_and_error_and_plain_tree_has_no_escape_codes()
        {
            using var capture = new SpanCapture();
            var woven = WovenAssembly.Get("Release");
            Assert.ThrowsAny<Exception>(() => woven.Call(woven.New("Errors"), "Throws", 2));
            var span = capture.Single("Errors.Throws");
            var none = Array.Empty<System.Diagnostics.Activity>().ToLookup(s => s.ParentSpanId);

            var coloured = new System.Text.StringBuilder();
            new TraceTreeFormatter(colour: true, unicode: true).Append(coloured, span, none, new System.Collections.Generic.HashSet<System.Diagnostics.Activity>());
            Assert.StartsWith("\u001b[31m✗\u001b[0m \u001b[1mErrors.Throws\u001b[0m", coloured.ToString());
            Assert.Contains("\u001b[31merror BookNotFoundException: no book 2\u001b[0m", coloured.ToString());

            var ascii = new System.Text.StringBuilder();
            new TraceTreeFormatter(colour: false, unicode: false).Append(ascii, span, none, new System.Collections.Generic.HashSet<System.Diagnostics.Activity>());
            Assert.StartsWith("x Errors.Throws  ", ascii.ToString());
            Assert.DoesNotContain('\u001b', ascii.ToString());
        }

        [Theory]
        [InlineData(true, false, null, null, true)]
        [InlineData(true, true, null, null, false)]        // stdout redirected to a file or pipe
        [InlineData(false, false, null, null, false)]      // a writer of the app's choosing
        [InlineData(true, false, "1", null, false)]        // NO_COLOR set
        [InlineData(true, false, "", null, true)]          // NO_COLOR empty counts as unset
        [InlineData(true, false, null, "dumb", false)]     // TERM=dumb
        public void Colour_only_on_a_terminal_stdout_without_NO_COLOR(bool stdout, bool redirected, string? noColor, string? term, bool expected)
        {
            var environment = TestEnvironment.With(new[] { ("NO_COLOR", noColor), ("TERM", term) }.Where(v => v.Item2 is not null).Select(v => (v.Item1, v.Item2!)).ToArray());
            Assert.Equal(expected, ConsoleColour.Enabled(stdout, redirected, environment));
        }

        [Theory]
        [InlineData(0.12, "0.12 ms")]
        [InlineData(523.456, "523.46 ms")]
        [InlineData(1250, "1.25 s")]
        public void Durations_are_milliseconds_below_a_second_and_seconds_above(double milliseconds, string expected)
        {
            Assert.Equal(expected, TraceTreeFormatter.FormatDuration(TimeSpan.FromTicks((long)(milliseconds * TimeSpan.TicksPerMillisecond))));
        }
    }
}
