using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Mirascope.Ops.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Weaving
{
    public class SyncSpanTests
    {
        public static IEnumerable<object[]> Configurations => WovenAssembly.Configurations;

        [Theory]
        [MemberData(nameof(Configurations))]
        public void Traced_call_becomes_a_span_with_mirascope_attributes(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var calc = woven.New("Calc");
            using var capture = new SpanCapture();

            var result = woven.Call(calc, "Multiply", 5, 7);

            Assert.Equal(35, result);
            var span = capture.Single("Calc.Multiply");
            Assert.Equal("Mirascope.Ops", span.Source.Name);
            Assert.Equal(ActivityKind.Internal, span.Kind);
            Assert.Equal(capture.Root.SpanId, span.ParentSpanId);
            Assert.Equal("trace", span.Tag("mirascope.type"));
            Assert.Equal("Calc.Multiply", span.Tag("mirascope.fn.qualname"));
            Assert.Equal("AssemblyToProcess", span.Tag("mirascope.fn.module"));
            Assert.Equal(false, span.Tag("mirascope.fn.is_async"));
            Assert.Equal("AssemblyToProcess.Calc.Multiply", span.Tag("code.function.name"));
            Assert.Equal("{\"x\":\"int\",\"y\":\"int\"}", span.Tag("mirascope.trace.arg_types"));
            Assert.Equal("{\"x\":5,\"y\":7}", span.Tag("mirascope.trace.arg_values"));
            Assert.Equal(35, span.Tag("mirascope.trace.output"));
            Assert.Null(span.Tag("mirascope.trace.tags"));
            Assert.Null(span.Tag("mirascope.trace.metadata"));
            Assert.Equal(ActivityStatusCode.Unset, span.Status);
            Assert.Empty(span.Events);
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public void Name_tags_and_metadata_come_from_the_attribute(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            using var capture = new SpanCapture();

            Assert.Equal("positive", woven.Call(woven.New("Calc"), "Analyze", "good book"));

            var span = capture.Single("analyze");
            Assert.Equal("Calc.Analyze", span.Tag("mirascope.fn.qualname"));
            Assert.Equal(new[] { "ml-pipeline", "production" }, (string[])span.Tag("mirascope.trace.tags")!);
            Assert.Equal("{\"version\":\"1.0\",\"owner\":\"team-ml\"}", span.Tag("mirascope.trace.metadata"));
            Assert.Equal("positive", span.Tag("mirascope.trace.output"));
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public void Argument_types_are_written_as_in_csharp_and_values_as_json(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var book = Activator.CreateInstance(woven.Type("Book"), "Dune", 1965);
            using var capture = new SpanCapture();

            woven.Call(
                woven.New("Outputs"),
                "Describe",
                3, "a \"quoted\"\nname", true, 0.5, book, new Dictionary<string, string> { ["k"] = "v" }, new[] { 1, 2 }, 4, null);

            var span = capture.Single("Outputs.Describe");
            Assert.Equal(
                "{\"count\":\"int\",\"name\":\"string\",\"flag\":\"bool\",\"ratio\":\"double\",\"book\":\"Book\"," +
                "\"map\":\"Dictionary<string, string>\",\"items\":\"int[]\",\"maybe\":\"int?\",\"nothing\":\"string\"}",
                span.Tag("mirascope.trace.arg_types"));
            Assert.Equal(
                "{\"count\":3,\"name\":\"a \\\"quoted\\\"\\nname\",\"flag\":true,\"ratio\":0.5,\"book\":{\"Title\":\"Dune\",\"Year\":1965}," +
                "\"map\":{\"k\":\"v\"},\"items\":[1,2],\"maybe\":4,\"nothing\":null}",
                span.Tag("mirascope.trace.arg_values"));
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public void NoTrace_parameter_is_redacted_but_typed(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            using var capture = new SpanCapture();

            woven.Call(woven.New("Outputs"), "Sensitive", "alice", "hunter2");

            var span = capture.Single("Outputs.Sensitive");
            Assert.Equal("{\"user\":\"string\",\"password\":\"string\"}", span.Tag("mirascope.trace.arg_types"));
            Assert.Equal("{\"user\":\"alice\",\"password\":\"[redacted]\"}", span.Tag("mirascope.trace.arg_values"));
            Assert.DoesNotContain(span.TagObjects, t => t.Value is string s && s.Contains("hunter2"));
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public void A_cyclic_argument_is_recorded_with_a_cycle_marker_and_its_ToString_never_runs(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var cyclic = woven.New("Cyclic");
            cyclic.GetType().GetProperty("Self")!.SetValue(cyclic, cyclic);
            using var capture = new SpanCapture();

            Assert.Equal("ok", woven.Call(woven.New("Outputs"), "Cyclical", cyclic));

            Assert.Equal("{\"value\":{\"Self\":\"<Cyclic: cycle>\"}}", capture.Single("Outputs.Cyclical").Tag("mirascope.trace.arg_values"));
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public void A_computed_property_is_not_evaluated_so_recording_runs_no_traced_code(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var shelf = woven.New("Shelf");
            using var capture = new SpanCapture();

            Assert.Same(shelf, woven.Type("Counter").GetMethod("Stock")!.Invoke(null, new[] { shelf }));

            var stock = capture.Single("Counter.Stock");
            Assert.Equal("{\"shelf\":{\"Name\":\"fantasy\"}}", stock.Tag("mirascope.trace.arg_values"));
            Assert.Equal("{\"Name\":\"fantasy\"}", stock.Tag("mirascope.trace.output"));
            Assert.DoesNotContain(capture.Spans, s => s.DisplayName == "Counter.CountBooks");
        }

        public static IEnumerable<object?[]> OutputCases()
        {
            foreach (var configuration in new[] { "Debug", "Release" })
            {
                yield return new object?[] { configuration, "Text", "hello" };
                yield return new object?[] { configuration, "Flag", true };
                yield return new object?[] { configuration, "Big", 1L << 40 };
                yield return new object?[] { configuration, "Ratio", 0.25 };
                yield return new object?[] { configuration, "Single", 1.5 };
                yield return new object?[] { configuration, "Money", 12.5 };
                yield return new object?[] { configuration, "Small", 7L };
                yield return new object?[] { configuration, "Object", "{\"Title\":\"Dune\",\"Year\":1965}" };
                yield return new object?[] { configuration, "Array", "[1,2,3]" };
                yield return new object?[] { configuration, "Cycle", "{\"Self\":\"<Cyclic: cycle>\"}" };
                yield return new object?[] { configuration, "Day", "\"Friday\"" };
                yield return new object?[] { configuration, "Nothing", null };
                yield return new object?[] { configuration, "NullText", null };
                yield return new object?[] { configuration, "NullObject", null };
            }
        }

        [Theory]
        [MemberData(nameof(OutputCases))]
        public void Output_is_native_for_primitives_json_otherwise_and_absent_for_void_or_null(string configuration, string method, object? expected)
        {
            var woven = WovenAssembly.Get(configuration);
            using var capture = new SpanCapture();

            woven.Call(woven.New("Outputs"), method);

            var span = capture.Single("Outputs." + method);
            Assert.Equal(expected, span.Tag("mirascope.trace.output"));
            Assert.Equal(expected is not null, span.TagObjects.Any(t => t.Key == "mirascope.trace.output"));
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public void Every_return_path_ends_the_span_with_its_own_value(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var outputs = woven.New("Outputs");
            using var capture = new SpanCapture();

            Assert.Equal(-1, woven.Call(outputs, "Early", -5));
            Assert.Equal(3, woven.Call(outputs, "Early", 3));
            Assert.Equal(100, woven.Call(outputs, "Early", 50));

            Assert.Equal(new object[] { -1, 3, 100 }, capture.Spans.Select(s => s.Tag("mirascope.trace.output")).ToArray());
            Assert.All(capture.Spans, s => Assert.True(s.Duration > TimeSpan.Zero || s.IsStopped));
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public void Generic_method_records_its_type_parameter_and_value_for_both_instantiations(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var outputs = woven.New("Outputs");
            using var capture = new SpanCapture();

            Assert.Equal(42, woven.CallGeneric(outputs, "Echo", typeof(int), 42));
            Assert.Equal("x", woven.CallGeneric(outputs, "Echo", typeof(string), "x"));

            var spans = capture.Spans;
            Assert.Equal(2, spans.Count);
            Assert.All(spans, s => Assert.Equal("{\"value\":\"T\"}", s.Tag("mirascope.trace.arg_types")));
            Assert.Equal(new object[] { 42, "x" }, spans.Select(s => s.Tag("mirascope.trace.output")).ToArray());
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public void Nested_calls_form_parent_and_children_and_current_is_restored(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            using var capture = new SpanCapture();

            Assert.Equal(10, woven.Call(woven.New("Nesting"), "Outer", 2));
            Assert.Same(capture.Root, Activity.Current);

            var outer = capture.Single("Nesting.Outer");
            var inners = capture.Spans.Where(s => s.DisplayName == "Nesting.Inner").ToList();
            Assert.Equal(2, inners.Count);
            Assert.All(inners, i => Assert.Equal(outer.SpanId, i.ParentSpanId));
            Assert.All(inners, i => Assert.Equal(outer.TraceId, i.TraceId));
            Assert.Equal(capture.Root.SpanId, outer.ParentSpanId);
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public void Inside_a_traced_body_the_current_activity_is_its_span(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            using var capture = new SpanCapture();

            var inside = (Activity?)woven.Call(woven.New("Outputs"), "CurrentInside");

            Assert.Same(capture.Single("Outputs.CurrentInside"), inside);
            Assert.Same(capture.Root, Activity.Current);
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public void Class_level_trace_covers_public_methods_only(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var service = woven.New("Service");
            using var capture = new SpanCapture();

            woven.Call(service, "Add", 1, 2);
            woven.Call(service, "Named");
            woven.Call(service, "Skipped");
            service.GetType().GetProperty("Property")!.GetValue(service);
            woven.Call(service, "CallHidden");

            Assert.Equal(new[] { "Service.Add", "custom", "Service.CallHidden" }, capture.Spans.Select(s => s.DisplayName).ToArray());
            Assert.All(capture.Spans, s => Assert.Equal(new[] { "class-level" }, (string[])s.Tag("mirascope.trace.tags")!));
        }
    }
}
