using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Mirascope.Ops.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Spans
{
    public class SpanTests
    {
        public static IEnumerable<object[]> Configurations => WovenAssembly.Configurations;

        private static Dictionary<string, object?> Attributes(ActivityEvent e) => e.Tags.ToDictionary(t => t.Key, t => t.Value);

        [Fact]
        public void Explicit_span_records_attributes_events_and_error_status_like_mirascope()
        {
            using var capture = new SpanCapture();

            using (var span = MirascopeOps.Span("work"))
            {
                span.Set("a", 1);
                span.Set("b", "x");
                span.Event("evt", new { ok = true });
                span.Error("boom", new { code = 500 });
            }

            var recorded = capture.Single("work");
            Assert.Equal(
                new Dictionary<string, object?> { ["mirascope.type"] = "trace", ["a"] = 1, ["b"] = "x" },
                recorded.TagObjects.ToDictionary(t => t.Key, t => t.Value));
            Assert.Equal(ActivityStatusCode.Error, recorded.Status);
            Assert.Equal("boom", recorded.StatusDescription);
            var events = recorded.Events.ToList();
            Assert.Equal(new[] { "evt", "error" }, events.Select(e => e.Name));
            Assert.Equal(new Dictionary<string, object?> { ["ok"] = true }, Attributes(events[0]));
            Assert.Equal(new Dictionary<string, object?> { ["level"] = "error", ["message"] = "boom", ["code"] = 500 }, Attributes(events[1]));
        }

        [Fact]
        public void Log_helpers_add_events_named_by_level_carrying_level_and_message()
        {
            using var capture = new SpanCapture();

            using (var span = MirascopeOps.Span("logging"))
            {
                span.Debug("d");
                span.Info("i", new Dictionary<string, object?> { ["rows"] = 3 });
                span.Warning("w");
            }

            var recorded = capture.Single("logging");
            var events = recorded.Events.ToList();
            Assert.Equal(new[] { "debug", "info", "warning" }, events.Select(e => e.Name));
            Assert.Equal(new Dictionary<string, object?> { ["level"] = "debug", ["message"] = "d" }, Attributes(events[0]));
            Assert.Equal(new Dictionary<string, object?> { ["level"] = "info", ["message"] = "i", ["rows"] = 3 }, Attributes(events[1]));
            Assert.Equal(new Dictionary<string, object?> { ["level"] = "warning", ["message"] = "w" }, Attributes(events[2]));
            Assert.Equal(ActivityStatusCode.Unset, recorded.Status);
        }

        [Fact]
        public void Critical_adds_a_critical_event_and_sets_status_error()
        {
            using var capture = new SpanCapture();

            using (var span = MirascopeOps.Span("fatal"))
            {
                span.Critical("disk on fire");
            }

            var recorded = capture.Single("fatal");
            var e = Assert.Single(recorded.Events);
            Assert.Equal("critical", e.Name);
            Assert.Equal(new Dictionary<string, object?> { ["level"] = "critical", ["message"] = "disk on fire" }, Attributes(e));
            Assert.Equal(ActivityStatusCode.Error, recorded.Status);
        }

        [Fact]
        public void Initial_attributes_are_set_from_an_anonymous_object_or_a_dictionary()
        {
            using var capture = new SpanCapture();

            using (MirascopeOps.Span("anonymous", new { rows = 3L, source = "s3" }))
            {
            }

            using (MirascopeOps.Span("dictionary", new Dictionary<string, object?> { ["rows"] = 4, ["skipped"] = null }))
            {
            }

            Assert.Equal(3L, capture.Single("anonymous").Tag("rows"));
            Assert.Equal("s3", capture.Single("anonymous").Tag("source"));
            Assert.Equal(4, capture.Single("dictionary").Tag("rows"));
            Assert.DoesNotContain(capture.Single("dictionary").TagObjects, t => t.Key == "skipped");
        }

        [Fact]
        public void Lists_and_objects_are_recorded_as_json_and_small_integers_as_long()
        {
            using var capture = new SpanCapture();

            using (var span = MirascopeOps.Span("values"))
            {
                span.Set(new { list = new List<int> { 1, 2 }, obj = new { a = "b" }, small = (short)7, when = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero) });
            }

            var recorded = capture.Single("values");
            Assert.Equal("[1,2]", recorded.Tag("list"));
            Assert.Equal("{\"a\":\"b\"}", recorded.Tag("obj"));
            Assert.Equal(7L, recorded.Tag("small"));
            Assert.Equal("2025-01-02T03:04:05.0000000+00:00", recorded.Tag("when"));
        }

        [Fact]
        public void Long_text_attributes_and_messages_are_capped_with_the_truncation_marker()
        {
            using var capture = new SpanCapture();
            var big = new string('y', 1_000_000);

            using (var span = MirascopeOps.Span("big"))
            {
                span.Set("text", big);
                span.Info(big);
            }

            var recorded = capture.Single("big");
            var text = (string)recorded.Tag("text")!;
            var message = (string)Attributes(recorded.Events.Single())["message"]!;
            Assert.EndsWith(Mirascope.Ops.Tracing.CappedJsonBuilder.Marker, text);
            Assert.True(text.Length < big.Length / 10, $"length {text.Length}");
            Assert.Equal(text, message);
        }

        [Fact]
        public void Explicit_span_is_a_child_of_the_current_span_and_current_until_disposed()
        {
            using var capture = new SpanCapture();

            string outerId, innerId;
            using (var outer = MirascopeOps.Span("outer"))
            {
                Assert.Same(outer.Activity, Activity.Current);
                outerId = outer.SpanId;
                using (var inner = MirascopeOps.Span("inner"))
                {
                    innerId = inner.SpanId;
                    Assert.Same(inner.Activity, Activity.Current);
                    Assert.Equal(outer.TraceId, inner.TraceId);
                }

                Assert.Same(outer.Activity, Activity.Current);
            }

            Assert.Same(capture.Root, Activity.Current);
            Assert.Equal(capture.Root.SpanId, capture.Single("outer").ParentSpanId);
            Assert.Equal(outerId, capture.Single("inner").ParentSpanId.ToHexString());
            Assert.Equal(innerId, capture.Single("inner").SpanId.ToHexString());
            Assert.Matches("^[0-9a-f]{16}$", outerId);
            Assert.Equal(capture.Root.TraceId.ToHexString(), capture.Single("outer").TraceId.ToHexString());
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public void Traced_method_called_in_an_explicit_span_is_its_child(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var calc = woven.New("Calc");
            using var capture = new SpanCapture();

            using (var span = MirascopeOps.Span("pipeline"))
            {
                woven.Call(calc, "Multiply", 2, 3);
            }

            Assert.Equal(capture.Single("pipeline").SpanId, capture.Single("Calc.Multiply").ParentSpanId);
        }

        [Fact]
        public void Attributes_and_events_after_the_span_ended_are_ignored()
        {
            using var capture = new SpanCapture();

            var span = MirascopeOps.Span("ended");
            span.Dispose();
            span.Set("late", 1);
            span.Info("late");
            span.Error("late");
            span.Dispose();

            var recorded = capture.Single("ended");
            Assert.Null(recorded.Tag("late"));
            Assert.Empty(recorded.Events);
            Assert.Equal(ActivityStatusCode.Unset, recorded.Status);
        }

        [Fact]
        public void RecordException_adds_the_exception_event_and_error_status()
        {
            using var capture = new SpanCapture();

            using (var span = MirascopeOps.Span("failing"))
            {
                try
                {
                    throw new InvalidOperationException("bad state");
                }
                catch (InvalidOperationException ex)
                {
                    span.RecordException(ex);
                }
            }

            var recorded = capture.Single("failing");
            Assert.Equal(ActivityStatusCode.Error, recorded.Status);
            Assert.Equal("bad state", recorded.StatusDescription);
            Assert.Equal("System.InvalidOperationException", recorded.Tag("error.type"));
            var e = Assert.Single(recorded.Events);
            Assert.Equal("exception", e.Name);
        }

        [Fact]
        public void Explicit_spans_carry_the_session()
        {
            using var capture = new SpanCapture();

            using (MirascopeOps.Session(id: "sess", attributes: new { user = "alice", env = "prod" }))
            using (MirascopeOps.Span("in-session"))
            {
            }

            var recorded = capture.Single("in-session");
            Assert.Equal("sess", recorded.Tag("mirascope.ops.session.id"));
            Assert.Equal("{\"user\":\"alice\",\"env\":\"prod\"}", recorded.Tag("mirascope.ops.session.attributes"));
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public async Task CurrentSpan_inside_a_traced_method_adds_to_that_methods_span(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var nesting = woven.New("Nesting");
            using var capture = new SpanCapture();
            var gate = new TaskCompletionSource<bool>();
            gate.SetResult(true);
            var seen = new List<string>();

            var task = (Task<string?>)woven.Call(nesting, "SlowAsync", gate, new Action<Activity?>(_ =>
            {
                var current = MirascopeOps.CurrentSpan;
                seen.Add(current.SpanId);
                current.Info("inside", new { step = seen.Count });
                current.Set("visited", true);
                current.Dispose();
            }))!;
            await task;

            var span = capture.Single("Nesting.SlowAsync");
            Assert.Equal(new[] { span.SpanId.ToHexString(), span.SpanId.ToHexString() }, seen);
            Assert.Equal(true, span.Tag("visited"));
            Assert.Equal(new[] { "info", "info" }, span.Events.Select(e => e.Name));
            Assert.Equal(2, Attributes(span.Events.Last())["step"]);
        }

        [Fact]
        public void CurrentSpan_outside_any_Mirascope_span_is_a_noop()
        {
            using var capture = new SpanCapture();

            var current = MirascopeOps.CurrentSpan;
            current.Info("nobody hears this");
            current.Set("x", 1);

            Assert.True(current.IsNoop);
            Assert.Null(current.Activity);
            Assert.Equal(string.Empty, current.SpanId);
            Assert.Equal(string.Empty, current.TraceId);
            Assert.Empty(capture.Root.Events);
            Assert.Null(capture.Root.GetTagItem("x"));
        }

        [Fact]
        public void CurrentSpan_of_an_explicit_span_does_not_end_it_when_disposed()
        {
            using var capture = new SpanCapture();

            using (var span = MirascopeOps.Span("owner"))
            {
                MirascopeOps.CurrentSpan.Dispose();
                Assert.False(span.Activity!.IsStopped);
                MirascopeOps.CurrentSpan.Warning("still open");
            }

            Assert.Equal("warning", Assert.Single(capture.Single("owner").Events).Name);
        }
    }
}
