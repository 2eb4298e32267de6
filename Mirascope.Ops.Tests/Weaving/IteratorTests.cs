using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Mirascope.Ops.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Weaving
{
    /// <summary>
    /// An iterator's span opens at the first MoveNext and closes when the enumeration ends, throws, or is disposed
    /// early; the span is current while the body runs and the caller's between items.
    /// </summary>
    [Collection(IteratorLogCollection.Name)]
    public class IteratorTests
    {
        public static IEnumerable<object[]> Configurations => WovenAssembly.Configurations;

        private static List<string> Log(WovenAssembly woven) => (List<string>)woven.Type("Iterators").GetField("Log")!.GetValue(null)!;

        [Theory]
        [MemberData(nameof(Configurations))]
        public void Enumeration_is_one_span_from_first_move_next_to_the_end_with_the_item_count(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var log = Log(woven);
            log.Clear();
            using var capture = new SpanCapture();

            var sequence = (IEnumerable<int>)woven.Call(woven.New("Iterators"), "Count", 3)!;
            Assert.Empty(capture.Spans);
            var seenBetweenItems = new List<Activity?>();
            var items = new List<int>();
            foreach (var item in sequence)
            {
                items.Add(item);
                seenBetweenItems.Add(Activity.Current);
            }

            Assert.Equal(new[] { 0, 1, 2 }, items);
            var span = capture.Single("Iterators.Count");
            Assert.Equal(3, span.GetTagItem("mirascope.trace.output"));
            Assert.Equal("{\"n\":3}", span.GetTagItem("mirascope.trace.arg_values"));
            Assert.Equal(false, span.GetTagItem("mirascope.fn.is_async"));
            Assert.All(seenBetweenItems, a => Assert.Same(capture.Root, a));
            Assert.Equal(new[] { "yield 0 current=Iterators.Count", "yield 1 current=Iterators.Count", "yield 2 current=Iterators.Count" }, log);
            Assert.Same(capture.Root, Activity.Current);
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public void Early_break_ends_the_span_at_dispose_after_the_finally_blocks(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var log = Log(woven);
            log.Clear();
            using var capture = new SpanCapture();

            foreach (var item in (IEnumerable<int>)woven.Call(woven.New("Iterators"), "Guarded", 10)!)
            {
                if (item == 1)
                {
                    break;
                }
            }

            var span = capture.Single("Iterators.Guarded");
            Assert.Equal(2, span.GetTagItem("mirascope.trace.output"));
            Assert.Equal(ActivityStatusCode.Unset, span.Status);
            Assert.Single(log);
            Assert.Same(capture.Root, Activity.Current);
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public void Exception_in_the_body_fails_the_span_and_propagates(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            using var capture = new SpanCapture();
            var items = new List<int>();

            var thrown = Assert.Throws<InvalidOperationException>(() =>
            {
                foreach (var item in (IEnumerable<int>)woven.Call(woven.New("Iterators"), "Failing", 2)!)
                {
                    items.Add(item);
                }
            });

            Assert.Equal(new[] { 0, 1 }, items);
            var span = capture.Single("Iterators.Failing");
            Assert.Equal(ActivityStatusCode.Error, span.Status);
            Assert.Equal(thrown.Message, span.StatusDescription);
            Assert.Null(span.GetTagItem("mirascope.trace.output"));
            Assert.Same(capture.Root, Activity.Current);
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public void Enumerator_returning_iterator_and_generic_iterator_with_unused_parameter(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var iterators = woven.New("Iterators");
            using var capture = new SpanCapture();

            var words = (IEnumerator<string>)woven.Call(iterators, "Words", "a b c")!;
            var collected = new List<string>();
            while (words.MoveNext())
            {
                collected.Add(words.Current);
            }

            var repeated = ((IEnumerable<string>)woven.CallGeneric(iterators, "Repeat", typeof(string), "x", 2, "u")!).ToList();
            var numbers = ((IEnumerable<int>)woven.CallGeneric(iterators, "Repeat", typeof(int), 7, 3, "v")!).ToList();

            Assert.Equal(new[] { "a", "b", "c" }, collected);
            Assert.Equal(new[] { "x", "x" }, repeated);
            Assert.Equal(new[] { 7, 7, 7 }, numbers);
            Assert.Equal(3, capture.Single("Iterators.Words").GetTagItem("mirascope.trace.output"));
            var repeats = capture.Spans.Where(s => s.DisplayName == "Iterators.Repeat").ToList();
            Assert.Equal(new[] { "{\"value\":\"x\",\"times\":2,\"unused\":\"u\"}", "{\"value\":7,\"times\":3,\"unused\":\"v\"}" }, repeats.Select(s => s.GetTagItem("mirascope.trace.arg_values")));
            Assert.Equal(new object[] { 2, 3 }, repeats.Select(s => s.GetTagItem("mirascope.trace.output")!));
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public void Enumerating_the_same_enumerable_twice_gives_two_spans(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            using var capture = new SpanCapture();

            var sequence = (IEnumerable<int>)woven.Call(woven.New("Iterators"), "Count", 2)!;
            var first = sequence.Sum();
            var second = sequence.Count();

            Assert.Equal(1, first);
            Assert.Equal(2, second);
            var spans = capture.Spans.Where(s => s.DisplayName == "Iterators.Count").ToList();
            Assert.Equal(2, spans.Count);
            Assert.All(spans, s => Assert.Equal("{\"n\":2}", s.GetTagItem("mirascope.trace.arg_values")));
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public async Task Async_iterator_span_covers_the_enumeration_and_is_current_only_inside(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var log = Log(woven);
            log.Clear();
            using var capture = new SpanCapture();

            var items = new List<int>();
            var between = new List<Activity?>();
            await foreach (var item in (IAsyncEnumerable<int>)woven.Call(woven.New("Iterators"), "CountAsync", 3, CancellationToken.None)!)
            {
                items.Add(item);
                between.Add(Activity.Current);
            }

            Assert.Equal(new[] { 0, 1, 2 }, items);
            var span = capture.Single("Iterators.CountAsync");
            Assert.Equal(3, span.GetTagItem("mirascope.trace.output"));
            Assert.Equal(true, span.GetTagItem("mirascope.fn.is_async"));
            Assert.Equal("{\"n\":3,\"token\":{\"canceled\":false}}", span.GetTagItem("mirascope.trace.arg_values"));
            Assert.All(between, a => Assert.Same(capture.Root, a));
            Assert.All(log, line => Assert.EndsWith("current=Iterators.CountAsync", line));
            Assert.Equal(3, log.Count);
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public async Task Async_iterator_early_break_and_failure(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var iterators = woven.New("Iterators");
            var log = Log(woven);
            log.Clear();
            using var capture = new SpanCapture();

            await foreach (var item in (IAsyncEnumerable<int>)woven.Call(iterators, "GuardedAsync", 10)!)
            {
                if (item == 2)
                {
                    break;
                }
            }

            var failed = new List<int>();
            var thrown = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            {
                await foreach (var item in (IAsyncEnumerable<int>)woven.Call(iterators, "FailingAsync", 1)!)
                {
                    failed.Add(item);
                }
            });

            var guarded = capture.Single("Iterators.GuardedAsync");
            Assert.Equal(3, guarded.GetTagItem("mirascope.trace.output"));
            Assert.Equal(new[] { "async finally" }, log);
            var failing = capture.Single("Iterators.FailingAsync");
            Assert.Equal(ActivityStatusCode.Error, failing.Status);
            Assert.Equal(thrown.Message, failing.StatusDescription);
            Assert.Equal(new[] { 0 }, failed);
            Assert.Same(capture.Root, Activity.Current);
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public void An_iterator_never_enumerated_has_no_span(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            using var capture = new SpanCapture();

            var sequence = (IEnumerable)woven.Call(woven.New("Iterators"), "Count", 5)!;

            Assert.NotNull(sequence);
            Assert.Empty(capture.Spans);
        }
    }

    [CollectionDefinition(Name)]
    public sealed class IteratorLogCollection
    {
        public const string Name = "Iterators share a static log";
    }
}
