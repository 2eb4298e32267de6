using System;
using System.IO;
using System.Linq;
using Microsoft.Extensions.Logging;
using Mirascope.Ops.Configuration;
using Mirascope.Ops.Tests.Export.Infrastructure;
using OpenTelemetry.Trace;
using Xunit;

namespace Mirascope.Ops.Tests.Configuration
{
    /// <summary>
    /// The first-drop stderr line is on by default, off when a Logger is set (the warning goes there) or when turned
    /// off in code or by MIRASCOPE_WARN_ON_STDERR, which is validated like the other settings.
    /// </summary>
    public class WarnOnStderrOptionTests
    {
        private static readonly TimeSpan Flush = TimeSpan.FromSeconds(20);

        [Fact]
        public void Is_on_by_default_and_read_from_MIRASCOPE_WARN_ON_STDERR()
        {
            Assert.True(new OpsOptions().WarnOnStderr);
            Assert.False(OpsPipeline.ResolveOptions(null, TestEnvironment.With(("MIRASCOPE_WARN_ON_STDERR", "false"))).WarnOnStderr);
            Assert.False(OpsPipeline.ResolveOptions(null, TestEnvironment.With(("MIRASCOPE_WARN_ON_STDERR", " 0 "))).WarnOnStderr);
            Assert.True(OpsPipeline.ResolveOptions(null, TestEnvironment.With(("MIRASCOPE_WARN_ON_STDERR", "TRUE"))).WarnOnStderr);
            Assert.True(OpsPipeline.ResolveOptions(o => o.WarnOnStderr = true, TestEnvironment.With(("MIRASCOPE_WARN_ON_STDERR", "false"))).WarnOnStderr);
            Assert.Contains("WarnOnStderr = True", new OpsOptions().ToString());
        }

        [Fact]
        public void An_invalid_MIRASCOPE_WARN_ON_STDERR_fails_Configure_with_a_message_that_names_it()
        {
            var error = Assert.Throws<ArgumentException>(() => OpsPipeline.ResolveOptions(null, TestEnvironment.With(("MIRASCOPE_WARN_ON_STDERR", "maybe"))));
            Assert.Contains("MIRASCOPE_WARN_ON_STDERR is 'maybe', which is not a boolean; use 'true' or 'false'", error.Message);
        }

        [Theory]
        [InlineData("option")]
        [InlineData("environment")]
        [InlineData("logger")]
        public async System.Threading.Tasks.Task Nothing_is_written_to_stderr_when_turned_off_or_when_a_logger_is_set(string how)
        {
            await using var receiver = await TraceReceiver.StartAsync();
            var stderr = new StderrCapture();
            var logger = new CollectingLogger();
            var wrongKey = TraceReceiver.NewApiKey();
            var environment = how == "environment" ? TestEnvironment.With(("MIRASCOPE_WARN_ON_STDERR", "false")) : TestEnvironment.Empty;
            using var pipeline = Pipelines.Build(o =>
            {
                o.ApiKey = wrongKey;
                o.BaseUrl = receiver.BaseUrl;
                o.Retry = Pipelines.FastRetry;
                o.StandardError = () => stderr.Writer;
                if (how == "option")
                {
                    o.WarnOnStderr = false;
                }

                o.Logger = how == "logger" ? logger : null;
            }, environment);

            SpanProducer.Produce(2);
            Assert.False(pipeline.ForceFlush(Flush));
            pipeline.Shutdown(Flush);

            Assert.Empty(stderr.Text);
            Assert.Equal(2, pipeline.Processors.Single().Statistics.DroppedRejected);
            if (how == "logger")
            {
                Assert.Contains(logger.Messages, m => m.Level == LogLevel.Warning && m.Message.Contains("HTTP 401") && m.Message.Contains(receiver.BaseUrl + "/traces"));
                Assert.Contains(logger.Messages, m => m.Level == LogLevel.Warning && m.Message.Contains("stopped with 2 spans dropped"));
                Assert.All(logger.Messages, m => Assert.DoesNotContain(wrongKey, m.Message));
            }
        }
    }

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
            var line = Assert.Single(lines, l => l.Contains(receiver.BaseUrl + "/traces"));
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
            var line = Assert.Single(captured.ToString().Split(new[] { Environment.NewLine }, StringSplitOptions.RemoveEmptyEntries), l => l.Contains(receiver.BaseUrl + "/traces"));
            Assert.Contains("HTTP 401", line);
            Assert.DoesNotContain(wrongKey, captured.ToString());
        }
    }
}
