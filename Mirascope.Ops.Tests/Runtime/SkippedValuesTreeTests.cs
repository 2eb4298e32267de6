using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Mirascope.Ops.Export;
using Mirascope.Ops.Tests.Infrastructure;
using Mirascope.Ops.Tracing;
using Xunit;

namespace Mirascope.Ops.Tests.Runtime
{
    /// <summary>
    /// The console tree says, in place of the values, that a call's values were not recorded, why, and which call of
    /// its method it was; the top line says for how many calls of the tree. Changes process-wide limits: runs alone.
    /// </summary>
    [Collection(AloneCollection.Name)]
    public class SkippedValuesTreeTests
    {
        private const string Duration = @"\d+\.\d\d (ms|s)";

        [Fact]
        public void The_console_tree_says_which_calls_skipped_their_values_why_and_how_many()
        {
            var woven = WovenAssembly.Get("Release");
            RecordingLimits.MaxRecordedCallsPerTrace = 2;
            try
            {
                using var capture = new SpanCapture();
                woven.Call(woven.New("Agent"), "Run", "w", 4);

                var lines = Format(capture, capture.Single("Agent.Run"));
                Assert.Equal(5, lines.Length);
                Assert.Matches($"^● Agent.Run  {Duration}  args {{\"task\":\"w\",\"steps\":4}}  → \\[.*  values not recorded for 2 of 5 calls$", lines[0]);
                Assert.Matches($"^  ├─ Agent.CallTool  {Duration}  args .*w step 0.*  → search found .*$", lines[1]);
                Assert.Matches($"^  ├─ Agent.CallTool  {Duration}  args .*w step 1.*  → search found .*$", lines[2]);
                Assert.Matches($"^  ├─ Agent.CallTool  {Duration}  values not recorded: MaxRecordedCallsPerTrace reached, call 3 of 4$", lines[3]);
                Assert.Matches($"^  └─ Agent.CallTool  {Duration}  values not recorded: MaxRecordedCallsPerTrace reached, call 4 of 4$", lines[4]);
            }
            finally
            {
                RecordingLimits.MaxRecordedCallsPerTrace = RecordingLimits.DefaultMaxRecordedCallsPerTrace;
            }

            RecordingLimits.TraceBudget = System.TimeSpan.Zero;
            RecordingLimits.TraceBudgetPercent = 0;
            try
            {
                using var capture = new SpanCapture();
                woven.Call(woven.New("Agent"), "Run", "w", 2);

                var lines = Format(capture, capture.Single("Agent.Run"));
                Assert.Matches($"^● Agent.Run  {Duration}  values not recorded: trace recording budget spent, call 1 of 1  values not recorded for 3 of 3 calls$", lines[0]);
                Assert.Matches($"^  ├─ Agent.CallTool  {Duration}  values not recorded: trace recording budget spent, call 1 of 2$", lines[1]);
                Assert.Matches($"^  └─ Agent.CallTool  {Duration}  values not recorded: trace recording budget spent, call 2 of 2$", lines[2]);
            }
            finally
            {
                RecordingLimits.TraceBudget = RecordingLimits.DefaultTraceBudget;
                RecordingLimits.TraceBudgetPercent = RecordingLimits.DefaultTraceBudgetPercent;
            }
        }

        private static string[] Format(SpanCapture capture, Activity top)
        {
            var output = new StringBuilder();
            new TraceTreeFormatter(colour: false, unicode: true).Append(output, top, capture.Spans.ToLookup(s => s.ParentSpanId), new HashSet<Activity>());
            return output.ToString().TrimEnd('\n').Split('\n');
        }
    }
}
