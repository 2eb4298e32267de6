using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using Mirascope.Ops.Configuration;
using Mirascope.Ops.Tests.Export.Infrastructure;
using Mirascope.Ops.Tests.Infrastructure;
using Mirascope.Ops.Tracing;
using Xunit;

namespace Mirascope.Ops.Tests.Runtime
{
    /// <summary>
    /// The trace recording budget (<see cref="TraceRecordingBudget"/>): calls that take milliseconds all record their
    /// values; a hot method records its first calls in every trace, then within the budget; skipped spans say why.
    /// These tests change or depend on the process-wide budget settings, so they run alone.
    /// </summary>
    [Collection(AloneCollection.Name)]
    public class RecordingBudgetTests
    {
        private const string ArgValues = "mirascope.trace.arg_values";
        private const string Output = "mirascope.trace.output";
        private const string ValuesSkipped = "mirascope.trace.values_skipped";
        private const string ValuesSkippedCalls = "mirascope.trace.values_skipped_calls";

        [Theory]
        [MemberData(nameof(WovenAssembly.Configurations), MemberType = typeof(WovenAssembly))]
        public void An_agents_twenty_tool_calls_all_record_their_arguments_and_output_by_default(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var agent = woven.New("Agent");

            using var capture = new SpanCapture();
            var observations = (List<string>)woven.Call(agent, "Run", "weather", 20)!;

            Assert.Equal(20, observations.Count);
            var calls = capture.Spans.Where(s => s.DisplayName == "Agent.CallTool").OrderBy(s => s.StartTimeUtc).ToList();
            Assert.Equal(20, calls.Count);
            for (var step = 0; step < 20; step++)
            {
                Assert.Equal(
                    "{\"name\":\"search\",\"arguments\":\"{\\\"query\\\":\\\"weather step " + step + "\\\"}\"}",
                    calls[step].GetTagItem(ArgValues));
                Assert.Equal(observations[step], calls[step].GetTagItem(Output));
                Assert.Null(calls[step].GetTagItem(ValuesSkipped));
            }

            var run = capture.Single("Agent.Run");
            Assert.Equal("{\"task\":\"weather\",\"steps\":20}", run.GetTagItem(ArgValues));
            Assert.Null(run.GetTagItem(ValuesSkippedCalls));
        }

        [Theory]
        [InlineData("Release")]
        [InlineData(WovenAssembly.RuntimeAsyncPrefix + "Debug")]
        public void An_evals_thousand_model_calls_in_one_trace_all_record_their_question_and_answer_by_default(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var evaluation = woven.New("Evaluation");

            using var capture = new SpanCapture();
            Assert.Equal(1.0, woven.Call(evaluation, "Run", 1000));

            var asks = capture.Spans.Where(s => s.DisplayName == "Evaluation.Ask").OrderBy(s => s.StartTimeUtc).ToList();
            Assert.Equal(1000, asks.Count);
            for (var q = 0; q < 1000; q++)
            {
                Assert.Equal("{\"question\":\"What is " + q + " + " + q + "?\"}", asks[q].GetTagItem(ArgValues));
                Assert.Equal((q + q).ToString(), asks[q].GetTagItem(Output));
            }

            Assert.Null(capture.Single("Evaluation.Run").GetTagItem(ValuesSkippedCalls));
        }

        [Theory]
        [MemberData(nameof(WovenAssembly.Configurations), MemberType = typeof(WovenAssembly))]
        public void A_hot_method_records_the_first_calls_of_each_of_eight_interleaved_traces_and_stays_within_the_budget(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var recorded = woven.New("Recorded");
            // 4 KB per call: a call is charged at most 2 µs + 16 ns a byte (66 µs), so the initial allowance (1 ms)
            // covers each trace's first 15 calls at least.
            var text = new string('x', 4000);
            const int Traces = 8;
            const int Calls = 2000;
            const int First = 8;

            // The default initial allowance, and no growth: the budget runs out however slow the machine.
            List<(SpanCapture Capture, TimeSpan Elapsed)> roundRobin = new(), parallel = new();
            WithBudget(RecordingLimits.DefaultTraceBudget, 0, () =>
            {
                // One thread switching between eight traces call by call: the exact interleaving that reset a per-method
                // (trace, count) pair on every call. Then eight threads, one trace each, on the same method.
                roundRobin = Record(Traces, roots =>
                {
                    for (var i = 0; i < Calls; i++)
                    {
                        foreach (var root in roots)
                        {
                            Activity.Current = root;
                            woven.Call(recorded, "HotText", i, text);
                        }
                    }
                });
                parallel = Record(Traces, roots =>
                {
                    using var start = new Barrier(roots.Length);
                    var threads = roots.Select(root => new Thread(() =>
                    {
                        Activity.Current = root;
                        start.SignalAndWait();
                        for (var i = 0; i < Calls; i++)
                        {
                            woven.Call(recorded, "HotText", i, text);
                        }
                    })).ToList();
                    threads.ForEach(th => th.Start());
                    threads.ForEach(th => th.Join());
                });
            });

            foreach (var (capture, elapsed) in roundRobin.Concat(parallel))
            {
                var spans = capture.Spans.Where(s => s.DisplayName == "Recorded.HotText").OrderBy(s => s.StartTimeUtc).ToList();
                Assert.Equal(Calls, spans.Count);

                // Every trace records its first calls, however the others interleave with it.
                for (var i = 0; i < First; i++)
                {
                    Assert.Equal("{\"i\":" + i + ",\"text\":\"" + text + "\"}", spans[i].GetTagItem(ArgValues));
                }

                // What the trace was charged stays within the documented bound: its allowance at the end, plus at most one
                // call in flight per thread.
                var recordedSpans = spans.Where(s => s.GetTagItem(ArgValues) is not null).ToList();
                var budget = TraceRecordingBudgets.Find(capture.Root)!;
                var bound = budget.Allowance(RecordingSettings.Current, DateTime.UtcNow.Ticks)
                    + (Traces * TraceRecordingBudget.MaxChargeTicks(text.Length + 20));
                Assert.True(budget.Charged <= bound, $"{budget.Charged} ticks charged, bound {bound}");
                Assert.Equal(recordedSpans.Count, budget.RecordedCalls);
                Assert.Equal(Calls - recordedSpans.Count, budget.SkippedCalls);
                Assert.True(recordedSpans.Count < Calls, "the budget never ran out: the test does not test it");

                // The rest say why, and the trace says how many.
                Assert.All(spans.Except(recordedSpans), s =>
                {
                    Assert.Equal("trace_budget", s.GetTagItem(ValuesSkipped));
                    Assert.Null(s.GetTagItem(Output));
                    Assert.True(s.Recorded);
                });
            }
        }

        [Theory]
        [MemberData(nameof(WovenAssembly.Configurations), MemberType = typeof(WovenAssembly))]
        public void A_skipped_call_keeps_its_span_and_error_and_the_top_span_counts_the_skipped_calls(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var recorded = woven.New("Recorded");
            var agent = woven.New("Agent");
            WithBudget(TimeSpan.Zero, 0, () =>
            {
                using var capture = new SpanCapture();
                woven.Call(agent, "Run", "w", 3);

                var calls = capture.Spans.Where(s => s.DisplayName == "Agent.CallTool").ToList();
                Assert.Equal(3, calls.Count);
                Assert.All(calls, s =>
                {
                    Assert.Equal("trace_budget", s.GetTagItem(ValuesSkipped));
                    Assert.Null(s.GetTagItem(ArgValues));
                    Assert.Null(s.GetTagItem(Output));
                    Assert.Equal(capture.Single("Agent.Run").SpanId, s.ParentSpanId);
                });
                var run = capture.Single("Agent.Run");
                Assert.Equal("trace_budget", run.GetTagItem(ValuesSkipped));
                Assert.Null(run.GetTagItem(Output));
                Assert.Equal(4, run.GetTagItem(ValuesSkippedCalls));
            });

            WithBudget(TimeSpan.Zero, 0, () =>
            {
                using var capture = new SpanCapture();
                for (var i = 0; i < 14; i++)
                {
                    try
                    {
                        woven.Call(recorded, "Hot", i);
                    }
                    catch (ArgumentOutOfRangeException)
                    {
                    }
                }

                var failed = capture.Spans.Where(s => s.DisplayName == "Recorded.Hot" && s.Status == ActivityStatusCode.Error).ToList();
                Assert.Equal(2, failed.Count);
                Assert.All(failed, s =>
                {
                    Assert.Equal("trace_budget", s.GetTagItem(ValuesSkipped));
                    Assert.Equal("System.ArgumentOutOfRangeException", s.GetTagItem("error.type"));
                });
            });
        }

        [Fact]
        public void The_options_set_the_budget_and_every_recording_limit_in_one_published_snapshot()
        {
            var woven = WovenAssembly.Get("Release");
            var agent = woven.New("Agent");
            var before = RecordingSettings.Current;
            try
            {
                OpsPipeline.ResolveOptions(
                    o =>
                    {
                        o.TraceRecordingBudget = TimeSpan.Zero;
                        o.TraceRecordingBudgetPercent = 0;
                        o.MaxRecordedDepth = 2;
                        o.AddValueFormatter<Uri>(u => u.Host);
                    },
                    TestEnvironment.Empty).ApplyRecording();

                var published = RecordingSettings.Current;
                Assert.NotSame(before, published);
                Assert.Equal(0, published.TraceBudgetTicks);
                Assert.Equal(0, published.TraceBudgetPercent);
                Assert.Equal(2, published.MaxRecordedDepth);
                Assert.True(published.Formatters.ContainsKey(typeof(Uri)));

                using var capture = new SpanCapture();
                woven.Call(agent, "Run", "w", 2);
                Assert.All(capture.Spans.Where(s => s.DisplayName == "Agent.CallTool"), s => Assert.Equal("trace_budget", s.GetTagItem(ValuesSkipped)));
            }
            finally
            {
                OpsPipeline.ResolveOptions(_ => { }, TestEnvironment.Empty).ApplyRecording();
            }

            var defaults = RecordingSettings.Current;
            Assert.Equal(RecordingLimits.DefaultTraceBudget.Ticks, defaults.TraceBudgetTicks);
            Assert.Equal(RecordingLimits.DefaultTraceBudgetPercent, defaults.TraceBudgetPercent);
            Assert.Empty(defaults.Formatters);
        }

        [Theory]
        [MemberData(nameof(WovenAssembly.Configurations), MemberType = typeof(WovenAssembly))]
        public void A_per_method_cap_applies_on_top_of_the_budget_and_says_so(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var recorded = woven.New("Recorded");
            RecordingLimits.MaxRecordedCallsPerTrace = 8;
            try
            {
                using var capture = new SpanCapture();
                for (var i = 0; i < 20; i++)
                {
                    woven.Call(recorded, "HotText", i, "t");
                }

                var spans = capture.Spans.Where(s => s.DisplayName == "Recorded.HotText").OrderBy(s => s.StartTimeUtc).ToList();
                Assert.Equal(
                    Enumerable.Range(0, 8).Select(i => "{\"i\":" + i + ",\"text\":\"t\"}"),
                    spans.Take(8).Select(s => (string?)s.GetTagItem(ArgValues)));
                Assert.All(spans.Skip(8), s => Assert.Equal("calls_per_trace", s.GetTagItem(ValuesSkipped)));
            }
            finally
            {
                RecordingLimits.MaxRecordedCallsPerTrace = RecordingLimits.DefaultMaxRecordedCallsPerTrace;
            }
        }

        [Theory]
        [MemberData(nameof(WovenAssembly.Configurations), MemberType = typeof(WovenAssembly))]
        public void With_MaxRecordedCallsPerTrace_0_every_call_records_its_values_whatever_the_budget(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var recorded = woven.New("Recorded");
            WithBudget(TimeSpan.Zero, 0, () =>
            {
                RecordingLimits.MaxRecordedCallsPerTrace = 0;
                try
                {
                    using var capture = new SpanCapture();
                    for (var i = 0; i < 100; i++)
                    {
                        woven.Call(recorded, "HotText", i, "t");
                    }

                    Assert.All(capture.Spans.Where(s => s.DisplayName == "Recorded.HotText"), s => Assert.NotNull(s.GetTagItem(ArgValues)));
                }
                finally
                {
                    RecordingLimits.MaxRecordedCallsPerTrace = RecordingLimits.DefaultMaxRecordedCallsPerTrace;
                }
            });
        }

        [Theory]
        [MemberData(nameof(WovenAssembly.Configurations), MemberType = typeof(WovenAssembly))]
        public void A_trace_earns_recording_budget_as_it_runs(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var recorded = woven.New("Recorded");
            WithBudget(TimeSpan.Zero, 5, () =>
            {
                using var capture = new SpanCapture();
                woven.Call(recorded, "HotText", 0, "at the start");
                Thread.Sleep(50);
                woven.Call(recorded, "HotText", 1, "50 ms later: 2.5 ms earned");

                var spans = capture.Spans.Where(s => s.DisplayName == "Recorded.HotText").OrderBy(s => s.StartTimeUtc).ToList();
                Assert.Equal("trace_budget", spans[0].GetTagItem(ValuesSkipped));
                Assert.Null(spans[0].GetTagItem(ArgValues));
                Assert.Equal("{\"i\":1,\"text\":\"50 ms later: 2.5 ms earned\"}", spans[1].GetTagItem(ArgValues));
                Assert.Null(spans[1].GetTagItem(ValuesSkipped));
            });
        }

        private static void WithBudget(TimeSpan budget, int percent, Action test)
        {
            RecordingSettings.Update(s => s.WithLimits(traceBudget: budget, traceBudgetPercent: percent));
            try
            {
                test();
            }
            finally
            {
                RecordingSettings.Update(s => s.WithLimits(
                    traceBudget: RecordingLimits.DefaultTraceBudget,
                    traceBudgetPercent: RecordingLimits.DefaultTraceBudgetPercent));
            }
        }

        /// <summary>Opens <paramref name="traces"/> traces, runs the calls in them and gives each trace's spans and how long it ran at most.</summary>
        private static List<(SpanCapture Capture, TimeSpan Elapsed)> Record(int traces, Action<Activity[]> run)
        {
            var previous = Activity.Current;
            var captures = Enumerable.Range(0, traces).Select(_ =>
            {
                // Each capture's root starts a trace of its own, not a child of the previous capture's root.
                Activity.Current = previous;
                return new SpanCapture();
            }).ToArray();
            var clock = Stopwatch.StartNew();
            try
            {
                run(captures.Select(c => c.Root).ToArray());
            }
            finally
            {
                Activity.Current = previous;
            }

            var elapsed = clock.Elapsed;
            foreach (var capture in captures)
            {
                capture.Dispose();
            }

            Activity.Current = previous;
            return captures.Select(c => (c, elapsed)).ToList();
        }
    }
}
