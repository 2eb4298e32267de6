using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Order;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Mirascope.Ops.Benchmarks
{
    /// <summary>
    /// One configuration for every benchmark: a short job (1 launch, 3 warm-up and 3 measured iterations, so the whole
    /// set finishes in minutes on 2 cores), allocations measured, ratios as plain numbers against each group's baseline.
    /// A <c>--job</c> on the command line (e.g. <c>--job Dry</c>) replaces the short job instead of adding to it.
    /// </summary>
    internal static class BenchConfig
    {
        /// <summary>
        /// CI's check that the benchmarks still build and their setups' checks (same span as the woven one, no
        /// System.Text.Json for primitives) still pass: every benchmark once, in-process, on whatever build this is
        /// (CI builds Debug, so the optimization check is off). Its timings mean nothing.
        /// </summary>
        public const string SmokeFlag = "--smoke";

        /// <summary>
        /// Whether this process runs the smoke check: set by <see cref="For"/>; the smoke job runs in-process, so a
        /// benchmark's setup can read it to pick a smaller workload (the call-heavy benchmark does).
        /// </summary>
        public static bool Smoke { get; private set; }

        public static IConfig For(string[] args)
        {
            var config = DefaultConfig.Instance
                .AddDiagnoser(MemoryDiagnoser.Default)
                .AddColumn(StatisticColumn.Median)
                .WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Value))
                .WithOrderer(new DefaultOrderer(SummaryOrderPolicy.Declared))
                .WithOptions(ConfigOptions.DisableLogFile);
            if (args.Contains(SmokeFlag))
            {
                Smoke = true;
                return config
                    .WithOptions(ConfigOptions.DisableOptimizationsValidator | ConfigOptions.StopOnFirstError)
                    .AddJob(Job.Dry.WithToolchain(InProcessEmitToolchain.Instance).WithId("Smoke"));
            }

            var jobGiven = args.Any(a => a is "--job" or "-j");
            return jobGiven ? config : config.AddJob(Job.ShortRun.WithId("Short"));
        }
    }
}
