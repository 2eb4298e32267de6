using System.Collections.Generic;
using System.Diagnostics;
using Mirascope.Ops.Propagation;
using Xunit;
using static Mirascope.Ops.Tests.Propagation.PropagatorTestKit;

namespace Mirascope.Ops.Tests.Propagation
{
    /// <summary>Zipkin B3, against the header examples of https://github.com/openzipkin/b3-propagation.</summary>
    public class B3PropagatorTests
    {
        [Fact]
        public void Extracts_the_specification_single_header_example()
        {
            var context = Extract(B3Propagator.SingleHeader, ("b3", "80f198ee56343ba864fe8b2a57d3eff7-05e3ac9a4f6e3b90-1-e457b5a2e4d86bd1"));

            Assert.Equal("80f198ee56343ba864fe8b2a57d3eff7", context.TraceId.ToHexString());
            Assert.Equal("05e3ac9a4f6e3b90", context.SpanId.ToHexString());
            Assert.Equal(ActivityTraceFlags.Recorded, context.TraceFlags);
            Assert.True(context.IsRemote);
        }

        [Theory]
        [InlineData("80f198ee56343ba864fe8b2a57d3eff7-05e3ac9a4f6e3b90-1", true)]
        [InlineData("80f198ee56343ba864fe8b2a57d3eff7-05e3ac9a4f6e3b90-d", true)]
        [InlineData("80f198ee56343ba864fe8b2a57d3eff7-05e3ac9a4f6e3b90-0", false)]
        [InlineData("80f198ee56343ba864fe8b2a57d3eff7-05e3ac9a4f6e3b90", false)]
        public void Single_header_sampling_state_accept_and_debug_mean_sampled(string header, bool sampled)
        {
            var context = Extract(B3Propagator.SingleHeader, ("b3", header));

            Assert.Equal("05e3ac9a4f6e3b90", context.SpanId.ToHexString());
            Assert.Equal(sampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None, context.TraceFlags);
        }

        [Fact]
        public void Extracts_the_specification_multiple_header_example()
        {
            var context = Extract(
                B3Propagator.MultiHeader,
                ("X-B3-TraceId", "80f198ee56343ba864fe8b2a57d3eff7"),
                ("X-B3-ParentSpanId", "05e3ac9a4f6e3b90"),
                ("X-B3-SpanId", "e457b5a2e4d86bd1"),
                ("X-B3-Sampled", "1"));

            Assert.Equal("80f198ee56343ba864fe8b2a57d3eff7", context.TraceId.ToHexString());
            Assert.Equal("e457b5a2e4d86bd1", context.SpanId.ToHexString());
            Assert.Equal(ActivityTraceFlags.Recorded, context.TraceFlags);
        }

        [Fact]
        public void A_64_bit_trace_id_is_left_padded_to_128_bits()
        {
            var context = Extract(B3Propagator.MultiHeader, ("x-b3-traceid", "463ac35c9f6413ad"), ("x-b3-spanid", "a2fb4a1d1a96d312"), ("x-b3-sampled", "1"));

            Assert.Equal("0000000000000000463ac35c9f6413ad", context.TraceId.ToHexString());
            Assert.Equal("a2fb4a1d1a96d312", context.SpanId.ToHexString());
        }

        [Theory]
        [InlineData("x-b3-flags", "1", true)]
        [InlineData("x-b3-sampled", "true", true)]
        [InlineData("x-b3-sampled", "0", false)]
        [InlineData("x-b3-sampled", "false", false)]
        public void Multiple_headers_debug_flag_and_lenient_true_mean_sampled(string header, string value, bool sampled)
        {
            var context = Extract(
                B3Propagator.MultiHeader,
                ("X-B3-TraceId", "463ac35c9f6413ad48485a3953bb6124"),
                ("X-B3-SpanId", "a2fb4a1d1a96d312"),
                (header, value));

            Assert.Equal("463ac35c9f6413ad48485a3953bb6124", context.TraceId.ToHexString());
            Assert.Equal(sampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None, context.TraceFlags);
        }

        [Fact]
        public void The_single_header_takes_precedence_over_multiple_headers()
        {
            var context = Extract(
                B3Propagator.MultiHeader,
                ("b3", "80f198ee56343ba864fe8b2a57d3eff7-05e3ac9a4f6e3b90-1"),
                ("x-b3-traceid", "463ac35c9f6413ad48485a3953bb6124"),
                ("x-b3-spanid", "a2fb4a1d1a96d312"));

            Assert.Equal("80f198ee56343ba864fe8b2a57d3eff7", context.TraceId.ToHexString());
        }

        [Theory]
        [InlineData("0")]
        [InlineData("1")]
        [InlineData("d")]
        [InlineData("")]
        [InlineData("not-b3")]
        [InlineData("80f198ee56343ba864fe8b2a57d3eff7-05e3ac9a4f6e3b90-x")]
        [InlineData("80f198ee56343ba864fe8b2a57d3eff7-05e3ac9a4f6e3b90-1-e457b5a2")]
        [InlineData("80f198ee56343ba864fe8b2a57d3eff7-05e3ac9a4f6e3b90-1-e457b5a2e4d86bd1-extra")]
        [InlineData("80F198EE56343BA864FE8B2A57D3EFF7-05e3ac9a4f6e3b90-1")]
        [InlineData("80f198ee56343ba864fe8b2a57d3ef-05e3ac9a4f6e3b90-1")]
        [InlineData("00000000000000000000000000000000-05e3ac9a4f6e3b90-1")]
        [InlineData("80f198ee56343ba864fe8b2a57d3eff7-0000000000000000-1")]
        [InlineData("80f198ee56343ba864fe8b2a57d3eff7-05e3ac9a4f6e3b9-1")]
        public void Malformed_or_id_less_single_header_gives_an_empty_context(string header)
        {
            Assert.Equal(default, Extract(B3Propagator.SingleHeader, ("b3", header)));
        }

        [Theory]
        [InlineData("463ac35c9f6413ad48485a3953bb6124", null)]
        [InlineData(null, "a2fb4a1d1a96d312")]
        [InlineData("463ac35c9f6413ad48485a3953bb612", "a2fb4a1d1a96d312")]
        [InlineData("463ac35c9f6413ad48485a3953bb6124", "a2fb4a1d1a96d31z")]
        public void Malformed_or_incomplete_multiple_headers_give_an_empty_context(string? traceId, string? spanId)
        {
            var carrier = new Dictionary<string, string>();
            if (traceId is not null) carrier["x-b3-traceid"] = traceId;
            if (spanId is not null) carrier["x-b3-spanid"] = spanId;

            Assert.Equal(default, B3Propagator.MultiHeader.Extract(CarrierReader.ForPairs(carrier)));
        }

        [Fact]
        public void Single_format_injects_one_b3_header()
        {
            var carrier = Inject(B3Propagator.SingleHeader, Context("80f198ee56343ba864fe8b2a57d3eff7", "05e3ac9a4f6e3b90", sampled: true));

            Assert.Equal(new Dictionary<string, string> { ["b3"] = "80f198ee56343ba864fe8b2a57d3eff7-05e3ac9a4f6e3b90-1" }, carrier);
        }

        [Fact]
        public void Multi_format_injects_trace_span_and_sampled_headers()
        {
            var carrier = Inject(B3Propagator.MultiHeader, Context("80f198ee56343ba864fe8b2a57d3eff7", "05e3ac9a4f6e3b90", sampled: false));

            Assert.Equal(
                new Dictionary<string, string>
                {
                    ["x-b3-traceid"] = "80f198ee56343ba864fe8b2a57d3eff7",
                    ["x-b3-spanid"] = "05e3ac9a4f6e3b90",
                    ["x-b3-sampled"] = "0",
                },
                carrier);
        }
    }
}
