using System;
using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Mirascope.Ops.Benchmarks.Subjects;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Mirascope.Ops.Benchmarks.Tracing
{
    /// <summary>
    /// 5. Spans the OpenTelemetry SDK samples out. <c>AlwaysOff</c>: a root call; the SDK answers PropagationData for a
    /// root (it keeps the trace id), so a span object exists but records nothing. <c>ParentBasedUnsampledParent</c>:
    /// ParentBased(AlwaysOn) under a local parent that was not sampled; the SDK answers None and no span exists.
    /// The setup checks the SDK still behaves so. The plain, un-woven method is the baseline; the hand-written span
    /// is shown beside the woven one.
    /// </summary>
    public class SampledOutBenchmarks
    {
        private readonly PlainSubjects _plain = new PlainSubjects();
        private readonly TracedSubjects _woven = new TracedSubjects();
        private readonly HandWrittenSubjects _hand = new HandWrittenSubjects();
        private TracerProvider? _provider;
        private Activity? _parent;
        private int _a;
        private int _b;

        public enum SamplerKind
        {
            AlwaysOff,
            ParentBasedUnsampledParent,
        }

        [Params(SamplerKind.AlwaysOff, SamplerKind.ParentBasedUnsampledParent)]
        public SamplerKind Sampler { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            _a = 20;
            _b = 22;
            _provider = Sdk.CreateTracerProviderBuilder()
                .AddSource("Mirascope.Ops", HandWrittenSubjects.SourceName)
                .SetSampler(Sampler == SamplerKind.AlwaysOff ? new AlwaysOffSampler() : new ParentBasedSampler(new AlwaysOnSampler()))
                .Build();
            if (Sampler == SamplerKind.ParentBasedUnsampledParent)
            {
                // An incoming request whose trace was not sampled upstream: current for the rest of the run.
                _parent = new Activity("incoming");
                _parent.SetParentId(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None);
                _parent.Start();
            }

            using var probe = new ActivitySource(HandWrittenSubjects.SourceName).StartActivity("probe");
            var expected = Sampler == SamplerKind.AlwaysOff ? "a span that records nothing" : "no span";
            var actual = probe is null ? "no span" : probe.IsAllDataRequested ? "a recorded span" : "a span that records nothing";
            if (actual != expected)
            {
                throw new InvalidOperationException($"{Sampler}: the SDK gave {actual}, expected {expected}");
            }
        }

        [GlobalCleanup]
        public void Cleanup()
        {
            _parent?.Stop();
            _provider?.Dispose();
        }

        [Benchmark(Baseline = true)]
        public int Plain() => _plain.TwoInts(_a, _b);

        [Benchmark]
        public int Woven() => _woven.TwoInts(_a, _b);

        [Benchmark]
        public int Hand() => _hand.TwoInts(_a, _b);
    }
}
