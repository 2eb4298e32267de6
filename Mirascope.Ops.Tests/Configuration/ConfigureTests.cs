using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Mirascope.Ops.Configuration;
using Mirascope.Ops.Tests.Export;
using Mirascope.Ops.Tests.Export.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Configuration
{
    /// <summary>OpsExport.Configure installs one process-wide setup, so these tests run alone (with the load tests).</summary>
    [Collection(ExportLoadCollection.Name)]
    public class ConfigureTests : IDisposable
    {
        [Theory]
        [InlineData(false, false, false, "console")]
        [InlineData(true, false, false, "Mirascope Cloud")]
        [InlineData(false, true, false, "OTLP")]
        [InlineData(true, true, false, "Mirascope Cloud|OTLP")]
        [InlineData(true, false, true, "Mirascope Cloud|console")]
        public void Configure_picks_exporters_from_key_endpoint_and_UseConsole(bool key, bool otlpEndpoint, bool useConsole, string expected)
        {
            var environment = TestEnvironment.With(
                key ? ("MIRASCOPE_API_KEY", "mk_test_configure") : ("UNUSED", ""),
                otlpEndpoint ? ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9") : ("UNUSED2", ""),
                ("MIRASCOPE_BASE_URL", "http://127.0.0.1:9/api/v2"));
            var pipeline = OpsExport.Configure(o =>
            {
                if (useConsole)
                {
                    o.UseConsole(TextWriter.Null);
                }
            }, environment);

            Assert.Same(pipeline, ActivePipeline.Current);
            Assert.Equal(expected.Split('|'), pipeline.Exporters.Select(e => e.Split(' ')[0] == "Mirascope" ? "Mirascope Cloud" : e.Split(' ')[0]));
        }

        [Fact]
        public async Task Reconfigure_flushes_the_old_setup_and_sends_later_spans_only_to_the_new_one()
        {
            await using var first = await TraceReceiver.StartAsync();
            await using var second = await TraceReceiver.StartAsync();
            OpsExport.Configure(o => Cloud(o, first), TestEnvironment.Empty);
            var before = Traced(w => w.Call("Calc", "Multiply", 1, 2));

            OpsExport.Configure(o => Cloud(o, second), TestEnvironment.Empty);   // no explicit flush: replacing flushes
            Assert.Equal(2, first.SpansOf(before).Count);

            var after = Traced(w => w.Call("Calc", "Multiply", 3, 4));
            Assert.True(OpsExport.ForceFlush(TimeSpan.FromSeconds(10)));
            Assert.Equal(2, second.SpansOf(after).Count);
            Assert.Empty(second.SpansOf(before));
            Assert.Empty(first.SpansOf(after));
        }

        [Fact]
        public async Task Shutdown_flushes_and_later_calls_still_work_but_are_not_exported()
        {
            await using var receiver = await TraceReceiver.StartAsync();
            OpsExport.Configure(o => Cloud(o, receiver), TestEnvironment.Empty);
            var before = Traced(w => w.Call("Calc", "Multiply", 1, 2));

            Assert.True(OpsExport.Shutdown());
            Assert.Equal(2, receiver.SpansOf(before).Count);
            Assert.Null(ActivePipeline.Current);

            var woven = Tests.Infrastructure.WovenAssembly.Get("Release");
            Assert.Equal(12, woven.Call(woven.New("Calc"), "Multiply", 3, 4));
            Assert.True(OpsExport.ForceFlush());
            Assert.True(OpsExport.Shutdown());
            Assert.Equal(2, receiver.Spans.Count(s => s.TraceId == before));
        }

        [Fact]
        public async Task Shutdown_is_bounded_when_the_backend_never_answers()
        {
            await using var receiver = await TraceReceiver.StartAsync();
            receiver.Delay = TimeSpan.FromSeconds(30);
            var pipeline = OpsExport.Configure(o =>
            {
                Cloud(o, receiver);
                o.ShutdownTimeout = TimeSpan.FromMilliseconds(500);
            }, TestEnvironment.Empty);
            Traced(w => w.Call("Calc", "Multiply", 1, 2));

            var clock = System.Diagnostics.Stopwatch.StartNew();
            Assert.False(OpsExport.Shutdown());
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"shutdown took {clock.Elapsed}");
            Assert.True(pipeline.Processors.Single().Statistics.DroppedAtShutdown >= 2);
        }

        [Fact]
        public void Configure_sets_the_recorded_value_cap()
        {
            OpsExport.Configure(o => { o.MaxAttributeLength = 1000; o.UseConsole(TextWriter.Null); }, TestEnvironment.Empty);
            Assert.Equal(1000, Tracing.RecordingLimits.MaxAttributeLength);
            OpsExport.Configure(o => o.UseConsole(TextWriter.Null), TestEnvironment.Empty);
            Assert.Equal(Tracing.RecordingLimits.DefaultMaxAttributeLength, Tracing.RecordingLimits.MaxAttributeLength);
        }

        [Fact]
        public void Invalid_configuration_keeps_the_previous_setup()
        {
            var pipeline = OpsExport.Configure(o => o.UseConsole(TextWriter.Null), TestEnvironment.Empty);
            Assert.Throws<ArgumentException>(() => OpsExport.Configure(o => o.ApiKey = " ", TestEnvironment.Empty));
            Assert.Same(pipeline, ActivePipeline.Current);
        }

        public void Dispose() => OpsExport.Shutdown(TimeSpan.FromSeconds(5));

        private static void Cloud(OpsOptions options, TraceReceiver receiver)
        {
            options.ApiKey = receiver.ApiKey;
            options.BaseUrl = receiver.BaseUrl;
            options.ScheduledDelay = TimeSpan.FromMinutes(1);
            options.Retry = Pipelines.FastRetry;
        }

        private static string Traced(Action<TracedWork> body)
        {
            using var work = new TracedWork();
            body(work);
            return work.TraceId;
        }
    }
}
