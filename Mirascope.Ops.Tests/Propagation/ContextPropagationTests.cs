using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using Mirascope.Ops.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Propagation
{
    /// <summary>Inject, extract and propagated scopes with the default format (W3C Trace Context).</summary>
    public class ContextPropagationTests
    {
        private const string RemoteSpanId = "00f067aa0ba902b7";

        public static IEnumerable<object[]> Configurations => WovenAssembly.Configurations;

        /// <summary>Headers of a caller in the capture's trace, so spans parented to it are captured.</summary>
        private static Dictionary<string, string> Incoming(SpanCapture capture, string? sessionId = null)
        {
            var headers = new Dictionary<string, string> { ["traceparent"] = $"00-{capture.Root.TraceId.ToHexString()}-{RemoteSpanId}-01" };
            if (sessionId is not null)
            {
                headers["Mirascope-Session-Id"] = sessionId;
            }

            return headers;
        }

        [Fact]
        public void Inject_writes_the_current_span_as_traceparent_and_the_session_id()
        {
            using var capture = new SpanCapture();
            var carrier = new Dictionary<string, string>();

            using (MirascopeOps.Session(id: "s-1"))
            using (var span = MirascopeOps.Span("client"))
            {
                MirascopeOps.InjectContext(carrier);

                Assert.Equal(
                    new Dictionary<string, string>
                    {
                        ["traceparent"] = $"00-{span.TraceId}-{span.SpanId}-01",
                        ["Mirascope-Session-Id"] = "s-1",
                    },
                    carrier);
            }
        }

        [Fact]
        public void Inject_without_a_span_writes_only_the_session_header_and_without_a_session_nothing()
        {
            var previous = Activity.Current;
            Activity.Current = null;
            try
            {
                var empty = new Dictionary<string, string>();
                MirascopeOps.InjectContext(empty);
                var sessionOnly = new Dictionary<string, string>();
                using (MirascopeOps.Session(id: "lonely"))
                {
                    MirascopeOps.InjectContext(sessionOnly);
                }

                Assert.Empty(empty);
                Assert.Equal(new Dictionary<string, string> { ["Mirascope-Session-Id"] = "lonely" }, sessionOnly);
            }
            finally
            {
                Activity.Current = previous;
            }
        }

        [Fact]
        public void Inject_into_request_headers_replaces_stale_values()
        {
            using var capture = new SpanCapture();
            using var request = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1/");
            request.Headers.TryAddWithoutValidation("traceparent", "00-11111111111111111111111111111111-1111111111111111-01");

            using (var span = MirascopeOps.Span("client"))
            {
                MirascopeOps.InjectContext(request.Headers);

                Assert.Equal(new[] { $"00-{span.TraceId}-{span.SpanId}-01" }, request.Headers.GetValues("traceparent"));
            }
        }

        [Fact]
        public void Inject_through_a_setter_reaches_any_carrier()
        {
            using var capture = new SpanCapture();
            var properties = new List<(string, string)>();

            using (MirascopeOps.Session(id: "s"))
            using (MirascopeOps.Span("producer"))
            {
                MirascopeOps.InjectContext(properties, (carrier, name, value) => carrier.Add((name, value)));
            }

            Assert.Equal(new[] { "traceparent", "Mirascope-Session-Id" }, properties.Select(p => p.Item1));
        }

        [Fact]
        public void Extract_matches_header_names_case_insensitively()
        {
            var context = MirascopeOps.ExtractContext(new Dictionary<string, string>
            {
                ["TraceParent"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                ["mirascope-session-id"] = "sess-9",
            });

            Assert.True(context.HasParent);
            Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", context.ActivityContext.TraceId.ToHexString());
            Assert.Equal("00f067aa0ba902b7", context.ActivityContext.SpanId.ToHexString());
            Assert.True(context.ActivityContext.IsRemote);
            Assert.Equal("sess-9", context.SessionId);
        }

        [Fact]
        public void Extract_reads_list_valued_headers_by_their_first_value_and_ignores_an_empty_session()
        {
            var context = MirascopeOps.ExtractContext(new Dictionary<string, string[]>
            {
                ["traceparent"] = new[] { "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "00-11111111111111111111111111111111-1111111111111111-01" },
                ["Mirascope-Session-Id"] = new[] { string.Empty },
            });

            Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", context.ActivityContext.TraceId.ToHexString());
            Assert.Null(context.SessionId);
        }

        [Fact]
        public void Extract_reads_HttpHeaders_and_any_carrier_through_a_getter()
        {
            using var request = new HttpRequestMessage();
            request.Headers.TryAddWithoutValidation("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
            request.Headers.TryAddWithoutValidation("Mirascope-Session-Id", "from-http");
            var fromHeaders = MirascopeOps.ExtractContext(request.Headers);

            var properties = new List<(string Name, string Value)> { ("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01") };
            var fromGetter = MirascopeOps.ExtractContext(properties, (carrier, name) => carrier.Where(p => p.Name == name).Select(p => p.Value));

            Assert.Equal("from-http", fromHeaders.SessionId);
            Assert.Equal(ActivityTraceFlags.None, fromHeaders.ActivityContext.TraceFlags);
            Assert.Equal("00f067aa0ba902b7", fromGetter.ActivityContext.SpanId.ToHexString());
            Assert.Null(fromGetter.SessionId);
        }

        [Fact]
        public void Extract_from_malformed_or_throwing_carriers_gives_an_empty_context_without_exception()
        {
            var malformed = MirascopeOps.ExtractContext(new Dictionary<string, string> { ["traceparent"] = "not-a-traceparent" });
            var throwing = MirascopeOps.ExtractContext(new ThrowingCarrier());
            var failingGetter = MirascopeOps.ExtractContext(0, (_, _) => throw new InvalidOperationException("broken carrier"));

            Assert.True(malformed.IsEmpty);
            Assert.True(throwing.IsEmpty);
            Assert.True(failingGetter.IsEmpty);
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public void Spans_started_in_a_propagated_context_are_children_of_the_remote_span_in_its_session(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var calc = woven.New("Calc");
            using var capture = new SpanCapture();

            using (MirascopeOps.PropagatedContext(extractFrom: Incoming(capture, sessionId: "remote-session")))
            {
                Assert.Equal("remote-session", MirascopeOps.CurrentSession?.Id);
                woven.Call(calc, "Multiply", 6, 7);
                using (MirascopeOps.Span("explicit"))
                {
                    woven.Call(calc, "Analyze", "good");
                }
            }

            Assert.Null(MirascopeOps.CurrentSession);
            var traced = capture.Single("Calc.Multiply");
            var explicitSpan = capture.Single("explicit");
            Assert.Equal(RemoteSpanId, traced.ParentSpanId.ToHexString());
            Assert.Equal(RemoteSpanId, explicitSpan.ParentSpanId.ToHexString());
            Assert.True(traced.HasRemoteParent);
            Assert.Equal(explicitSpan.SpanId, capture.Single("analyze").ParentSpanId);
            Assert.All(new[] { traced, explicitSpan, capture.Single("analyze") }, s => Assert.Equal("remote-session", s.Tag("mirascope.ops.session.id")));
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public async Task A_method_returning_an_unfinished_task_in_a_propagated_context_gives_back_the_ambient_activity(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var delegating = woven.New("Delegating");
            using var capture = new SpanCapture();

            Task<int> task;
            using (MirascopeOps.PropagatedContext(extractFrom: Incoming(capture)))
            {
                task = (Task<int>)woven.Call(delegating, "Forward", 4)!;

                // The span's parent is remote, so it is no Activity object: what comes back is what was current.
                Assert.Same(capture.Root, Activity.Current);
            }

            Assert.Equal(4, await task);
            var forward = capture.Single("Delegating.Forward");
            Assert.Equal(RemoteSpanId, forward.ParentSpanId.ToHexString());
            Assert.Equal(forward.SpanId, capture.Single("Nesting.InnerAsync").ParentSpanId);
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public void After_the_propagated_context_ends_spans_take_the_local_parent_again(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var calc = woven.New("Calc");
            using var capture = new SpanCapture();

            using (MirascopeOps.PropagatedContext(extractFrom: Incoming(capture)))
            {
            }

            woven.Call(calc, "Multiply", 1, 1);

            Assert.Equal(capture.Root.SpanId, capture.Single("Calc.Multiply").ParentSpanId);
        }

        [Fact]
        public async Task Propagated_context_flows_across_awaits_and_into_Task_Run()
        {
            using var capture = new SpanCapture();

            using (MirascopeOps.PropagatedContext(extractFrom: Incoming(capture, sessionId: "async")))
            {
                await Task.Yield();
                await Task.Run(() =>
                {
                    using var span = MirascopeOps.Span("in-task");
                });
            }

            var span = capture.Single("in-task");
            Assert.Equal(RemoteSpanId, span.ParentSpanId.ToHexString());
            Assert.Equal("async", span.Tag("mirascope.ops.session.id"));
        }

        [Fact]
        public void Without_trace_headers_spans_keep_their_local_parent_and_the_session_is_still_restored()
        {
            using var capture = new SpanCapture();

            using (MirascopeOps.PropagatedContext(extractFrom: new Dictionary<string, string> { ["Mirascope-Session-Id"] = "only-session" }))
            using (MirascopeOps.Span("local"))
            {
            }

            var span = capture.Single("local");
            Assert.Equal(capture.Root.SpanId, span.ParentSpanId);
            Assert.Equal("only-session", span.Tag("mirascope.ops.session.id"));
        }

        [Fact]
        public void Without_a_session_header_the_current_session_stays()
        {
            using var capture = new SpanCapture();

            using (MirascopeOps.Session(id: "local-session"))
            using (MirascopeOps.PropagatedContext(extractFrom: Incoming(capture)))
            {
                Assert.Equal("local-session", MirascopeOps.CurrentSession?.Id);
            }
        }

        [Fact]
        public void Inject_in_a_propagated_context_before_any_span_forwards_the_remote_parent()
        {
            using var capture = new SpanCapture();
            var outgoing = new Dictionary<string, string>();

            using (MirascopeOps.PropagatedContext(extractFrom: Incoming(capture, sessionId: "hop")))
            {
                MirascopeOps.InjectContext(outgoing);
            }

            Assert.Equal(Incoming(capture, sessionId: "hop"), outgoing);
        }

        [Fact]
        public void An_extracted_context_can_be_applied_later()
        {
            using var capture = new SpanCapture();
            var extracted = MirascopeOps.ExtractContext(Incoming(capture, sessionId: "later"));

            using (var scope = MirascopeOps.PropagatedContext(extracted))
            using (MirascopeOps.Span("applied"))
            {
                Assert.Equal("later", scope.Context.SessionId);
            }

            Assert.Equal(RemoteSpanId, capture.Single("applied").ParentSpanId.ToHexString());
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public void Wrapped_in_a_propagated_context_returns_the_traced_span(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var calc = woven.New("Calc");
            using var capture = new SpanCapture();

            Trace<int> trace;
            using (MirascopeOps.PropagatedContext(extractFrom: Incoming(capture)))
            {
                trace = MirascopeOps.Wrapped(() => (int)woven.Call(calc, "Multiply", 3, 4)!);
            }

            Assert.Equal(12, trace.Result);
            Assert.Same(capture.Single("Calc.Multiply"), trace.Activity);
        }

        private sealed class ThrowingCarrier : IEnumerable<KeyValuePair<string, string>>
        {
            public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => throw new InvalidOperationException("cannot enumerate");

            IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
        }
    }
}
