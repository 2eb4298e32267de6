using System;
using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;

namespace Mirascope.Ops.Benchmarks
{
    /// <summary>
    /// One configuration for every benchmark: a short job (1 launch, 3 warm-up and 3 measured iterations, so the whole
    /// set finishes in minutes on 2 cores), allocations measured, ratios as plain numbers against each group's baseline.
    /// A <c>--job</c> on the command line (e.g. <c>--job Dry</c>) replaces the short job instead of adding to it.
    /// </summary>
    internal static class BenchConfig
    {
        public static IConfig For(string[] args)
        {
            var config = DefaultConfig.Instance
                .AddDiagnoser(MemoryDiagnoser.Default)
                .AddColumn(StatisticColumn.Median)
                .WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Value))
                .WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared))
                .WithOptions(ConfigOptions.DisableLogFile);
            var jobGiven = args.Any(a => a is "--job" or "-j");
            return jobGiven ? config : config.AddJob(Job.ShortRun.WithId("Short"));
        }
    }
}
