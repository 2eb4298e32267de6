// The real Mirascope Cloud exporter of package Mirascope.Ops.Export, pointed at a running viewer.
using System;
using System.Linq;
using System.Threading.Tasks;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using TracedBookshop;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests.ExportBranch
{
    /// <summary>The real exporter of this project, configured as a user would (<c>MIRASCOPE_BASE_URL</c> at the viewer).</summary>
    [Collection(GlobalOpsConfiguration.Name)]
    public sealed class RealExporterTests
    {
        [Fact]
        public async Task Ops_Configure_pointed_at_the_viewer_delivers_a_traced_run_that_the_viewer_lists_and_shows()
        {
            await using var viewer = await RunningViewer.StartAsync(o => o.ApiKey = "local-key");
            OpsExport.Configure(o =>
            {
                o.ApiKey = "local-key";
                o.BaseUrl = viewer.BaseUrl;
                o.ServiceName = "bookshop-app";
                o.ScheduledDelay = TimeSpan.FromMilliseconds(20);
            });
            try
            {
                string traceId;
                using (MirascopeOps.Session("exported-session"))
                {
                    traceId = (await MirascopeOps.WrappedAsync(() => new Bookshop().RecommendAsync("fantasy", 100))).TraceId;
                }

                Assert.True(OpsExport.ForceFlush(TimeSpan.FromSeconds(10)), "the exporter did not flush within 10 s");
                var trace = await viewer.WaitForTraceAsync(traceId, 4);

                var spans = trace.GetProperty("spans").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);
                var root = spans["Bookshop.RecommendAsync"];
                Assert.Equal("bookshop-app", root.GetProperty("serviceName").GetString());
                Assert.Equal("{\"genre\":\"fantasy\",\"budget\":100}", root.GetProperty("attributes").GetProperty("mirascope.trace.arg_values").GetString());
                Assert.Equal(40, spans["Bookshop.Price"].GetProperty("attributes").GetProperty("mirascope.trace.output").GetInt64());
                Assert.Equal(root.GetProperty("spanId").GetString(), spans["Bookshop.Lookup"].GetProperty("parentSpanId").GetString());
                Assert.Equal("error", spans["Bookshop.Lookup"].GetProperty("status").GetProperty("name").GetString());

                var listed = (await viewer.GetJsonAsync("api/traces?session=exported-session")).GetProperty("traces").EnumerateArray().Single();
                Assert.Equal(traceId, listed.GetProperty("traceId").GetString());
                Assert.Equal("Bookshop.RecommendAsync", listed.GetProperty("rootName").GetString());
                Assert.Equal(new[] { "books", "recommendation" }, listed.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
            }
            finally
            {
                OpsExport.Shutdown(TimeSpan.FromSeconds(5));
            }
        }
    }

    /// <summary>Tests that call OpsExport.Configure (process-wide) run one at a time.</summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class GlobalOpsConfiguration
    {
        public const string Name = "OpsExport.Configure is process-wide";
    }
}
