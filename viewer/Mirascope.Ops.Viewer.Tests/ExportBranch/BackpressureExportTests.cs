// The real exporters of package Mirascope.Ops.Export against a viewer that refuses ingest with 429 for a while.
using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading.Tasks;
using Mirascope.Ops.Viewer.Ingest;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using TracedBookshop;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests.ExportBranch
{
    /// <summary>Backpressure end to end: the viewer answers 429 + Retry-After, the exporter waits as asked and loses nothing.</summary>
    [Collection(GlobalOpsConfiguration.Name)]
    public sealed class BackpressureExportTests
    {
        private const int Traces = 20;
        private const int SpansPerTrace = 4;   // RecommendAsync, SearchAsync, Price, Lookup

        [Theory]
        [InlineData("cloud")]
        [InlineData("otlp")]
        public async Task The_real_exporter_retries_the_viewers_429_as_Retry_After_asks_and_delivers_every_span_with_none_counted_dropped(string destination)
        {
            // One request stored at a time and none waiting: while the test holds that one, every batch is refused.
            await using var viewer = await RunningViewer.StartAsync(o => { o.IngestConcurrency = 1; o.IngestQueue = 0; });
            var gate = viewer.Services<IngestGate>();
            using var held = HeldIngest.Start(new Uri(viewer.Address, "api/v2/traces"), IngestBackpressureTests.JsonBody("held", 1));
            await held.FirstHalfSent;
            await IngestBackpressureTests.WaitUntilAsync(() => gate.Running == 1, "the held request was not admitted");

            var before = OpsExport.Statistics;   // the counts are the process's, across configurations
            OpsExport.Configure(o =>
            {
                o.ServiceName = "backpressure-" + destination;
                o.ScheduledDelay = TimeSpan.FromMilliseconds(20);
                o.MaxExportBatchSize = 10;   // several requests, each refused and retried on its own
                if (destination == "cloud")
                {
                    o.ApiKey = "local";
                    o.BaseUrl = viewer.BaseUrl;
                }
                else
                {
                    o.UseOtlp(viewer.Address, "http/protobuf");
                }
            });
            try
            {
                var traceIds = new List<string>();
                for (var i = 0; i < Traces; i++)
                {
                    traceIds.Add((await MirascopeOps.WrappedAsync(() => new Bookshop().RecommendAsync("fantasy", 100))).TraceId);
                }

                // The exporter meets the 429 (more than once: it waits the asked second between attempts), then the turn frees.
                await IngestBackpressureTests.WaitUntilAsync(() => gate.Refused >= 2, "the exporter's batches were never refused");
                held.Release();
                Assert.Equal(System.Net.HttpStatusCode.OK, (await held.Response).StatusCode);

                Assert.True(OpsExport.ForceFlush(TimeSpan.FromSeconds(30)), "the exporter did not flush within 30 s: " + OpsExport.Statistics);
                var statistics = OpsExport.Statistics;
                Assert.True(statistics.Dropped == before.Dropped, $"spans were counted as dropped: {statistics} (before: {before})");
                Assert.Equal(Traces * SpansPerTrace, statistics.Exported - before.Exported);
                Assert.Equal(Traces * SpansPerTrace + 1, viewer.Store.Count().Spans);
                foreach (var traceId in traceIds)
                {
                    await viewer.WaitForTraceAsync(traceId, SpansPerTrace, TimeSpan.FromSeconds(1));
                }
            }
            finally
            {
                OpsExport.Shutdown(TimeSpan.FromSeconds(5));
            }
        }
    }
}
