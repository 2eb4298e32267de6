using System;
using System.IO;
using System.Linq;
using Microsoft.Extensions.Logging;
using Mirascope.Ops.Configuration;
using Mirascope.Ops.Tests.Export.Infrastructure;
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
}
