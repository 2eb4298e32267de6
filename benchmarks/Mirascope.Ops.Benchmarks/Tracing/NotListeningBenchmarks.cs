using System;
using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Mirascope.Ops.Benchmarks.Subjects;

namespace Mirascope.Ops.Benchmarks.Tracing
{
    /// <summary>
    /// 1. The cost of weaving when nobody listens: the plain method (baseline) against the same method woven.
    /// Goal: at most +2 ns and 0 bytes. Both are called as a user calls them (the plain one may be inlined).
    /// </summary>
    [GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
    [CategoriesColumn]
    public class NotListeningBenchmarks
    {
        private readonly PlainSubjects _plain = new PlainSubjects();
        private readonly TracedSubjects _woven = new TracedSubjects();
        private readonly Item _item = Item.Sample();
        private string _name = "";
        private int _a;
        private int _b;

        [GlobalSetup]
        public void Setup()
        {
            _a = 20;
            _b = 22;
            _name = "ada";
            using var probe = new ActivitySource("Mirascope.Ops");
            if (probe.HasListeners())
            {
                throw new InvalidOperationException("something listens to Mirascope.Ops; this benchmark measures the unlistened case");
            }
        }

        [Benchmark(Baseline = true), BenchmarkCategory("NoArgs")]
        public void NoArgs_Plain() => _plain.NoArgs();

        [Benchmark, BenchmarkCategory("NoArgs")]
        public void NoArgs_Woven() => _woven.NoArgs();

        [Benchmark(Baseline = true), BenchmarkCategory("TwoInts")]
        public int TwoInts_Plain() => _plain.TwoInts(_a, _b);

        [Benchmark, BenchmarkCategory("TwoInts")]
        public int TwoInts_Woven() => _woven.TwoInts(_a, _b);

        [Benchmark(Baseline = true), BenchmarkCategory("StringAndObject")]
        public string StringAndObject_Plain() => _plain.StringAndObject(_name, _item);

        [Benchmark, BenchmarkCategory("StringAndObject")]
        public string StringAndObject_Woven() => _woven.StringAndObject(_name, _item);
    }
}
