using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using Mirascope.Ops.Benchmarks.Subjects;
using OpenTelemetry.Resources;

namespace Mirascope.Ops.Benchmarks.Export
{
    /// <summary>
    /// 8. The Mirascope Cloud exporter's serialization of one batch of 512 real woven spans, as
    /// <c>MirascopeCloudExporter.Export</c> does it before sending: reset the reused body stream, write the OTLP/JSON
    /// request with <c>OtlpJsonWriter</c>, and hand its buffer to the request (no copy). Times and bytes are per span
    /// (OperationsPerInvoke = 512).
    /// Goal: at least 200,000 spans/s on one core, i.e. at most 5 us per span.
    /// Compiled only where Mirascope.Ops/Export exists (the MirascopeExportAvailable condition in the project file).
    /// </summary>
    public class CloudExportBenchmarks
    {
        private const int BatchSize = 512;
        private readonly MemoryStream _body = new MemoryStream();
        private readonly List<Activity> _batch = new List<Activity>(BatchSize);
        private Action<Stream, IReadOnlyList<Activity>, Resource>? _write;
        private Resource? _resource;

        [GlobalSetup]
        public void Setup()
        {
            var writer = typeof(OpsExport).Assembly.GetType("Mirascope.Ops.Export.OtlpJsonWriter")
                ?? throw new InvalidOperationException("Mirascope.Ops.Export.OtlpJsonWriter is not in Mirascope.Ops.Export");
            var write = writer.GetMethod("Write", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static, new[] { typeof(Stream), typeof(IReadOnlyList<Activity>), typeof(Resource) })
                ?? throw new InvalidOperationException("OtlpJsonWriter.Write(Stream, IReadOnlyList<Activity>, Resource) is gone; update the benchmark");
            _write = (Action<Stream, IReadOnlyList<Activity>, Resource>)write.CreateDelegate(typeof(Action<Stream, IReadOnlyList<Activity>, Resource>));
            _resource = ResourceBuilder.CreateDefault().AddService("benchmarks").Build();

            // Real spans from the woven methods: a root per request with two recorded children, three shapes.
            var subjects = new TracedSubjects();
            var item = Item.Sample();
            using var listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == "Mirascope.Ops",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity => _batch.Add(activity),
            };
            ActivitySource.AddActivityListener(listener);
            for (var i = 0; _batch.Count < BatchSize; i++)
            {
                switch (i % 3)
                {
                    case 0: subjects.TwoInts(i, 2 * i); break;
                    case 1: subjects.StringAndObject("request " + i, item); break;
                    default: subjects.NoArgs(); break;
                }
            }

            SerializeBatch();
            Console.WriteLine($"// [export] OTLP/JSON body: {_body.Length / (double)BatchSize:N0} bytes per span");
        }

        [Benchmark(OperationsPerInvoke = BatchSize)]
        public int SerializeBatch()
        {
            _body.SetLength(0);
            _write!(_body, _batch, _resource!);
            // The exporter sends straight from the stream's buffer (no per-batch copy): so does the benchmark.
            return new ArraySegment<byte>(_body.GetBuffer(), 0, (int)_body.Length).Count;
        }
    }
}
