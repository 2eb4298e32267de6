using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Mirascope.Ops.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Weaving
{
    public class WrappedCallTests
    {
        public static IEnumerable<object[]> Configurations => WovenAssembly.Configurations;

        [Theory]
        [MemberData(nameof(Configurations))]
        public void Wrapped_returns_the_result_with_the_ids_of_the_first_direct_traced_call(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var nesting = woven.New("Nesting");
            using var capture = new SpanCapture();

            Trace<int> trace = MirascopeOps.Wrapped(() => (int)woven.Call(nesting, "Outer", 2)! + (int)woven.Call(nesting, "Inner", 1)!);

            Assert.Equal(12, trace.Result);
            var outer = capture.Single("Nesting.Outer");
            Assert.Same(outer, trace.Activity);
            Assert.Equal(outer.SpanId.ToHexString(), trace.SpanId);
            Assert.Equal(outer.TraceId.ToHexString(), trace.TraceId);
            Assert.Matches(new Regex("^[0-9a-f]{16}$"), trace.SpanId);
            Assert.Matches(new Regex("^[0-9a-f]{32}$"), trace.TraceId);
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public async Task WrappedAsync_returns_the_awaited_result_and_the_span(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var calc = woven.New("Calc");
            using var capture = new SpanCapture();

            Trace<string> trace = await MirascopeOps.WrappedAsync(() => (Task<string>)woven.Call(calc, "FetchAsync", "u")!);

            Assert.Equal("u", trace.Result);
            Assert.Equal(capture.Single("Calc.FetchAsync").SpanId.ToHexString(), trace.SpanId);
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public void Void_form_gives_the_span_of_the_call(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var outputs = woven.New("Outputs");
            using var capture = new SpanCapture();

            TracedCall call = MirascopeOps.Wrapped(() => { woven.Call(outputs, "Nothing"); });

            Assert.Equal(capture.Single("Outputs.Nothing").SpanId.ToHexString(), call.SpanId);
        }

        [Fact]
        public void Ids_are_empty_when_nothing_traced_ran()
        {
            using var capture = new SpanCapture();

            var trace = MirascopeOps.Wrapped(() => 5);

            Assert.Equal(5, trace.Result);
            Assert.Null(trace.Activity);
            Assert.Equal(string.Empty, trace.SpanId);
            Assert.Equal(string.Empty, trace.TraceId);
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public void Nested_wrapped_calls_each_see_their_own_direct_child(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var nesting = woven.New("Nesting");
            using var capture = new SpanCapture();

            Trace<int>? inner = null;
            var outer = MirascopeOps.Wrapped(() =>
            {
                var value = (int)woven.Call(nesting, "Inner", 1)!;
                inner = MirascopeOps.Wrapped(() => (int)woven.Call(nesting, "Inner", 2)!);
                return value;
            });

            Assert.NotEqual(outer.SpanId, inner!.SpanId);
            Assert.Equal(new[] { "{\"x\":1}", "{\"x\":2}" }, new[] { (string?)outer.Activity!.GetTagItem("mirascope.trace.arg_values"), (string?)inner.Activity!.GetTagItem("mirascope.trace.arg_values") });
        }
    }
}
