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
    public class ErrorSpanTests
    {
        public static IEnumerable<object[]> Configurations => WovenAssembly.Configurations;

        private static Exception LastThrown(WovenAssembly woven) =>
            (Exception)woven.Type("Errors").GetField("LastThrown")!.GetValue(null)!;

        private static void AssertFailed(Activity span, Exception thrown)
        {
            Assert.Equal(ActivityStatusCode.Error, span.Status);
            Assert.Equal(thrown.Message, span.StatusDescription);
            Assert.Equal(thrown.GetType().FullName, span.Tag("error.type"));
            Assert.Null(span.Tag("mirascope.trace.output"));
            var exceptionEvent = Assert.Single(span.Events);
            Assert.Equal("exception", exceptionEvent.Name);
            var tags = exceptionEvent.Tags.ToDictionary(t => t.Key, t => t.Value);
            Assert.Equal(thrown.GetType().FullName, tags["exception.type"]);
            Assert.Equal(thrown.Message, tags["exception.message"]);
            Assert.Contains(thrown.GetType().FullName!, (string)tags["exception.stacktrace"]!);
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public void Exception_propagates_unchanged_and_marks_the_span(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            using var capture = new SpanCapture();

            var thrown = Assert.ThrowsAny<Exception>(() => woven.Call(woven.New("Errors"), "Throws", 4));

            Assert.Same(LastThrown(woven), thrown);
            Assert.Equal("no book 4", thrown.Message);
            // The original throw site is still the top of the stack trace: the weaver never rethrows.
            Assert.StartsWith("   at AssemblyToProcess.Errors.Throws(Int32 x)", thrown.StackTrace);
            AssertFailed(capture.Single("Errors.Throws"), thrown);
            Assert.Same(capture.Root, Activity.Current);
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public void Exception_from_a_callee_keeps_its_deep_stack_trace(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            using var capture = new SpanCapture();

            var thrown = Assert.Throws<InvalidOperationException>(() => woven.Call(woven.New("Errors"), "ThrowsFromDeep"));

            Assert.Contains("AssemblyToProcess.Errors.Deep()", thrown.StackTrace);
            Assert.Contains("AssemblyToProcess.Errors.ThrowsFromDeep()", thrown.StackTrace);
            AssertFailed(capture.Single("Errors.ThrowsFromDeep"), thrown);
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public void Exception_handled_inside_the_body_is_not_an_error(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            using var capture = new SpanCapture();

            Assert.Equal(1, woven.Call(woven.New("Errors"), "CatchesItsOwn"));

            var span = capture.Single("Errors.CatchesItsOwn");
            Assert.Equal(ActivityStatusCode.Unset, span.Status);
            Assert.Equal(1, span.Tag("mirascope.trace.output"));
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public void Filters_and_finally_blocks_of_the_body_behave_as_before(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var errors = woven.New("Errors");
            using var capture = new SpanCapture();
            var log = new List<string>();

            Assert.Equal(1, woven.Call(errors, "FilterThenFinally", 1, log));
            var escaped = Assert.Throws<ArgumentException>(() => woven.Call(errors, "FilterThenFinally", 2, log));

            Assert.Equal(new[] { "finally", "finally" }, log);
            var spans = capture.Spans;
            Assert.Equal(ActivityStatusCode.Unset, spans[0].Status);
            AssertFailed(spans[1], escaped);
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public async Task Async_exception_propagates_unchanged_and_marks_the_span(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            using var capture = new SpanCapture();

            var task = (Task<int>)woven.Call(woven.New("Errors"), "ThrowsAsync", 9)!;
            var thrown = await Assert.ThrowsAsync<AssemblyToProcess_BookNotFound>(() => Unwrap(task));

            Assert.Same(LastThrown(woven), thrown.Inner);
            Assert.Contains("AssemblyToProcess.Errors.ThrowsAsync", thrown.Inner.StackTrace);
            AssertFailed(capture.Single("Errors.ThrowsAsync"), thrown.Inner);
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public async Task Async_exception_before_the_first_await_is_recorded(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            using var capture = new SpanCapture();

            var task = (Task)woven.Call(woven.New("Errors"), "ThrowsBeforeAwait")!;
            var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => task);

            Assert.Same(LastThrown(woven), thrown);
            AssertFailed(capture.Single("Errors.ThrowsBeforeAwait"), thrown);
            Assert.Same(capture.Root, Activity.Current);
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public async Task Cancellation_is_an_error_with_its_type(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            using var capture = new SpanCapture();
            using var cancellation = new CancellationTokenSource();

            // Cancelled while the method awaits (a timer could fire before a loaded machine makes the call: another case).
            var task = (Task)woven.Call(woven.New("Errors"), "Cancelled", cancellation.Token)!;
            cancellation.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);

            Assert.True(task.IsCanceled);
            var span = capture.Single("Errors.Cancelled");
            Assert.Equal(ActivityStatusCode.Error, span.Status);
            Assert.Equal(typeof(TaskCanceledException).FullName, span.Tag("error.type"));
        }

        /// <summary>
        /// A token cancelled before the call: the compilers differ here (a C# state machine ends the task Canceled; .NET 10's
        /// runtime-async ends it Faulted with the same TaskCanceledException, unwoven too — checked with an unwoven
        /// control). Tracing must change neither: the woven task ends exactly as the unwoven one, and the span says error.
        /// </summary>
        [Theory]
        [MemberData(nameof(Configurations))]
        public async Task A_token_cancelled_before_the_call_ends_the_woven_task_as_it_ends_the_unwoven_one(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            using var unwoven = new UnwovenAssembly(woven);
            using var capture = new SpanCapture();
            using var cancellation = new CancellationTokenSource();
            cancellation.Cancel();

            foreach (var (type, method) in new[] { ("Errors", "Cancelled"), ("AsyncFunctions", "ValueTaskCancelled") })
            {
                var task = AsTask(woven.Call(woven.New(type), method, cancellation.Token));
                var control = AsTask(unwoven.Call(type, method, cancellation.Token));
                var thrown = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
                var expected = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => control);

                Assert.Equal(control.Status, task.Status);
                Assert.Equal(expected.GetType(), thrown.GetType());
                Assert.Equal(cancellation.Token, thrown.CancellationToken);
                if (!woven.IsRuntimeAsync)
                {
                    Assert.True(task.IsCanceled);
                }

                var span = capture.Single(type + "." + method);
                Assert.Equal(ActivityStatusCode.Error, span.Status);
                Assert.Equal(typeof(TaskCanceledException).FullName, span.Tag("error.type"));
            }

            Assert.Same(capture.Root, Activity.Current);
        }

        private static Task AsTask(object? awaitable) => awaitable is ValueTask valueTask ? valueTask.AsTask() : (Task)awaitable!;

        private static async Task Unwrap(Task<int> task)
        {
            try
            {
                await task;
            }
            catch (Exception ex) when (ex.GetType().Name == "BookNotFoundException")
            {
                throw new AssemblyToProcess_BookNotFound(ex);
            }
        }

        private sealed class AssemblyToProcess_BookNotFound : Exception
        {
            public AssemblyToProcess_BookNotFound(Exception inner) : base(inner.Message, inner) => Inner = inner;

            public Exception Inner { get; }
        }
    }
}
