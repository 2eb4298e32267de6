using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Mirascope.Ops.Tests.Infrastructure;
using Mirascope.Ops.Tests.Runtime;
using Xunit;

namespace Mirascope.Ops.Tests.Weaving
{
    /// <summary>
    /// A thousand concurrent async calls in one trace, paired by their recorded arguments. Recording every call of one
    /// method in a trace takes the process-wide <c>MaxRecordedCallsPerTrace = 0</c>, which any test building an export
    /// pipeline resets to its default: so this runs alone.
    /// </summary>
    [Collection(AloneCollection.Name)]
    public class ConcurrentAsyncSpanTests
    {
        public static IEnumerable<object[]> Configurations => WovenAssembly.Configurations;

        [Theory]
        [MemberData(nameof(Configurations))]
        public async Task A_thousand_concurrent_calls_each_parent_their_own_child(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var nesting = woven.New("Nesting");
            using var capture = new SpanCapture();

            // The test pairs parents and children by their recorded arguments: every call of the trace records them.
            // (Only the recording-budget tests, which run alone, depend on the default.)
            Tracing.RecordingLimits.MaxRecordedCallsPerTrace = 0;
            int[] results;
            try
            {
                var calls = Enumerable.Range(0, 1000).Select(i => Task.Run(() => (Task<int>)woven.Call(nesting, "ParentAsync", i)!)).ToArray();
                results = await Task.WhenAll(calls);
            }
            finally
            {
                Tracing.RecordingLimits.MaxRecordedCallsPerTrace = Tracing.RecordingLimits.DefaultMaxRecordedCallsPerTrace;
            }

            Assert.Equal(Enumerable.Range(0, 1000), results);
            var parents = capture.Spans.Where(s => s.DisplayName == "Nesting.ParentAsync").ToDictionary(s => (string)s.Tag("mirascope.trace.arg_values")!);
            var children = capture.Spans.Where(s => s.DisplayName == "Nesting.ChildAsync").ToList();
            Assert.Equal(1000, parents.Count);
            Assert.Equal(1000, children.Count);
            foreach (var child in children)
            {
                var parent = parents[(string)child.Tag("mirascope.trace.arg_values")!];
                Assert.Equal(parent.SpanId, child.ParentSpanId);
                Assert.Equal(parent.Tag("mirascope.trace.output"), child.Tag("mirascope.trace.output"));
            }
        }
    }
}
