using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Mirascope.Ops.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Weaving
{
    /// <summary>A method that returns a task without being async: its span covers the task, not just the return.</summary>
    public class TaskReturningTests
    {
        public static IEnumerable<object[]> Configurations => WovenAssembly.Configurations;

        [Theory]
        [MemberData(nameof(Configurations))]
        public async Task Span_ends_when_the_returned_task_completes_and_records_its_result(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var delegating = woven.New("Delegating");
            using var capture = new SpanCapture();

            var task = (Task<int>)woven.Call(delegating, "Forward", 5)!;
            Assert.Same(capture.Root, Activity.Current);
            Assert.Equal(5, await task);

            var forward = capture.Single("Delegating.Forward");
            var inner = capture.Single("Nesting.InnerAsync");
            Assert.Equal(5, forward.GetTagItem("mirascope.trace.output"));
            Assert.Equal(true, forward.GetTagItem("mirascope.fn.is_async"));
            Assert.Equal(forward.SpanId, inner.ParentSpanId);
            Assert.True(forward.StartTimeUtc + forward.Duration >= inner.StartTimeUtc + inner.Duration, "the span must cover the awaited work");
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public async Task Plain_cached_value_and_faulted_tasks(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var delegating = woven.New("Delegating");
            using var capture = new SpanCapture();

            await (Task)woven.Call(delegating, "Plain", 20)!;
            Assert.Equal("cached", await (Task<string>)woven.Call(delegating, "Cached")!);
            Assert.Equal(3, await (ValueTask<int>)woven.Call(delegating, "Value", 3)!);
            var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => (Task<int>)woven.Call(delegating, "Faulted")!);

            Assert.True(capture.Single("Delegating.Plain").Duration >= TimeSpan.FromMilliseconds(15));
            Assert.Null(capture.Single("Delegating.Plain").GetTagItem("mirascope.trace.output"));
            Assert.Equal("cached", capture.Single("Delegating.Cached").GetTagItem("mirascope.trace.output"));
            Assert.Equal(3, capture.Single("Delegating.Value").GetTagItem("mirascope.trace.output"));
            var faulted = capture.Single("Delegating.Faulted");
            Assert.Equal(ActivityStatusCode.Error, faulted.Status);
            Assert.Equal(thrown.Message, faulted.StatusDescription);
            Assert.Same(capture.Root, Activity.Current);
        }
    }
}
