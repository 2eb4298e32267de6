using System;
using System.Diagnostics;
using System.IO;

namespace Mirascope.Ops.ViewerLoad.IngestBenchmark
{
    /// <summary>
    /// The same two paths as <see cref="IngestDecodeBenchmarks"/>, timed by the process's CPU time instead of the wall
    /// clock and alternated round by round (main's, this build's, main's, ...), so both see the same machine: on a 2-core
    /// machine shared with other builds, BenchmarkDotNet's wall-clock means swing by more than the difference measured
    /// (docs/benchmarks.md). <c>dotnet run -c Release --project benchmarks/Mirascope.Ops.ViewerLoad -- --ingest-cpu</c>
    /// </summary>
    internal static class IngestCpuPairs
    {
        public static void Run(TextWriter output, int rounds = 30, int requestsPerRound = 20)
        {
            var benchmarks = new IngestDecodeBenchmarks();
            benchmarks.Setup();   // checks that both paths give the same result
            for (var warm = 0; warm < 5 * requestsPerRound; warm++)
            {
                benchmarks.Main();
                benchmarks.Now();
            }

            var main = TimeSpan.Zero;
            var now = TimeSpan.Zero;
            var process = Process.GetCurrentProcess();
            for (var round = 0; round < rounds; round++)
            {
                main += Cpu(process, requestsPerRound, () => benchmarks.Main());
                now += Cpu(process, requestsPerRound, () => benchmarks.Now());
            }

            var requests = rounds * requestsPerRound;
            double PerThousandSpans(TimeSpan cpu) => cpu.TotalMilliseconds / requests / 512 * 1000;
            output.WriteLine($"ingest decode + facts, 512-span OTLP/JSON requests, {requests} each, alternated in {rounds} rounds; CPU time of the process:");
            output.WriteLine($"  main 22c082a: {PerThousandSpans(main):F1} ms per 1,000 spans");
            output.WriteLine($"  this build:   {PerThousandSpans(now):F1} ms per 1,000 spans (ratio {now.TotalMilliseconds / main.TotalMilliseconds:F2})");
        }

        private static TimeSpan Cpu(Process process, int requests, Func<long> decode)
        {
            GC.Collect();   // each side pays for its own garbage, not the other's
            process.Refresh();
            var before = process.TotalProcessorTime;
            for (var i = 0; i < requests; i++)
            {
                decode();
            }

            GC.Collect();
            process.Refresh();
            return process.TotalProcessorTime - before;
        }
    }
}
