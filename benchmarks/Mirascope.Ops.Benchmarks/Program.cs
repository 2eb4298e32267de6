using System;
using System.Linq;
using BenchmarkDotNet.Running;
using Mirascope.Ops.Benchmarks.CallHeavy;
using Mirascope.Ops.Benchmarks.Weaving;

namespace Mirascope.Ops.Benchmarks
{
    /// <summary>
    /// <c>dotnet run -c Release --project benchmarks/Mirascope.Ops.Benchmarks -- --filter '*'</c> runs every benchmark
    /// with a short job; <c>-- --profile-weaving</c> prints where the weaver spends its time instead;
    /// <c>-- --profile-call-heavy</c> a stopwatch breakdown of the call-heavy (Markdig) workload;
    /// <c>-- --smoke --filter '*'</c> runs each benchmark once to prove it still works (CI).
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length > 0 && args[0] == WeavingProfile.Command)
            {
                return WeavingProfile.Run(args.Skip(1).ToArray());
            }

            if (args.Length > 0 && args[0] == WeavingProfile.ChildCommand)
            {
                return WeavingProfile.RunChild(args.Skip(1).ToArray());
            }

            if (args.Length > 0 && args[0] == CallHeavyProfile.Command)
            {
                return CallHeavyProfile.Run(args.Skip(1).ToArray());
            }

            var config = BenchConfig.For(args);
            var switcherArgs = args.Where(a => a != BenchConfig.SmokeFlag).ToArray();
            var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(switcherArgs, config);
            return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
        }
    }
}
