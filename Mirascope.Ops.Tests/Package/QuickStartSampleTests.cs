using System.Text.RegularExpressions;
using Mirascope.Ops.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Mirascope.Ops.Tests.Package
{
    /// <summary>The README's first command, run from the repository root: dotnet run with project samples/QuickStart.</summary>
    [Trait("Category", "Package")]
    public sealed class QuickStartSampleTests
    {
#if DEBUG
        private const string Configuration = "Debug";
#else
        private const string Configuration = "Release";
#endif

        private static readonly string[] SpanNames =
        {
            "DataProcessing.ProcessData", "Greeter.Greet", "Reports.WeeklyReport", "Reports.RegionSales",
            "Payments.Charge", "Library.FetchBookAsync", "Library.FormatTitle", "Recommendations.ForReader",
        };

        private readonly ITestOutputHelper _log;

        public QuickStartSampleTests(ITestOutputHelper log) => _log = log;

        [Fact]
        public void QuickStart_prints_a_trace_tree_for_each_example_and_the_examples_results()
        {
            // The configuration of this test run, so what the solution build made is reused, not rebuilt.
            var run = DotnetCli.Run(_log, RepositoryPaths.Root, new[] { "run", "--project", "samples/QuickStart", "-c", Configuration }).EnsureSuccess();

            Assert.Equal(
                "DataProcessing.ProcessData\n" +
                "Greeter.Greet\n" +
                "Reports.WeeklyReport\n" +
                "  Reports.RegionSales\n" +
                "  Reports.RegionSales\n" +
                "Payments.Charge !\n" +
                "Library.FetchBookAsync\n" +
                "  Library.FormatTitle\n" +
                "Recommendations.ForReader\n",
                TraceTreeOutput.Shape(run.Output, SpanNames));
            Assert.Contains("processed: mean 18, max 42", run.Output);
            Assert.Matches(new Regex(@"wrapped: Hello, Ada! \(trace [0-9a-f]{32}, span [0-9a-f]{16}\)"), run.Output);
            Assert.Contains("report: 2 regions, 1000 sales", run.Output);
            Assert.Contains("error: A charge must be positive.", run.Output);
            Assert.Contains("fetched: BOOK 42", run.Output);
            Assert.Contains("recommended: Dune, Emma", run.Output);
        }
    }
}
