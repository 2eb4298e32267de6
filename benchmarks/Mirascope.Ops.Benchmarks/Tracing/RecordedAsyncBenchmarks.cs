using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Mirascope.Ops.Benchmarks.Infrastructure;
using Mirascope.Ops.Benchmarks.Subjects;

namespace Mirascope.Ops.Benchmarks.Tracing
{
    /// <summary>
    /// 3. Recorded spans of <c>async Task&lt;int&gt;</c> methods: hand-written (baseline) against woven, for a method
    /// awaiting a completed task (no state machine box) and one that really yields (Task.Yield: a thread-pool hop).
    /// Goal: at most 1.10x.
    /// </summary>
    [GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
    [CategoriesColumn]
    public class RecordedAsyncBenchmarks
    {
        private readonly HandWrittenSubjects _hand = new HandWrittenSubjects();
        private readonly TracedSubjects _woven = new TracedSubjects();
        private RecordingListener? _listener;
        private int _a;
        private int _b;

        [GlobalSetup]
        public void Setup()
        {
            _a = 20;
            _b = 22;
            _listener = new RecordingListener("Mirascope.Ops", HandWrittenSubjects.SourceName);
            SameSpan.Check(_listener, () => _woven.CompletedAsync(_a, _b).GetAwaiter().GetResult(), () => _hand.CompletedAsync(_a, _b).GetAwaiter().GetResult(), "hand-written CompletedAsync");
            SameSpan.Check(_listener, () => _woven.YieldingAsync(_a, _b).GetAwaiter().GetResult(), () => _hand.YieldingAsync(_a, _b).GetAwaiter().GetResult(), "hand-written YieldingAsync");
        }

        [GlobalCleanup]
        public void Cleanup() => _listener?.Dispose();

        [Benchmark(Baseline = true), BenchmarkCategory("Completed")]
        public Task<int> Completed_Hand() => _hand.CompletedAsync(_a, _b);

        [Benchmark, BenchmarkCategory("Completed")]
        public Task<int> Completed_Woven() => _woven.CompletedAsync(_a, _b);

        [Benchmark(Baseline = true), BenchmarkCategory("Yielding")]
        public Task<int> Yielding_Hand() => _hand.YieldingAsync(_a, _b);

        [Benchmark, BenchmarkCategory("Yielding")]
        public Task<int> Yielding_Woven() => _woven.YieldingAsync(_a, _b);
    }
}
