using System;
using System.Diagnostics;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Mirascope.Ops.Benchmarks.Infrastructure;

namespace Mirascope.Ops.Benchmarks.CallHeavy
{
    /// <summary>
    /// 9. Call-heavy real code: Markdig 1.6.0 (a Markdown parser: many small calls), woven whole at run time as if its
    /// project had <c>&lt;Mirascope.Ops TraceAssembly="true" Visibility="All" /&gt;</c>, renders a fixed set of generated
    /// documents with the advanced pipeline. Rows: the original DLL (untraced), the woven DLL with nobody listening,
    /// with a listener sampling PropagationData (spans without data, the baseline) and with a listener sampling
    /// AllDataAndRecorded (arguments and outputs recorded). Goal (issue 20): recording costs little next to the span
    /// itself, i.e. a small AllData / PropagationData ratio. Each row's setup attaches only its own listener and checks
    /// that the woven HTML is the original's, that spans are produced (or not), and that arguments are recorded (or not).
    /// </summary>
    public class CallHeavyBenchmarks
    {
        private const string Source = "Mirascope.Ops";
        private SamplingListener? _listener;

        private static Workload Shared => Workload.Instance.Value;

        [GlobalSetup(Target = nameof(Untraced))]
        public void SetupUntraced()
        {
            var shared = Shared;
            if (shared.Library.Original.GetReferencedAssemblies().Any(r => r.Name == Source))
            {
                throw new InvalidOperationException("the original Markdig references Mirascope.Ops: it is not the package's DLL");
            }

            shared.CheckHtml(shared.Original, "untraced");
        }

        [GlobalSetup(Target = nameof(Woven_NotListening))]
        public void SetupNotListening()
        {
            using (var probe = new ActivitySource(Source))
            {
                if (probe.HasListeners())
                {
                    throw new InvalidOperationException($"something else listens to {Source}: the not-listening row would measure spans");
                }
            }

            Shared.CheckHtml(Shared.Woven, "woven, nobody listening");
        }

        [GlobalSetup(Target = nameof(Woven_PropagationData))]
        public void SetupPropagationData()
        {
            _listener = new SamplingListener(ActivitySamplingResult.PropagationData, Source);
            var spans = CheckedSpans("woven, PropagationData");
            if (spans.Count == 0)
            {
                throw new InvalidOperationException("woven Markdig produced no span under a PropagationData listener: it was not woven, or binds to another runtime");
            }

            if (spans.Any(s => s.IsAllDataRequested || s.GetTagItem(SpanStatistics.ArgValues) is not null))
            {
                throw new InvalidOperationException("a PropagationData span requested all data or recorded arguments");
            }

            Console.WriteLine($"[call-heavy] PropagationData: {spans.Count:N0} spans per operation, none with data");
        }

        [GlobalSetup(Target = nameof(Woven_AllDataAndRecorded))]
        public void SetupAllData()
        {
            RecordingLimitsOverride.ApplyFromEnvironment();
            _listener = new SamplingListener(ActivitySamplingResult.AllDataAndRecorded, Source);
            var spans = CheckedSpans("woven, AllDataAndRecorded");
            if (spans.Count == 0)
            {
                throw new InvalidOperationException("woven Markdig produced no span under an AllDataAndRecorded listener");
            }

            if (!spans.Any(s => s.GetTagItem(SpanStatistics.ArgValues) is string))
            {
                throw new InvalidOperationException($"no span recorded {SpanStatistics.ArgValues}: arguments are not recorded");
            }

            SpanStatistics.Print(spans, Console.Out);
        }

        /// <summary>
        /// The spans of one operation in the steady state, the HTML checked both times: the first operation of a process
        /// also makes Markdig's pooled renderers (more spans than any later one), so it runs once before the capture.
        /// </summary>
        private System.Collections.Generic.List<Activity> CheckedSpans(string what)
        {
            Shared.CheckHtml(Shared.Woven, what);
            return _listener!.Capture(() => Shared.CheckHtml(Shared.Woven, what));
        }

        [GlobalCleanup]
        public void Cleanup()
        {
            _listener?.Dispose();
            _listener = null;
        }

        /// <summary>The package's own Markdig.dll.</summary>
        [Benchmark]
        public long Untraced() => Shared.Original.RenderAll(Shared.Documents);

        [Benchmark]
        public long Woven_NotListening() => Shared.Woven.RenderAll(Shared.Documents);

        [Benchmark(Baseline = true)]
        public long Woven_PropagationData() => Shared.Woven.RenderAll(Shared.Documents);

        [Benchmark]
        public long Woven_AllDataAndRecorded() => Shared.Woven.RenderAll(Shared.Documents);
    }
}
