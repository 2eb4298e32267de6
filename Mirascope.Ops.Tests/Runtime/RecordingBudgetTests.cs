using System;
using System.Diagnostics;
using System.Linq;
using Mirascope.Ops.Tests.Infrastructure;
using Mirascope.Ops.Tracing;
using Xunit;

namespace Mirascope.Ops.Tests.Runtime
{
    /// <summary>
    /// Each traced method records the values of its first <see cref="RecordingLimits.MaxRecordedCallsPerTrace"/> calls
    /// per trace; the later calls' spans exist, nest, fail as usual and say their values were skipped.
    /// </summary>
    [Collection(AloneCollection.Name)]
    public class RecordingBudgetTests
    {
        [Theory]
        [MemberData(nameof(WovenAssembly.Configurations), MemberType = typeof(WovenAssembly))]
        public void A_hot_method_records_its_first_calls_per_trace_and_marks_the_rest(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var recorded = woven.New("Recorded");
            var limit = RecordingLimits.DefaultMaxRecordedCallsPerTrace;

            for (var trace = 0; trace < 2; trace++)
            {
                using var capture = new SpanCapture();
                for (var i = 0; i < limit + 20; i++)
                {
                    try
                    {
                        woven.Call(recorded, "Hot", i);
                    }
                    catch (ArgumentOutOfRangeException)
                    {
                    }
                }

                var spans = capture.Spans.Where(s => s.DisplayName == "Recorded.Hot").ToList();
                Assert.Equal(limit + 20, spans.Count);
                Assert.All(spans.Take(limit), s => Assert.Equal(
                    "{\"i\":" + spans.IndexOf(s) + "}", s.GetTagItem("mirascope.trace.arg_values")));
                Assert.All(spans.Skip(limit), s =>
                {
                    Assert.Null(s.GetTagItem("mirascope.trace.arg_values"));
                    Assert.Null(s.GetTagItem("mirascope.trace.output"));
                    Assert.Equal(true, s.GetTagItem("mirascope.trace.values_skipped"));
                    Assert.Equal(capture.Root.SpanId, s.ParentSpanId);
                    Assert.True(s.Recorded);
                });

                // A skipped call that fails still records its error.
                var failedLate = spans.Skip(limit).Where((_, k) => (limit + k) % 7 == 6).ToList();
                Assert.NotEmpty(failedLate);
                Assert.All(failedLate, s =>
                {
                    Assert.Equal(ActivityStatusCode.Error, s.Status);
                    Assert.Equal("System.ArgumentOutOfRangeException", s.GetTagItem("error.type"));
                });
            }
        }

        [Theory]
        [MemberData(nameof(WovenAssembly.Configurations), MemberType = typeof(WovenAssembly))]
        public void With_no_limit_every_call_records_its_values(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var recorded = woven.New("Recorded");
            RecordingLimits.MaxRecordedCallsPerTrace = 0;
            try
            {
                using var capture = new SpanCapture();
                for (var i = 0; i < 100; i++)
                {
                    try
                    {
                        woven.Call(recorded, "Hot", i);
                    }
                    catch (ArgumentOutOfRangeException)
                    {
                    }
                }

                Assert.All(capture.Spans.Where(s => s.DisplayName == "Recorded.Hot"), s => Assert.NotNull(s.GetTagItem("mirascope.trace.arg_values")));
            }
            finally
            {
                RecordingLimits.MaxRecordedCallsPerTrace = RecordingLimits.DefaultMaxRecordedCallsPerTrace;
            }
        }
    }
}
