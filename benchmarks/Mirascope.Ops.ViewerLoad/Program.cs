using System;
using Mirascope.Ops.ViewerLoad;

if (args.Length > 0 && args[0] == "--ingest-benchmark")
{
    // BenchmarkDotNet's ratios of the ingest decode path against main's (IngestBenchmark/IngestDecodeBenchmarks.cs).
    BenchmarkDotNet.Running.BenchmarkRunner.Run<Mirascope.Ops.ViewerLoad.IngestBenchmark.IngestDecodeBenchmarks>(args: args[1..]);
    return 0;
}

if (args.Length > 0 && args[0] == "--ingest-cpu")
{
    // The same paths by CPU time, alternated round by round (IngestBenchmark/IngestCpuPairs.cs).
    Mirascope.Ops.ViewerLoad.IngestBenchmark.IngestCpuPairs.Run(Console.Out);
    return 0;
}

LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine(exception.Message);
    Console.Error.WriteLine();
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}

if (options.ShowHelp)
{
    Console.WriteLine(LoadOptions.Usage);
    return 0;
}

var result = await LoadRun.RunAsync(options, Console.Out);
if (options.Smoke)
{
    // The smoke run checks itself: every span acknowledged and stored, every query answered as expected.
    var stored = result.StoredSpans == result.Ingest.AckedSpans && result.Ingest.AckedSpans == options.MaxSpans;
    var answered = System.Linq.Enumerable.All(result.Queries, q => q.Check == "ok");
    Console.WriteLine(stored && answered ? "smoke: ok" : "smoke: FAILED");
    return stored && answered ? 0 : 1;
}

return result.Ingest.LostSpans == 0 && (result.BusyIngest?.LostSpans ?? 0) == 0 ? 0 : 1;
