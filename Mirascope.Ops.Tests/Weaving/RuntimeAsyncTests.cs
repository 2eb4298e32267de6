using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Threading;
using System.Threading.Tasks;
using Fody;
using Mirascope.Ops.Fody;
using Mirascope.Ops.Tests.Infrastructure;
using Xunit;
using MethodImplAttributes = System.Reflection.MethodImplAttributes;

namespace Mirascope.Ops.Tests.Weaving
{
    /// <summary>
    /// .NET 11 runtime-async methods (no state machine; the runtime suspends and resumes the method's own frame). Every
    /// test that runs over <see cref="WovenAssembly.Configurations"/> already runs against AssemblyToProcess.RuntimeAsync
    /// too; these tests add what only a comparison or a runtime-async caller shows: the spans are exactly the state
    /// machines' spans, callers awaiting directly (runtime-async to runtime-async, no task in between) never see the
    /// callee's span, and exceptions keep their identity and stack trace.
    /// </summary>
    public class RuntimeAsyncTests
    {
        private const MethodImplAttributes Async = (MethodImplAttributes)0x2000;

        public static IEnumerable<object[]> Configurations => WovenAssembly.Configurations;

        public static IEnumerable<object[]> Builds => new[] { new object[] { "Debug" }, new object[] { "Release" } };

        [Theory]
        [MemberData(nameof(Builds))]
        public void The_runtime_async_build_has_runtime_async_methods_and_no_state_machines(string build)
        {
            var stateMachines = WovenAssembly.Get(build);
            var runtimeAsync = WovenAssembly.Get(WovenAssembly.RuntimeAsyncPrefix + build);

            // Otherwise every test over the runtime-async configurations would test state machines twice.
            foreach (var (type, method) in new[] { ("Calc", "FetchAsync"), ("Nesting", "SlowAsync"), ("Point", "SumLaterAsync"), ("Container`1", "FirstAsync"), ("AsyncShapes", "AwaitInTryCatchFinally"), ("AsyncService", "AddAsync") })
            {
                Assert.Equal(Async, runtimeAsync.Type(type).GetMethod(method)!.MethodImplementationFlags & Async);
                Assert.Equal((MethodImplAttributes)0, stateMachines.Type(type).GetMethod(method)!.MethodImplementationFlags & Async);
                Assert.DoesNotContain(runtimeAsync.Type(type).GetNestedTypes(BindingFlags.NonPublic), t => t.Name.StartsWith("<" + method + ">d__", StringComparison.Ordinal));
            }

            // The async lambda and local function too.
            var generated = runtimeAsync.Assembly.GetTypes().SelectMany(t => t.GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                .Where(m => m.Name.StartsWith("<TracedLambda>b__", StringComparison.Ordinal) || m.Name.StartsWith("<TracedLocalFunction>g__Twice|", StringComparison.Ordinal))
                .ToList();
            Assert.True(generated.Count == 2, string.Join(", ", generated.Select(m => m.DeclaringType!.Name + "::" + m.Name)));
            Assert.All(generated, m => Assert.Equal(Async, m.MethodImplementationFlags & Async));

            // async void and async iterators keep their state machines under runtime-async.
            Assert.NotEqual(Async, runtimeAsync.Type("Nesting").GetMethod("FireAndForget")!.MethodImplementationFlags & Async);
        }

        [Theory]
        [MemberData(nameof(Builds))]
        public async Task Every_span_is_the_state_machine_build_s_span(string build)
        {
            var stateMachines = await Record(WovenAssembly.Get(build));
            var runtimeAsync = await Record(WovenAssembly.Get(WovenAssembly.RuntimeAsyncPrefix + build));

            Assert.True(stateMachines.Count > 25, string.Join(Environment.NewLine, stateMachines));
            Assert.Equal(stateMachines, runtimeAsync);
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public async Task An_async_caller_awaiting_a_traced_method_resumes_with_its_own_activity_after_the_span_ended(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            using var capture = new SpanCapture();
            var gate = new TaskCompletionSource<bool>();

            var task = (Task<string>)woven.Call(woven.New("AsyncFunctions"), "AwaitsTraced", gate, new Func<bool>(() => capture.Spans.Any(s => s.DisplayName == "Nesting.SlowAsync")))!;

            // Suspended inside the traced callee: nothing of the callee's span is current out here.
            Assert.False(task.IsCompleted);
            Assert.Same(capture.Root, Activity.Current);
            Assert.Empty(capture.Spans);
            gate.SetResult(true);

            Assert.Equal("caller's activity, callee ended", await task);
            Assert.Equal(capture.Root.SpanId, capture.Single("Nesting.SlowAsync").ParentSpanId);
            Assert.Same(capture.Root, Activity.Current);
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public async Task An_async_caller_holding_a_suspended_traced_call_keeps_its_own_activity(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            using var capture = new SpanCapture();
            var gate = new TaskCompletionSource<bool>();

            var task = (Task<string>)woven.Call(woven.New("AsyncFunctions"), "StartsTracedThenAwaits", gate, new Action(() => gate.SetResult(true)))!;

            Assert.Equal("caller's activity, caller's activity", await task);
            Assert.Same(capture.Root, Activity.Current);
            Assert.Equal(capture.Root.SpanId, capture.Single("Nesting.SlowAsync").ParentSpanId);
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public async Task An_exception_is_the_same_object_with_the_same_stack_trace_as_without_weaving(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            using var unwoven = new UnwovenAssembly(woven);
            using var capture = new SpanCapture();
            foreach (var (type, method, argument) in new[] { ("Errors", "ThrowsAsync", 9), ("AsyncFunctions", "ValueTaskThrows", 2) })
            {
                var thrown = await Thrown(woven.Call(woven.New(type), method, argument));
                var expected = await Thrown(unwoven.Call(type, method, argument));

                Assert.Same(woven.Type("Errors").GetField("LastThrown")!.GetValue(null), thrown);
                Assert.Equal(expected.GetType().FullName, thrown.GetType().FullName);
                Assert.Equal(expected.Message, thrown.Message);
                Assert.Equal(ThrowSite(expected), ThrowSite(thrown));
                Assert.StartsWith("   at AssemblyToProcess." + type + "." + method + "(Int32 ", thrown.StackTrace);
                var span = capture.Single(type + "." + method);
                Assert.Equal(ActivityStatusCode.Error, span.Status);
                Assert.Equal(thrown.Message, span.StatusDescription);
            }
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public async Task A_cancelled_value_task_is_recorded_as_cancelled(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            using var capture = new SpanCapture();
            using var cancellation = new CancellationTokenSource();

            // Cancelled while the method awaits (a timer could fire before a loaded machine makes the call: that case is
            // ErrorSpanTests.A_token_cancelled_before_the_call_ends_the_woven_task_as_it_ends_the_unwoven_one).
            var task = ((ValueTask)woven.Call(woven.New("AsyncFunctions"), "ValueTaskCancelled", cancellation.Token)!).AsTask();
            cancellation.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);

            Assert.True(task.IsCanceled);
            var span = capture.Single("AsyncFunctions.ValueTaskCancelled");
            Assert.Equal(ActivityStatusCode.Error, span.Status);
            Assert.Equal(typeof(TaskCanceledException).FullName, span.Tag("error.type"));
            Assert.Same(capture.Root, Activity.Current);
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public async Task Async_lambdas_and_local_functions_marked_Trace_are_async_children(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var functions = woven.New("AsyncFunctions");
            using var capture = new SpanCapture();

            Assert.Equal(6, await (Task<int>)woven.Call(functions, "TracedLambda", 3)!);
            Assert.Equal(7, await (Task<int>)woven.Call(functions, "TracedLocalFunction", 3)!);

            var lambda = capture.Single("AsyncFunctions.TracedLambda.lambda");
            var local = capture.Single("AsyncFunctions.Twice");
            Assert.Equal(capture.Single("AsyncFunctions.TracedLambda").SpanId, lambda.ParentSpanId);
            Assert.Equal(capture.Single("AsyncFunctions.TracedLocalFunction").SpanId, local.ParentSpanId);
            foreach (var span in new[] { lambda, local })
            {
                Assert.Equal(true, span.Tag("mirascope.fn.is_async"));
                Assert.Equal("{\"y\":3}", span.Tag("mirascope.trace.arg_values"));
                Assert.Equal(6, span.Tag("mirascope.trace.output"));
            }

            // The method returning the lambda's task (not async itself) ends with that task, after the lambda.
            var outer = capture.Single("AsyncFunctions.TracedLambda");
            Assert.Equal(6, outer.Tag("mirascope.trace.output"));
            Assert.True(outer.StartTimeUtc + outer.Duration >= lambda.StartTimeUtc + lambda.Duration, "the span must cover the lambda's awaited work");
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public async Task A_task_result_is_the_output_and_is_not_waited_for(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            using var capture = new SpanCapture();
            var inner = new TaskCompletionSource<int>();

            var innerTask = await (Task<Task<int>>)woven.Call(woven.New("AsyncFunctions"), "NestedTask", inner)!;

            Assert.Same(inner.Task, innerTask);
            Assert.False(innerTask.IsCompleted);
            var span = capture.Single("AsyncFunctions.NestedTask");
            Assert.Equal("\"<Task<int>>\"", span.Tag("mirascope.trace.output"));
            inner.SetResult(1);
        }

        [Fact]
        public async Task Assembly_wide_tracing_weaves_runtime_async_methods()
        {
            const string source = @"
using System.Threading.Tasks;
using Mirascope.Ops;

[assembly: Trace]

namespace App
{
    public class Orders
    {
        public async Task<int> PlaceAsync(int quantity) { await Task.Yield(); return quantity * 2; }
        public async ValueTask ShipAsync() { await Task.Yield(); }
    }
}
";
            var path = SourceCompiler.Compile(source, "AssemblyWideRuntimeAsync", runtimeAsync: true);
            var result = new ModuleWeaver().ExecuteTestRun(path, runPeVerify: false);
            Assert.Empty(result.Errors);
            var orders = result.GetInstance("App.Orders");
            Assert.Equal(Async, ((object)orders).GetType().GetMethod("PlaceAsync")!.MethodImplementationFlags & Async);
            using var capture = new SpanCapture();

            Assert.Equal(6, await (Task<int>)((object)orders).GetType().GetMethod("PlaceAsync")!.Invoke(orders, new object[] { 3 })!);
            await (ValueTask)((object)orders).GetType().GetMethod("ShipAsync")!.Invoke(orders, null)!;

            var report = Assert.Single(result.Messages, m => m.Text.StartsWith("Mirascope.Ops: wove", StringComparison.Ordinal)).Text;
            Assert.StartsWith("Mirascope.Ops: wove 2 method(s)", report);
            Assert.DoesNotContain("runtime-async", report);
            var place = capture.Single("Orders.PlaceAsync");
            Assert.Equal(true, place.Tag("mirascope.fn.is_async"));
            Assert.Equal(6, place.Tag("mirascope.trace.output"));
            Assert.Equal(true, capture.Single("Orders.ShipAsync").Tag("mirascope.fn.is_async"));
            Assert.Same(capture.Root, Activity.Current);
        }

        [Fact]
        public void The_runtime_async_flag_on_a_method_that_does_not_return_a_task_is_MOPS008_and_skipped_implicitly()
        {
            const string source = "using Mirascope.Ops;\n\npublic class Worker\n{\n    [Trace]\n    public int Run() => 1;\n}\n\n[Trace]\npublic class Implicit\n{\n    public int Run() => 1;\n}\n";
            var path = SourceCompiler.Compile(source, "RuntimeAsyncNotATask");

            // No compiler emits this (the runtime refuses to load it): there is no telling what its body returns.
            var result = new ModuleWeaver().ExecuteTestRun(path, runPeVerify: false, beforeExecuteCallback: module =>
            {
                foreach (var type in new[] { "Worker", "Implicit" })
                {
                    module.GetType(type).Methods.Single(m => m.Name == "Run").ImplAttributes |= (Mono.Cecil.MethodImplAttributes)0x2000;
                }
            });

            var error = Assert.Single(result.Errors);
            Assert.StartsWith("MOPS008:", error.Text);
            Assert.Contains("Worker.Run", error.Text);
            Assert.Contains("does not return Task", error.Text);
            Assert.Contains(result.Messages, m => m.Text.Contains("1 runtime-async of an unknown shape", StringComparison.Ordinal));

            // The runtime agrees that this is no runtime-async method: it refuses to load the type.
            using var module = Mono.Cecil.ModuleDefinition.ReadModule(path);
            module.GetType("Worker").Methods.Single(m => m.Name == "Run").ImplAttributes |= (Mono.Cecil.MethodImplAttributes)0x2000;
            using var stream = new System.IO.MemoryStream();
            module.Write(stream);
            var context = new AssemblyLoadContext("runtime-async-not-a-task", isCollectible: true);
            try
            {
                stream.Position = 0;
                var flagged = context.LoadFromStream(stream);
                Assert.Throws<TypeLoadException>(() => flagged.GetType("Worker", throwOnError: true));
            }
            finally
            {
                context.Unload();
            }
        }

        /// <summary>
        /// One line per span of each call (name, parent, status, tags, events) and one per call result, in call order.
        /// What differs between two runs of the same code anyway is left out: ids, times, stack trace text.
        /// </summary>
        private static async Task<List<string>> Record(WovenAssembly woven)
        {
            var lines = new List<string>();
            foreach (var (name, call) in Calls(woven))
            {
                using var capture = new SpanCapture();
                string outcome;
                try
                {
                    outcome = "returned " + Format(await AwaitResult(call()));
                }
                catch (Exception ex)
                {
                    outcome = "threw " + ex.GetType().FullName + ": " + ex.Message;
                }

                lines.Add(name + " " + outcome);
                capture.WaitUntilStartedSpansStopped(TimeSpan.FromSeconds(5));
                var spans = capture.Spans.OrderBy(s => s.StartTimeUtc).ThenBy(s => s.DisplayName, StringComparer.Ordinal).ToList();
                foreach (var span in spans)
                {
                    var parent = span.ParentSpanId == capture.Root.SpanId ? "root" : spans.SingleOrDefault(s => s.SpanId == span.ParentSpanId)?.DisplayName ?? "?";
                    var tags = span.TagObjects.Where(t => !t.Key.Contains("stacktrace", StringComparison.Ordinal)).OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => t.Key + "=" + Format(t.Value));
                    var events = span.Events.Select(e => e.Name + "(" + string.Join(",", e.Tags.Where(t => !t.Key.Contains("stacktrace", StringComparison.Ordinal)).Select(t => t.Key + "=" + Format(t.Value))) + ")");
                    lines.Add($"  {span.DisplayName} <- {parent} {span.Status} [{string.Join("; ", tags)}] {string.Join(" ", events)}");
                }
            }

            return lines;
        }

        private static IEnumerable<(string Name, Func<object?> Call)> Calls(WovenAssembly woven)
        {
            (string, Func<object?>) On(string type, string method, params object?[] arguments) =>
                (type + "." + method, () => woven.Call(woven.New(type), method, arguments));

            yield return On("Calc", "FetchAsync", "https://example.test/a");
            yield return On("Nesting", "OuterAsync", 3);
            yield return On("Nesting", "ParentAsync", 4);
            yield return On("Nesting", "ValueTaskOfT", 1);
            yield return On("Nesting", "PlainValueTask");
            yield return On("Nesting", "PlainTask");
            yield return On("Nesting", "CompletesSynchronously", 2);
            yield return On("Nesting", "UnusedParameters", 7, "u", Guid.Empty);
            yield return ("Nesting.GenericAsync<int>", () => woven.CallGeneric(woven.New("Nesting"), "GenericAsync", typeof(int), 5, 1));
            yield return ("Nesting.GenericAsync<string>", () => woven.CallGeneric(woven.New("Nesting"), "GenericAsync", typeof(string), "s", 1));
            yield return ("Point.SumLaterAsync", () =>
            {
                var point = woven.New("Point");
                point.GetType().GetField("X")!.SetValue(point, 2);
                point.GetType().GetField("Y")!.SetValue(point, 3);
                return woven.Call(point, "SumLaterAsync");
            });
            yield return ("Container<string>.FirstAsync", () =>
            {
                var container = Activator.CreateInstance(woven.Type("Container`1").MakeGenericType(typeof(string)))!;
                woven.Call(container, "Add", "first");
                return woven.Call(container, "FirstAsync");
            });
            yield return On("AsyncShapes", "AwaitInTryCatchFinally", 5, new List<string>());
            yield return On("AsyncShapes", "AwaitInTryCatchFinally", 0, new List<string>());
            yield return On("AsyncShapes", "Loop", 3);
            yield return On("AsyncShapes", "CustomAwaitable");
            yield return On("AsyncFunctions", "TracedLambda", 3);
            yield return On("AsyncFunctions", "TracedLocalFunction", 3);
            yield return On("AsyncFunctions", "VersionedAsync", 2);
            yield return On("AsyncFunctions", "ValueTaskThrows", 2);
            yield return On("AsyncFunctions", "ValueTaskCancelled", new CancellationToken(canceled: true));
            yield return On("AsyncService", "AddAsync", 1, 2);
            yield return On("AsyncService", "IdleAsync");
            yield return On("Errors", "ThrowsAsync", 9);
            yield return On("Errors", "ThrowsBeforeAwait");
            yield return On("Errors", "Cancelled", new CancellationToken(canceled: true));
            yield return On("Delegating", "Forward", 5);
        }

        private static async Task<object?> AwaitResult(object? awaitable)
        {
            switch (awaitable)
            {
                case Task task:
                    await task;
                    var type = task.GetType();
                    // A Task that is not Task<T> to the caller can still be a Task<VoidTaskResult> (or similar) inside.
                    return type.IsGenericType && type.GetGenericArguments()[0].Name != "VoidTaskResult" ? type.GetProperty("Result")!.GetValue(task) : null;
                case ValueTask valueTask:
                    await valueTask;
                    return null;
                case null:
                    return null;
                default:
                    var asTask = awaitable.GetType().GetMethod("AsTask");
                    return asTask is null ? awaitable : await AwaitResult(asTask.Invoke(awaitable, null));
            }
        }

        private static string Format(object? value) => value switch
        {
            null => "null",
            string[] strings => "[" + string.Join(",", strings) + "]",
            Task task => "task " + task.Status,
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null",
        };

        private static async Task<Exception> Thrown(object? awaitable)
        {
            try
            {
                await AwaitResult(awaitable);
            }
            catch (Exception ex)
            {
                return ex;
            }

            throw new Xunit.Sdk.XunitException("expected the call to throw");
        }

        /// <summary>
        /// The frames from the throw to where the task stored the exception, without file and line (the woven assembly
        /// is loaded without its symbols): what a developer reads first.
        /// </summary>
        private static string ThrowSite(Exception exception)
        {
            var frames = exception.StackTrace!.Split('\n')
                .Select(l => l.TrimEnd('\r'))
                .TakeWhile(l => !l.StartsWith("--- End of stack trace", StringComparison.Ordinal))
                .Select(l => l.Contains(" in ", StringComparison.Ordinal) ? l.Substring(0, l.IndexOf(" in ", StringComparison.Ordinal)) : l);
            return string.Join("\n", frames);
        }
    }
}
