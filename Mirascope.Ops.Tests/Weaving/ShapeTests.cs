using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using Mirascope.Ops.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Weaving
{
    /// <summary>Every method shape users put [Trace] on is woven, runs unchanged and produces its span.</summary>
    public class ShapeTests
    {
        public static IEnumerable<object[]> Configurations => WovenAssembly.Configurations;

        private static object? Invoke(MethodBase method, object? instance, params object?[] arguments) =>
            method.Invoke(instance, BindingFlags.DoNotWrapExceptions, null, arguments, null);

        [Theory]
        [MemberData(nameof(Configurations))]
        public void Constructors_are_traced_after_their_base_or_this_call(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            using var capture = new SpanCapture();

            var square = woven.New("Square", "4");

            Assert.Equal(4, square.GetType().GetProperty("Side")!.GetValue(square));
            var spans = capture.Spans;
            Assert.Equal(new[] { "Square.ctor", "Square.ctor" }, spans.Select(s => s.DisplayName));
            var (inner, outer) = (spans[0], spans[1]);
            Assert.Equal("{\"side\":4}", inner.GetTagItem("mirascope.trace.arg_values"));
            Assert.Equal("{\"side\":\"4\"}", outer.GetTagItem("mirascope.trace.arg_values"));
            // The this(...) call runs before the outer constructor's span starts: the two are siblings.
            Assert.Equal(capture.Root.SpanId, inner.ParentSpanId);
            Assert.Equal(capture.Root.SpanId, outer.ParentSpanId);
            Assert.Null(outer.GetTagItem("mirascope.trace.output"));
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public void Virtual_override_explicit_interface_default_interface_and_static_methods(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var big = woven.New("BigSquare", 2);
            var shape = woven.Type("IShape");
            using var capture = new SpanCapture();

            Assert.Equal(401, woven.Call(big, "Area"));
            Assert.Equal(401, Invoke(shape.GetMethod("Area")!, big));
            Assert.Equal(802, Invoke(shape.GetMethod("Doubled")!, big));
            Assert.Equal(9, woven.Call(Invoke(woven.Type("Square").GetMethod("Parse")!, null, "3")!, "Area"));

            var names = capture.Spans.Select(s => s.DisplayName).ToList();
            // Direct, through IShape.Area, and through IShape.Doubled → IShape.Area.
            Assert.Equal(3, names.Count(n => n == "BigSquare.Area"));
            Assert.Contains("Square.IShape.Area", names);
            Assert.Contains("IShape.Doubled", names);
            Assert.Contains("Square.Parse", names);
            Assert.Contains("Square.Area", names);
            var doubled = capture.Single("IShape.Doubled");
            Assert.Equal(802, doubled.GetTagItem("mirascope.trace.output"));
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public async Task Struct_readonly_struct_record_and_extension_methods(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var pointType = woven.Type("Point");
            object point = Activator.CreateInstance(pointType)!;
            pointType.GetField("X")!.SetValue(point, 2);
            pointType.GetField("Y")!.SetValue(point, 3);
            var money = Activator.CreateInstance(woven.Type("Money"), 1.5m)!;
            var person = Activator.CreateInstance(woven.Type("Person"), "Ada", 36)!;
            using var capture = new SpanCapture();

            Assert.Equal(5, woven.Call(point, "Sum"));
            woven.Call(point, "Move", 10);
            Assert.Equal(12, pointType.GetField("X")!.GetValue(point));
            Assert.Equal(15, await (Task<int>)woven.Call(point, "SumLaterAsync")!);
            var sum = woven.Call(money, "Add", money)!;
            Assert.Equal(3.0m, sum.GetType().GetProperty("Amount")!.GetValue(sum));
            Assert.Equal("Hi, Ada", woven.Call(person, "Greet", "Hi"));
            Assert.Equal("HEY!", Invoke(woven.Type("Extensions").GetMethod("Shout")!, null, "hey"));

            Assert.Equal(
                new[] { "Point.Sum", "Point.Move", "Point.SumLaterAsync", "Money.Add", "Person.Greet", "Extensions.Shout" },
                capture.Spans.Select(s => s.DisplayName));
            Assert.Equal("{\"other\":{\"Amount\":1.5}}", capture.Single("Money.Add").GetTagItem("mirascope.trace.arg_values"));
            Assert.Equal("{\"text\":\"string\"}", capture.Single("Extensions.Shout").GetTagItem("mirascope.trace.arg_types"));
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public async Task Generic_types_with_constraints_nested_generics_and_generic_methods(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var open = woven.Type("Container`1");
            var ofInt = Activator.CreateInstance(open.MakeGenericType(typeof(int)))!;
            var ofString = Activator.CreateInstance(open.MakeGenericType(typeof(string)))!;
            var nested = Activator.CreateInstance(woven.Type("Container`1+Nested`1").MakeGenericType(typeof(string), typeof(int)))!;
            using var capture = new SpanCapture();

            Assert.Equal(1, woven.Call(ofInt, "Add", 41));
            Assert.Equal(1, woven.Call(ofString, "Add", "a"));
            Assert.Equal("42", Invoke(ofInt.GetType().GetMethod("Map")!.MakeGenericMethod(typeof(string)), ofInt, new Func<int, string>(i => (i + 1).ToString())));
            Assert.Equal(41, await (Task<int>)woven.Call(ofInt, "FirstAsync")!);
            Assert.Equal("a", await (Task<string>)woven.Call(ofString, "FirstAsync")!);
            Assert.Equal(-1, woven.Call(nested, "Compare", 1, 2, "ctx"));

            var spans = capture.Spans;
            Assert.Equal(new[] { "Container.Add", "Container.Add", "Container.Map", "Container.FirstAsync", "Container.FirstAsync", "Container.Nested.Compare" }, spans.Select(s => s.DisplayName));
            Assert.Equal("{\"item\":\"T\"}", spans[0].GetTagItem("mirascope.trace.arg_types"));
            Assert.Equal("{\"item\":41}", spans[0].GetTagItem("mirascope.trace.arg_values"));
            Assert.Equal("{\"item\":\"a\"}", spans[1].GetTagItem("mirascope.trace.arg_values"));
            Assert.Equal("{\"map\":\"Func<T, TOut>\"}", spans[2].GetTagItem("mirascope.trace.arg_types"));
            Assert.Equal("42", spans[2].GetTagItem("mirascope.trace.output"));
            Assert.Equal("a", spans[4].GetTagItem("mirascope.trace.output"));
            Assert.Equal("{\"a\":\"TKey\",\"b\":\"TKey\",\"context\":\"T\"}", spans[5].GetTagItem("mirascope.trace.arg_types"));
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public unsafe void Ref_out_in_params_optional_ref_return_and_pointer_parameters(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var shapes = woven.New("ParameterShapes");
            using var capture = new SpanCapture();

            var arguments = new object?[] { 10, null, 2, 5, new[] { 1, 2 } };
            Assert.Equal(19, Invoke(shapes.GetType().GetMethod("Refs")!, shapes, arguments));
            Assert.Equal(12, arguments[0]);
            Assert.Equal("set", arguments[1]);
            var value = 42;
            Assert.Equal(42, Invoke(shapes.GetType().GetMethod("Deref")!, shapes, Pointer.Box(&value, typeof(int*))));

            var refs = capture.Single("ParameterShapes.Refs");
            Assert.Equal("{\"counter\":\"int\",\"step\":\"int\",\"optional\":\"int\",\"rest\":\"int[]\"}", refs.GetTagItem("mirascope.trace.arg_types"));
            Assert.Equal("{\"counter\":10,\"step\":2,\"optional\":5,\"rest\":[1,2]}", refs.GetTagItem("mirascope.trace.arg_values"));
            var deref = capture.Single("ParameterShapes.Deref");
            Assert.Equal("{\"pointer\":\"int*\"}", deref.GetTagItem("mirascope.trace.arg_types"));
            Assert.Equal("{\"pointer\":\"<int*>\"}", deref.GetTagItem("mirascope.trace.arg_values"));
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public void Ref_returns_record_the_referenced_value(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var shapes = woven.New("ParameterShapes");
            var method = shapes.GetType().GetMethod("StoredRef")!;
            using var capture = new SpanCapture();

            // Reflection cannot return a ref; JIT-compiling and calling through a delegate of the exact shape can.
            var caller = (RefReturning)Delegate.CreateDelegate(typeof(RefReturning), shapes, method);
            ref var stored = ref caller();
            stored = 9;

            Assert.Equal(9, caller());
            Assert.Equal(new object[] { 7, 9 }, capture.Spans.Select(s => s.GetTagItem("mirascope.trace.output")!).ToArray());
        }

        private delegate ref int RefReturning();

        [Theory]
        [MemberData(nameof(Configurations))]
        public void Ref_struct_parameters_and_returns_are_recorded_as_placeholders(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var shapes = woven.New("ParameterShapes");
            using var capture = new SpanCapture();

            var spanSum = (Func<Span<int>, int>)Delegate.CreateDelegate(typeof(Func<Span<int>, int>), shapes, "SpanSum");
            var text = (TextLength)Delegate.CreateDelegate(typeof(TextLength), shapes, "Text");
            var slice = (Slicer)Delegate.CreateDelegate(typeof(Slicer), shapes, "Slice");
            Assert.Equal(6, spanSum(new[] { 1, 2, 3 }));
            Assert.Equal(5, text("hello".AsSpan()));
            Assert.Equal(2, slice(new[] { 1, 2, 3 }).Length);
            Assert.Equal(45, woven.Call(shapes, "Stackalloc", 10));

            Assert.Equal("{\"values\":\"Span<int>\"}", capture.Single("ParameterShapes.SpanSum").GetTagItem("mirascope.trace.arg_types"));
            Assert.Equal("{\"values\":\"<Span<int>>\"}", capture.Single("ParameterShapes.SpanSum").GetTagItem("mirascope.trace.arg_values"));
            Assert.Equal("{\"text\":\"hello\"}", capture.Single("ParameterShapes.Text").GetTagItem("mirascope.trace.arg_values"));
            Assert.Equal("<Span<int>>", capture.Single("ParameterShapes.Slice").GetTagItem("mirascope.trace.output"));
            Assert.Equal(45, capture.Single("ParameterShapes.Stackalloc").GetTagItem("mirascope.trace.output"));
        }

        private delegate int TextLength(ReadOnlySpan<char> text);

        private delegate Span<int> Slicer(int[] values);

        [Theory]
        [MemberData(nameof(Configurations))]
        public void Bodies_with_switches_usings_handlers_throws_and_endless_loops_behave_as_before(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var bodies = woven.New("BodyShapes");
            var log = new List<string>();
            using var capture = new SpanCapture();

            Assert.Equal("big", woven.Call(bodies, "Switch", 11));
            Assert.Equal("text:a", woven.Call(bodies, "Switch", "a"));
            Assert.Equal(6, woven.Call(bodies, "Using", "abc"));
            Assert.Equal(5, woven.Call(bodies, "TryCatchFinally", 2, log));
            Assert.Equal(-1, woven.Call(bodies, "TryCatchFinally", 0, log));
            Assert.Equal(3, woven.Call(bodies, "ThrowAsLast", 3));
            Assert.Throws<ArgumentOutOfRangeException>(() => woven.Call(bodies, "ThrowAsLast", 0));
            Assert.Equal(7, woven.Call(bodies, "LoopWithoutExit", 7));

            Assert.Equal(new[] { "finally", "caught", "finally" }, log);
            Assert.Equal(
                new object?[] { "big", "text:a", 6, 5, -1, 3, null, 7 },
                capture.Spans.Select(s => s.GetTagItem("mirascope.trace.output")).ToArray());
            Assert.Equal(ActivityStatusCode.Error, capture.Spans[6].Status);
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public void Local_functions_and_lambdas_marked_trace_are_children(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            using var capture = new SpanCapture();

            Assert.Equal(4 + 3, woven.Call(woven.New("BodyShapes"), "LocalAndLambda", 2));

            var outer = capture.Single("BodyShapes.LocalAndLambda");
            var local = capture.Single("BodyShapes.Twice");
            var lambda = capture.Single("BodyShapes.LocalAndLambda.lambda");
            Assert.Equal(outer.SpanId, local.ParentSpanId);
            Assert.Equal(outer.SpanId, lambda.ParentSpanId);
            Assert.Equal("{\"y\":2}", local.GetTagItem("mirascope.trace.arg_values"));
            Assert.Equal(3, lambda.GetTagItem("mirascope.trace.output"));
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public async Task Async_awaits_in_handlers_loops_configure_await_and_custom_awaitables(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var shapes = woven.New("AsyncShapes");
            var log = new List<string>();
            using var capture = new SpanCapture();

            Assert.Equal(4, await (Task<int>)woven.Call(shapes, "AwaitInTryCatchFinally", 4, log)!);
            Assert.Equal(-1, await (Task<int>)woven.Call(shapes, "AwaitInTryCatchFinally", 0, log)!);
            Assert.Equal(10, await (Task<int>)woven.Call(shapes, "Loop", 5)!);
            Assert.Equal("custom", await (Task<string>)woven.Call(shapes, "CustomAwaitable")!);

            Assert.Equal(new[] { "finally", "caught", "finally" }, log);
            Assert.Equal(new object[] { 4, -1, 10, "custom" }, capture.Spans.Select(s => s.GetTagItem("mirascope.trace.output")!).ToArray());
            Assert.All(capture.Spans, s => Assert.Equal(ActivityStatusCode.Unset, s.Status));
            Assert.Same(capture.Root, Activity.Current);
        }
    }
}
