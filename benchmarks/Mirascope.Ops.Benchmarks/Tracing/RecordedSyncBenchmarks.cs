using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Mirascope.Ops.Benchmarks.Infrastructure;
using Mirascope.Ops.Benchmarks.Peers;
using Mirascope.Ops.Benchmarks.Subjects;

namespace Mirascope.Ops.Benchmarks.Tracing
{
    /// <summary>
    /// 2 and 4. Recorded spans (a listener sampling AllDataAndRecorded, no exporter): hand-written
    /// <c>using var activity = source.StartActivity(...)</c> (baseline) against the woven method and two peers,
    /// an AspectInjector around-aspect and a Castle DynamicProxy interceptor. Every variant produces the same span,
    /// checked attribute by attribute in the setup. Goals: woven at most 1.10x the hand-written time and no more
    /// bytes; faster than both peers.
    /// </summary>
    [GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
    [CategoriesColumn]
    public class RecordedSyncBenchmarks
    {
        private readonly HandWrittenSubjects _hand = new HandWrittenSubjects();
        private readonly TracedSubjects _woven = new TracedSubjects();
        private readonly AspectInjectorSubjects _aspectInjector = new AspectInjectorSubjects();
        private readonly ISubjects _castle = CastleTracingInterceptor.CreateProxy();
        private readonly Item _item = Item.Sample();
        private RecordingListener? _listener;
        private string _name = "";
        private int _a;
        private int _b;

        [GlobalSetup]
        public void Setup()
        {
            _a = 20;
            _b = 22;
            _name = "ada";
            _listener = new RecordingListener("Mirascope.Ops", HandWrittenSubjects.SourceName, TracingAspect.SourceName, CastleTracingInterceptor.SourceName);
            SameSpan.Check(_listener, () => _woven.NoArgs(), () => _hand.NoArgs(), "hand-written NoArgs");
            SameSpan.Check(_listener, () => _woven.NoArgs(), () => _aspectInjector.NoArgs(), "AspectInjector NoArgs");
            SameSpan.Check(_listener, () => _woven.NoArgs(), () => _castle.NoArgs(), "Castle NoArgs");
            SameSpan.Check(_listener, () => _woven.TwoInts(_a, _b), () => _hand.TwoInts(_a, _b), "hand-written TwoInts");
            SameSpan.Check(_listener, () => _woven.TwoInts(_a, _b), () => _aspectInjector.TwoInts(_a, _b), "AspectInjector TwoInts");
            SameSpan.Check(_listener, () => _woven.TwoInts(_a, _b), () => _castle.TwoInts(_a, _b), "Castle TwoInts");
            SameSpan.Check(_listener, () => _woven.StringAndObject(_name, _item), () => _hand.StringAndObject(_name, _item), "hand-written StringAndObject");
            SameSpan.Check(_listener, () => _woven.StringAndObject(_name, _item), () => _aspectInjector.StringAndObject(_name, _item), "AspectInjector StringAndObject");
            SameSpan.Check(_listener, () => _woven.StringAndObject(_name, _item), () => _castle.StringAndObject(_name, _item), "Castle StringAndObject");
        }

        [GlobalCleanup]
        public void Cleanup() => _listener?.Dispose();

        [Benchmark(Baseline = true), BenchmarkCategory("NoArgs")]
        public void NoArgs_Hand() => _hand.NoArgs();

        [Benchmark, BenchmarkCategory("NoArgs")]
        public void NoArgs_Woven() => _woven.NoArgs();

        [Benchmark, BenchmarkCategory("NoArgs")]
        public void NoArgs_AspectInjector() => _aspectInjector.NoArgs();

        [Benchmark, BenchmarkCategory("NoArgs")]
        public void NoArgs_Castle() => _castle.NoArgs();

        [Benchmark(Baseline = true), BenchmarkCategory("TwoInts")]
        public int TwoInts_Hand() => _hand.TwoInts(_a, _b);

        [Benchmark, BenchmarkCategory("TwoInts")]
        public int TwoInts_Woven() => _woven.TwoInts(_a, _b);

        [Benchmark, BenchmarkCategory("TwoInts")]
        public int TwoInts_AspectInjector() => _aspectInjector.TwoInts(_a, _b);

        [Benchmark, BenchmarkCategory("TwoInts")]
        public int TwoInts_Castle() => _castle.TwoInts(_a, _b);

        [Benchmark(Baseline = true), BenchmarkCategory("StringAndObject")]
        public string StringAndObject_Hand() => _hand.StringAndObject(_name, _item);

        [Benchmark, BenchmarkCategory("StringAndObject")]
        public string StringAndObject_Woven() => _woven.StringAndObject(_name, _item);

        [Benchmark, BenchmarkCategory("StringAndObject")]
        public string StringAndObject_AspectInjector() => _aspectInjector.StringAndObject(_name, _item);

        [Benchmark, BenchmarkCategory("StringAndObject")]
        public string StringAndObject_Castle() => _castle.StringAndObject(_name, _item);
    }
}
