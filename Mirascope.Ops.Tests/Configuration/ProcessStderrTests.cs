using System;
using System.IO;
using System.Linq;
using Mirascope.Ops.Tests.Export.Infrastructure;
using OpenTelemetry.Trace;
using Xunit;

namespace Mirascope.Ops.Tests.Configuration
{
    /// <summary>Runs alone: it replaces the process's Console.Error.</summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class ProcessStderrCollection
    {
        public const string Name = "Process stderr (runs alone)";
    }

    [Collection(ProcessStderrCollection.Name)]
    public class ProcessStderrTests
    {
        [Fact]
        public async System.Threading.Tasks.Task By_default_the_first_drop_goes_to_the_process_stderr_exactly_once()
        {
            await using var receiver = await TraceReceiver.StartAsync();
            var original = Console.Error;
            var captured = new StringWriter();
            Console.SetError(captured);
            try
            {
                using var pipeline = Pipelines.Build(o =>
                {
                    o.ApiKey = TraceReceiver.NewApiKey();
                    o.BaseUrl = receiver.BaseUrl;
                    o.StandardError = new OpsOptions().StandardError;   // the default, which the test helper replaces
                });
                for (var i = 0; i < 3; i++)
                {
                    SpanProducer.Produce(2);
                    Assert.False(pipeline.ForceFlush(TimeSpan.FromSeconds(20)));
                }

                pipeline.Shutdown(TimeSpan.FromSeconds(20));
            }
            finally
            {
                Console.SetError(original);
            }

            var lines = captured.ToString().Split(new[] { Environment.NewLine }, StringSplitOptions.RemoveEmptyEntries);
            var line = Assert.Single(lines, l => l.Contains(receiver.BaseUrl + "/traces") && !StderrCapture.IsExitSummary(l));
            Assert.Single(lines, StderrCapture.IsExitSummary);
            Assert.Contains("HTTP 401", line);
        }

        [Fact]
        public async System.Threading.Tasks.Task An_apps_own_provider_with_AddMirascopeOps_says_false_on_flush_and_shutdown_and_warns_on_stderr()
        {
            await using var receiver = await TraceReceiver.StartAsync();
            var wrongKey = TraceReceiver.NewApiKey();
            var original = Console.Error;
            var captured = new StringWriter();
            Console.SetError(captured);
            bool flushed, shutDown;
            try
            {
                using var provider = OpenTelemetry.Sdk.CreateTracerProviderBuilder()
                    .AddMirascopeOps(o =>
                    {
                        o.ApiKey = wrongKey;
                        o.BaseUrl = receiver.BaseUrl;
                    })
                    .Build()!;
                SpanProducer.Produce(3);
                flushed = provider.ForceFlush(20_000);
                SpanProducer.Produce(3);
                shutDown = provider.Shutdown(20_000);
            }
            finally
            {
                Console.SetError(original);
            }

            Assert.False(flushed);
            Assert.False(shutDown);
            var destination = Assert.Single(OpsExport.Statistics.Destinations, d => d.Destination == $"Mirascope Cloud ({receiver.BaseUrl}/traces)");
            Assert.Equal(6, destination.DroppedRejected);
            var line = Assert.Single(captured.ToString().Split(new[] { Environment.NewLine }, StringSplitOptions.RemoveEmptyEntries), l => l.Contains(receiver.BaseUrl + "/traces") && !StderrCapture.IsExitSummary(l));
            Assert.Contains("HTTP 401", line);
            Assert.DoesNotContain(wrongKey, captured.ToString());
        }
    }
}
