using System.Collections.Generic;
using System.Diagnostics;
using Mirascope.Ops.Propagation;
using Xunit;
using static Mirascope.Ops.Tests.Propagation.PropagatorTestKit;

namespace Mirascope.Ops.Tests.Propagation
{
    /// <summary>Jaeger <c>uber-trace-id</c>, against https://www.jaegertracing.io/docs/1.17/client-libraries/#propagation-format.</summary>
    public class JaegerPropagatorTests
    {
        private static readonly JaegerPropagator Propagator = JaegerPropagator.Instance;

        [Theory]
        [InlineData("4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7:0:1", "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", true)]
        [InlineData("4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7:5b4185666d50d68d:01", "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", true)]
        [InlineData("4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7:0:0", "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", false)]
        [InlineData("4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7:0:3", "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", true)]
        [InlineData("4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7:0:8", "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", false)]
        [InlineData("51729f13a64c2ef3:258169797d519815:51729f13a64c2ef3:1", "000000000000000051729f13a64c2ef3", "258169797d519815", true)]
        [InlineData("deadbeef:deadbef0:0:1", "000000000000000000000000deadbeef", "00000000deadbef0", true)]
        [InlineData("4BF92F3577B34DA6A3CE929D0E0E4736:00F067AA0BA902B7:0:1", "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", true)]
        [InlineData("4bf92f3577b34da6a3ce929d0e0e4736%3A00f067aa0ba902b7%3A0%3A1", "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", true)]
        public void Extracts_variable_length_ids_and_the_sampled_bit(string header, string traceId, string spanId, bool sampled)
        {
            var context = Extract(Propagator, ("Uber-Trace-Id", header));

            Assert.Equal(traceId, context.TraceId.ToHexString());
            Assert.Equal(spanId, context.SpanId.ToHexString());
            Assert.Equal(sampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None, context.TraceFlags);
            Assert.True(context.IsRemote);
        }

        [Theory]
        [InlineData("")]
        [InlineData("garbage")]
        [InlineData("4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7:0")]
        [InlineData("4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7:0:1:9")]
        [InlineData("0:00f067aa0ba902b7:0:1")]
        [InlineData("4bf92f3577b34da6a3ce929d0e0e4736:0:0:1")]
        [InlineData("4bf92f3577b34da6a3ce929d0e0e47361:00f067aa0ba902b7:0:1")]
        [InlineData("4bf92f3577b34da6a3ce929d0e0e4736:100f067aa0ba902b7:0:1")]
        [InlineData("4bf92f3577b34da6a3ce929d0e0e473g:00f067aa0ba902b7:0:1")]
        [InlineData("4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7::1")]
        [InlineData("4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7:0:")]
        [InlineData("4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7:0:100")]
        [InlineData("4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7:0:zz")]
        [InlineData("%ZZ4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7:0:1")]
        public void Malformed_header_gives_an_empty_context(string header)
        {
            Assert.Equal(default, Extract(Propagator, ("uber-trace-id", header)));
        }

        [Fact]
        public void Injects_full_width_ids_a_zero_parent_and_two_digit_flags()
        {
            var sampled = Inject(Propagator, Context("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", sampled: true));
            var notSampled = Inject(Propagator, Context("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", sampled: false));

            Assert.Equal(new Dictionary<string, string> { ["uber-trace-id"] = "4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7:0:01" }, sampled);
            Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7:0:00", notSampled["uber-trace-id"]);
        }
    }
}
