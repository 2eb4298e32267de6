using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Mirascope.Ops.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Weaving
{
    public class AsyncSpanTests
    {
        public static IEnumerable<object[]> Configurations => WovenAssembly.Configurations;

        private static async Task<object?> Await(object? task)
        {
            switch (task)
            {
                case Task t:
                    await t;
                    // A non-generic async Task is a Task<VoidTaskResult> at run time.
                    var hasResult = t.GetType().IsGenericType && t.GetType().GetGenericArguments()[0].Name != "VoidTaskResult";
                    return hasResult ? t.GetType().GetProperty("Result")!.GetValue(t) : null;
                case ValueTask vt:
                    await vt;
                    return null;
                default:
                    // ValueTask<T>: convert through AsTask to await it.
                    var asTask = (Task)task!.GetType().GetMethod("AsTask")!.Invoke(task, null)!;
                    await asTask;
                    return asTask.GetType().GetProperty("Result")!.GetValue(asTask);
            }
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public async Task Async_span_covers_the_awaited_work_and_records_the_awaited_result(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            using var capture = new SpanCapture();

            var result = await Await(woven.Call(woven.New("Calc"), "FetchAsync", "https://example.test/a"));

            Assert.Equal("https://example.test/a", result);
            var span = capture.Single("Calc.FetchAsync");
            Assert.Equal(true, span.Tag("mirascope.fn.is_async"));
            Assert.Equal("{\"url\":\"https://example.test/a\"}", span.Tag("mirascope.trace.arg_values"));
            Assert.Equal("https://example.test/a", span.Tag("mirascope.trace.output"));
            Assert.True(span.Duration >= TimeSpan.FromMilliseconds(9), $"duration {span.Duration}");
            Assert.Equal(capture.Root.SpanId, span.ParentSpanId);
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public async Task Async_span_ends_after_awaited_work_and_before_the_continuation(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            using var capture = new SpanCapture();
            var gate = new TaskCompletionSource<bool>(TaskCreationOptions.None);
            var seenInside = new List<Activity?>();

            var task = (Task<string?>)woven.Call(woven.New("Nesting"), "SlowAsync", gate, new Action<Activity?>(seenInside.Add))!;

            // The method returned at its first await: the caller's current span is back, the traced span still open.
            Assert.Same(capture.Root, Activity.Current);
            Assert.False(task.IsCompleted);
            Assert.Empty(capture.Spans);
            Thread.Sleep(20);
            var spanStoppedWhenContinuationRan = false;
            var continuation = task.ContinueWith(
                _ => spanStoppedWhenContinuationRan = capture.Spans.Any(s => s.DisplayName == "Nesting.SlowAsync"),
                TaskContinuationOptions.ExecuteSynchronously);
            gate.SetResult(true);
            var displayName = await task;
            await continuation;

            var span = capture.Single("Nesting.SlowAsync");
            Assert.True(spanStoppedWhenContinuationRan, "the span must end before the caller's continuation runs");
            Assert.Equal("Nesting.SlowAsync", displayName);
            Assert.All(seenInside, a => Assert.Same(span, a));
            Assert.Equal(2, seenInside.Count);
            // The TaskCompletionSource argument is recorded as a placeholder: serializing it would block on its Task.
            Assert.Equal("{\"gate\":\"<TaskCompletionSource<bool>>\",\"inside\":\"List<Activity>.Add\"}", span.Tag("mirascope.trace.arg_values"));
            Assert.True(span.Duration >= TimeSpan.FromMilliseconds(15), $"duration {span.Duration}");
            Assert.Same(capture.Root, Activity.Current);
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public async Task Nested_async_calls_are_children_of_their_async_caller(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            using var capture = new SpanCapture();

            Assert.Equal(3 + 6, await Await(woven.Call(woven.New("Nesting"), "OuterAsync", 3)));

            var outer = capture.Single("Nesting.OuterAsync");
            Assert.Equal(outer.SpanId, capture.Single("Nesting.InnerAsync").ParentSpanId);
            Assert.Equal(outer.SpanId, capture.Single("Nesting.Inner").ParentSpanId);
            Assert.Same(capture.Root, Activity.Current);
        }

        public static IEnumerable<object?[]> ReturnShapes()
        {
            foreach (var configuration in new[] { "Debug", "Release" })
            {
                yield return new object?[] { configuration, "ValueTaskOfT", new object[] { 1 }, 2 };
                yield return new object?[] { configuration, "PlainValueTask", Array.Empty<object>(), null };
                yield return new object?[] { configuration, "PlainTask", Array.Empty<object>(), null };
                yield return new object?[] { configuration, "CompletesSynchronously", new object[] { 2 }, 6 };
                yield return new object?[] { configuration, "UnusedParameters", new object[] { 7, "u", Guid.Empty }, 7 };
            }
        }

        [Theory]
        [MemberData(nameof(ReturnShapes))]
        public async Task Every_async_return_shape_is_traced(string configuration, string method, object[] arguments, object? expected)
        {
            var woven = WovenAssembly.Get(configuration);
            using var capture = new SpanCapture();

            var result = await Await(woven.Call(woven.New("Nesting"), method, arguments));

            Assert.Equal(expected, result);
            var span = capture.Single("Nesting." + method);
            Assert.Equal(expected, span.Tag("mirascope.trace.output"));
            Assert.Equal(true, span.Tag("mirascope.fn.is_async"));
            Assert.Same(capture.Root, Activity.Current);
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public async Task Unused_parameters_of_async_methods_are_still_recorded(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            using var capture = new SpanCapture();

            await (Task<int>)woven.Call(woven.New("Nesting"), "UnusedParameters", 7, "u", Guid.Empty)!;

            Assert.Equal(
                "{\"used\":7,\"unused\":\"u\",\"alsoUnused\":\"00000000-0000-0000-0000-000000000000\"}",
                capture.Single("Nesting.UnusedParameters").Tag("mirascope.trace.arg_values"));
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public void Async_void_span_ends_when_its_work_completes(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var done = (ManualResetEventSlim)woven.Type("Nesting").GetField("AsyncVoidDone")!.GetValue(null)!;
            using var capture = new SpanCapture();
            done.Reset();

            woven.Call(woven.New("Nesting"), "FireAndForget", 5);

            Assert.Same(capture.Root, Activity.Current);
            Assert.True(done.Wait(TimeSpan.FromSeconds(10)));
            SpinWait.SpinUntil(() => capture.Spans.Count == 1, TimeSpan.FromSeconds(10));
            var span = capture.Single("Nesting.FireAndForget");
            Assert.Equal("{\"x\":5}", span.Tag("mirascope.trace.arg_values"));
            Assert.Equal(capture.Root.SpanId, span.ParentSpanId);
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public async Task Generic_async_method_works_for_value_and_reference_types(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var nesting = woven.New("Nesting");
            using var capture = new SpanCapture();

            Assert.Equal(5, await Await(woven.CallGeneric(nesting, "GenericAsync", typeof(int), 5, 1)));
            Assert.Equal("s", await Await(woven.CallGeneric(nesting, "GenericAsync", typeof(string), "s", 1)));

            var spans = capture.Spans;
            Assert.Equal(new object[] { 5, "s" }, spans.Select(s => s.Tag("mirascope.trace.output")).ToArray());
            Assert.All(spans, s => Assert.Equal("{\"value\":\"T\",\"delay\":\"int\"}", s.Tag("mirascope.trace.arg_types")));
        }
    }
}
