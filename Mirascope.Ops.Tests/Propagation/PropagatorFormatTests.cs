using System;
using System.Collections.Generic;
using System.Linq;
using Mirascope.Ops.Propagation;
using Mirascope.Ops.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Propagation
{
    [Collection(PropagatorFormatCollection.Name)]
    public sealed class PropagatorFormatTests : IDisposable
    {
        public static IEnumerable<object[]> InjectedHeaders => new[]
        {
            new object[] { PropagatorFormat.TraceContext, new[] { "traceparent" } },
            new object[] { PropagatorFormat.B3, new[] { "b3" } },
            new object[] { PropagatorFormat.B3Multi, new[] { "x-b3-sampled", "x-b3-spanid", "x-b3-traceid" } },
            new object[] { PropagatorFormat.Jaeger, new[] { "uber-trace-id" } },
            new object[] { PropagatorFormat.Composite, new[] { "b3", "traceparent", "uber-trace-id", "x-b3-sampled", "x-b3-spanid", "x-b3-traceid" } },
        };

        public static IEnumerable<object[]> SingleFormatHeaders => new[]
        {
            new object[] { "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" },
            new object[] { "b3", "4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1" },
            new object[] { "uber-trace-id", "4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7:0:1" },
        };

        public void Dispose()
        {
            Environment.SetEnvironmentVariable(PropagatorSettings.EnvironmentVariable, null);
            PropagatorSettings.Reset();
        }

        [Theory]
        [MemberData(nameof(InjectedHeaders))]
        public void Each_format_injects_mirascopes_headers_and_extracts_them_back(PropagatorFormat format, string[] expected)
        {
            MirascopeOps.UsePropagator(format);
            using var capture = new SpanCapture();
            var carrier = new Dictionary<string, string>();

            string spanId;
            using (var span = MirascopeOps.Span("client"))
            {
                spanId = span.SpanId;
                MirascopeOps.InjectContext(carrier);
            }

            Assert.Equal(expected, carrier.Keys.OrderBy(k => k, StringComparer.Ordinal));
            var extracted = MirascopeOps.ExtractContext(carrier);
            Assert.Equal(capture.Root.TraceId, extracted.ActivityContext.TraceId);
            Assert.Equal(spanId, extracted.ActivityContext.SpanId.ToHexString());
        }

        [Fact]
        public void With_a_session_the_session_header_is_injected_as_well()
        {
            using var capture = new SpanCapture();
            var carrier = new Dictionary<string, string>();

            using (MirascopeOps.Session(id: "s"))
            using (MirascopeOps.Span("client"))
            {
                MirascopeOps.InjectContext(carrier);
            }

            Assert.Equal(new[] { "Mirascope-Session-Id", "traceparent" }, carrier.Keys.OrderBy(k => k, StringComparer.Ordinal));
        }

        [Theory]
        [MemberData(nameof(SingleFormatHeaders))]
        public void Composite_extracts_any_one_format(string header, string value)
        {
            MirascopeOps.UsePropagator(PropagatorFormat.Composite);

            var extracted = MirascopeOps.ExtractContext(new Dictionary<string, string> { [header] = value });

            Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", extracted.ActivityContext.TraceId.ToHexString());
            Assert.Equal("00f067aa0ba902b7", extracted.ActivityContext.SpanId.ToHexString());
        }

        [Fact]
        public void Composite_prefers_trace_context_when_formats_disagree()
        {
            MirascopeOps.UsePropagator(PropagatorFormat.Composite);

            var extracted = MirascopeOps.ExtractContext(new Dictionary<string, string>
            {
                ["uber-trace-id"] = "11111111111111111111111111111111:1111111111111111:0:1",
                ["traceparent"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                ["b3"] = "22222222222222222222222222222222-2222222222222222-1",
            });

            Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", extracted.ActivityContext.TraceId.ToHexString());
        }

        [Fact]
        public void A_format_extracts_only_its_own_headers()
        {
            MirascopeOps.UsePropagator(PropagatorFormat.Jaeger);

            var extracted = MirascopeOps.ExtractContext(new Dictionary<string, string> { ["traceparent"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" });

            Assert.False(extracted.HasParent);
        }

        [Fact]
        public void MIRASCOPE_PROPAGATOR_selects_the_format()
        {
            Environment.SetEnvironmentVariable(PropagatorSettings.EnvironmentVariable, "b3multi");
            PropagatorSettings.Reset();
            using var capture = new SpanCapture();
            var carrier = new Dictionary<string, string>();

            using (MirascopeOps.Span("client"))
            {
                MirascopeOps.InjectContext(carrier);
            }

            Assert.Equal(new[] { "x-b3-sampled", "x-b3-spanid", "x-b3-traceid" }, carrier.Keys.OrderBy(k => k, StringComparer.Ordinal));
        }

        [Fact]
        public void An_unknown_MIRASCOPE_PROPAGATOR_is_a_clear_configuration_error_until_a_format_is_set_in_code()
        {
            Environment.SetEnvironmentVariable(PropagatorSettings.EnvironmentVariable, "zipkin");
            PropagatorSettings.Reset();
            var headers = new Dictionary<string, string>();

            var onInject = Assert.Throws<InvalidOperationException>(() => MirascopeOps.InjectContext(headers));
            var onExtract = Assert.Throws<InvalidOperationException>(() => MirascopeOps.ExtractContext(headers));
            Assert.Throws<InvalidOperationException>(() => MirascopeOps.PropagatedContext(extractFrom: headers));
            MirascopeOps.UsePropagator(PropagatorFormat.TraceContext);
            MirascopeOps.InjectContext(headers);

            Assert.Equal(
                "MIRASCOPE_PROPAGATOR is 'zipkin', which is not a propagator format. Use one of: tracecontext, b3, b3multi, jaeger, composite.",
                onInject.Message);
            Assert.Equal(onInject.Message, onExtract.Message);
        }
    }
}
