using System;
using System.Diagnostics;
using Mirascope.Ops.Tests.Infrastructure;
using Mirascope.Ops.Tests.Weaving;
using Mirascope.Ops.Tracing;
using Xunit;

namespace Mirascope.Ops.Tests.Spans
{
    /// <summary>
    /// Spans when nothing (or only a dropping sampler) listens. Runs alone: a parallel test's listener would record
    /// these spans, because an ActivitySource honours the most permissive of its listeners.
    /// </summary>
    [Collection(NoListenerCollection.Name)]
    public class NoopSpanTests
    {
        [Fact]
        public void Span_without_listeners_is_a_noop_that_allocates_nothing()
        {
            Assert.False(OpsActivitySource.Source.HasListeners(), "a test left a listener on Mirascope.Ops alive");
            UseSpan("warm-up");

            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 1000; i++)
            {
                UseSpan("quiet");
            }

            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
            using var span = MirascopeOps.Span("ids");
            Assert.True(span.IsNoop);
            Assert.Null(span.Activity);
            Assert.Equal(string.Empty, span.SpanId);
            Assert.Equal(string.Empty, span.TraceId);
        }

        [Fact]
        public void Span_dropped_by_the_sampler_is_a_noop_and_the_current_span_stays()
        {
            using var capture = new SpanCapture(ActivitySamplingResult.None);
            var outer = new Activity("outer").Start();
            try
            {
                using (var span = MirascopeOps.Span("dropped", new { a = 1 }))
                {
                    span.Error("ignored");
                    Assert.True(span.IsNoop);
                    Assert.Null(span.Activity);
                    Assert.Same(outer, Activity.Current);
                }

                Assert.Same(outer, Activity.Current);
                Assert.Equal(ActivityStatusCode.Unset, outer.Status);
            }
            finally
            {
                outer.Stop();
            }
        }

        [Fact]
        public void Span_sampled_for_propagation_only_is_a_noop_that_still_parents_its_children()
        {
            using var capture = new SpanCapture(ActivitySamplingResult.PropagationData);

            using var span = MirascopeOps.Span("propagation-only", new { a = 1 });
            span.Set("b", 2);
            span.Info("ignored");
            using var child = MirascopeOps.Span("child");

            Assert.True(span.IsNoop);
            Assert.NotNull(span.Activity);
            Assert.Null(span.Activity!.GetTagItem("a"));
            Assert.Null(span.Activity.GetTagItem("b"));
            Assert.Empty(span.Activity.Events);
            Assert.Matches("^[0-9a-f]{16}$", span.SpanId);
            Assert.Equal(span.Activity.SpanId, child.Activity!.ParentSpanId);
            Assert.Equal(span.TraceId, child.TraceId);
        }

        private static void UseSpan(string name)
        {
            using var span = MirascopeOps.Span(name);
            span.Set("key", "value");
            span.Event("event");
            span.Info("message");
            span.Error("failure");
            MirascopeOps.CurrentSpan.Warning("nobody");
        }
    }
}
