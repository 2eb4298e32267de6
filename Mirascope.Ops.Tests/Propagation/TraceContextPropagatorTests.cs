using System.Collections.Generic;
using System.Diagnostics;
using Mirascope.Ops.Propagation;
using Xunit;
using static Mirascope.Ops.Tests.Propagation.PropagatorTestKit;

namespace Mirascope.Ops.Tests.Propagation
{
    /// <summary>W3C Trace Context, against the examples and rules of https://www.w3.org/TR/trace-context/.</summary>
    public class TraceContextPropagatorTests
    {
        private static readonly TraceContextPropagator Propagator = TraceContextPropagator.Instance;

        [Fact]
        public void Extracts_the_specification_example_with_its_tracestate()
        {
            var context = Extract(
                Propagator,
                ("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
                ("tracestate", "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"));

            Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", context.TraceId.ToHexString());
            Assert.Equal("00f067aa0ba902b7", context.SpanId.ToHexString());
            Assert.Equal(ActivityTraceFlags.Recorded, context.TraceFlags);
            Assert.Equal("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE", context.TraceState);
            Assert.True(context.IsRemote);
        }

        [Fact]
        public void Flags_00_means_not_sampled()
        {
            var context = Extract(Propagator, ("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"));

            Assert.Equal("00f067aa0ba902b7", context.SpanId.ToHexString());
            Assert.Equal(ActivityTraceFlags.None, context.TraceFlags);
        }

        [Fact]
        public void A_later_version_with_more_fields_is_read_by_its_first_four()
        {
            var context = Extract(Propagator, ("traceparent", "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-09-what-the-future-will-be-like"));

            Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", context.TraceId.ToHexString());
            Assert.Equal(ActivityTraceFlags.Recorded, context.TraceFlags);
        }

        [Fact]
        public void Tracestate_sent_as_several_header_lines_is_joined()
        {
            var carrier = new Dictionary<string, string[]>
            {
                ["traceparent"] = new[] { "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" },
                ["tracestate"] = new[] { "rojo=00f067aa0ba902b7", "congo=t61rcWkgMzE" },
            };

            var context = Propagator.Extract(CarrierReader.ForPairs(carrier));

            Assert.Equal("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE", context.TraceState);
        }

        [Theory]
        [InlineData("")]
        [InlineData("garbage")]
        [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7")]
        [InlineData("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01")]
        [InlineData("00-00000000000000000000000000000000-00f067aa0ba902b7-01")]
        [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01")]
        [InlineData("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")]
        [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra")]
        [InlineData("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01.extra")]
        [InlineData("00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01")]
        [InlineData("00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01")]
        [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0x")]
        public void Malformed_traceparent_gives_an_empty_context(string traceParent)
        {
            var context = Extract(Propagator, ("traceparent", traceParent), ("tracestate", "rojo=1"));

            Assert.Equal(default, context);
        }

        [Fact]
        public void Injects_version_00_with_the_sampled_flag_and_the_tracestate()
        {
            var carrier = Inject(Propagator, Context("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", sampled: true, "congo=t61rcWkgMzE"));

            Assert.Equal(
                new Dictionary<string, string>
                {
                    ["traceparent"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                    ["tracestate"] = "congo=t61rcWkgMzE",
                },
                carrier);
        }

        [Fact]
        public void Injects_only_traceparent_without_tracestate_and_00_when_not_sampled()
        {
            var carrier = Inject(Propagator, Context("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", sampled: false));

            Assert.Equal(new Dictionary<string, string> { ["traceparent"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00" }, carrier);
        }
    }
}
