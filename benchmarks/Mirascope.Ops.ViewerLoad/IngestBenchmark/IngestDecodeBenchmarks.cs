using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using Mirascope.Ops.Viewer.Ingest;
using Mirascope.Ops.Viewer.Storage;
using Baseline = Mirascope.Ops.ViewerLoad.IngestBenchmark.MainBaseline;

namespace Mirascope.Ops.ViewerLoad.IngestBenchmark
{
    /// <summary>
    /// The viewer's per-request ingest work before any SQL (issue 28 item 6): decoding one OTLP/JSON request of 512 spans
    /// (the load generator's bodies, as the Cloud exporter sends them) into stored spans and reading each span's facts
    /// (<see cref="SpanFacts"/>: usage, model, version, tags, error), as <c>SpanWrites</c> does. Baseline: main
    /// <c>22c082a</c>'s code of the same (<c>MainBaseline/</c>, copied verbatim), in the same run.
    /// <c>dotnet run -c Release --project benchmarks/Mirascope.Ops.ViewerLoad -- --ingest-benchmark</c>
    /// </summary>
    [Config(typeof(Settings))]
    public class IngestDecodeBenchmarks
    {
        private byte[] _body = Array.Empty<byte>();

        [GlobalSetup]
        public void Setup()
        {
            _body = new SpanBatchBuilder("books", seed: 28).Build(512).Body;
            var before = Main();
            var after = Now();
            if (before != after)
            {
                throw new InvalidOperationException($"the decoders disagree: {before} vs {after}");
            }
        }

        [Benchmark(Baseline = true, Description = "main 22c082a: decode + facts")]
        public long Main()
        {
            var batch = Baseline.OtlpJsonReader.Read(_body);
            long check = 0;
            foreach (var span in batch.Spans)
            {
                var facts = Baseline.SpanFacts.Read(span.AttributesJson, span.EventsJson, span.StatusCode);
                check += span.AttributesJson.Length + span.EventsJson.Length + (facts.InputTokens ?? 0) + (facts.IsError ? 1 : 0) + (facts.TagsJson?.Length ?? 0);
            }

            return check;
        }

        [Benchmark(Description = "this build: decode + facts")]
        public long Now()
        {
            var batch = OtlpJsonReader.Read(_body);
            long check = 0;
            foreach (var span in batch.Spans)
            {
                var facts = SpanWrites.FactsOf(span);
                check += span.AttributesJson.Length + span.EventsJson.Length + (facts.InputTokens ?? 0) + (facts.IsError ? 1 : 0) + (facts.TagsJson?.Length ?? 0);
            }

            return check;
        }

        private sealed class Settings : ManualConfig
        {
            public Settings()
            {
                AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(5).WithIterationCount(15));
                AddDiagnoser(MemoryDiagnoser.Default);
                AddColumn(StatisticColumn.Median);
                SummaryStyle = SummaryStyle.Default.WithRatioStyle(RatioStyle.Value);
            }
        }
    }
}
