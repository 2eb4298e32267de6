using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Mirascope.Ops.ViewerLoad;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests
{
    /// <summary>The load generator of benchmarks/Mirascope.Ops.ViewerLoad, in its smoke size, against the real viewer.</summary>
    public sealed class ViewerLoadSmokeTests
    {
        [Fact]
        public async Task The_load_generators_smoke_run_gets_every_span_acknowledged_and_stored_and_every_query_answered_as_expected()
        {
            await using var viewer = await RunningViewer.StartAsync();
            var options = LoadOptions.Parse(new[] { "--viewer", viewer.Address.ToString(), "--smoke" });
            using var output = new StringWriter();

            var result = await LoadRun.RunAsync(options, output);

            Assert.True(result.Ingest.AckedSpans == 2_000, output.ToString());
            Assert.Equal(0, result.Ingest.LostSpans);
            Assert.Equal(2_000, viewer.Store.Count().Spans);
            Assert.Equal(2_000, result.StoredSpans);
            Assert.Equal(2_000 / SpanBatchBuilder.SpansPerTrace, viewer.Store.Count().Traces);
            Assert.Equal(10, result.Queries.Count);
            Assert.All(result.Queries, query => Assert.True(query.Check == "ok", $"{query.Name}: {query.Check}\n{output}"));
            Assert.All(result.Queries, query => Assert.Equal(3, query.Milliseconds.Count));
            Assert.Contains("spans/s sustained", output.ToString(), StringComparison.Ordinal);
        }

        [Fact]
        public void The_load_generator_refuses_a_viewer_that_is_not_on_loopback_and_a_run_without_bounds_of_its_own()
        {
            var error = Assert.Throws<ArgumentException>(() => LoadOptions.Parse(new[] { "--viewer", "http://example.com/", "--spans", "0" }));

            Assert.Equal(
                string.Join(Environment.NewLine,
                    "--viewer must be an http URL on loopback (127.0.0.1, localhost, [::1]), got \"http://example.com/\"",
                    "--spans must be a whole number from 1 to 100000000, got \"0\"",
                    "give --viewer <url> (a running viewer) or --start (start one)"),
                error.Message);
        }
    }
}
