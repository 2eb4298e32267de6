using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Mirascope.Ops.Tests.Export.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Configuration
{
    public class ApiKeyLeakTests
    {
        [Fact]
        public async Task Api_key_appears_only_in_the_authorization_header_never_in_spans_messages_exceptions_or_output()
        {
            await using var receiver = await TraceReceiver.StartAsync();
            // A careless backend that echoes the credential back in its error body.
            receiver.Script(
                Reply.WithStatus(503, body: "overloaded for key " + receiver.ApiKey),
                Reply.WithStatus(400, body: "{\"error\":\"bad key Bearer " + receiver.ApiKey + "\"}"));
            using var events = new OpsEvents();
            var console = new StringWriter();
            var stderr = new StderrCapture();
            using var pipeline = Pipelines.Cloud(receiver, o =>
            {
                o.UseConsole(console);
                o.StandardError = () => stderr.Writer;
            });

            var work = new TracedWork();
            work.Call("Calc", "Multiply", 5, 7);
            work.Dispose();
            pipeline.ForceFlush(TimeSpan.FromSeconds(10));
            var second = new TracedWork();
            second.Call("Calc", "Analyze", "good");
            second.Dispose();
            pipeline.ForceFlush(TimeSpan.FromSeconds(10));

            var key = receiver.ApiKey;
            Assert.Contains(events.TextsOf(100), t => t.Contains("[redacted]"));
            Assert.All(events.Events, e => Assert.DoesNotContain(key, e.Text));
            Assert.DoesNotContain(key, console.ToString());
            // The first-drop line on stderr (the 400 echoed the key) and the statistics name the endpoint, never the key.
            var line = Assert.Single(stderr.Lines);
            Assert.Contains("[redacted]", line);
            Assert.DoesNotContain(key, line);
            var statistics = OpsExport.Statistics;
            Assert.DoesNotContain(key, statistics.ToString());
            Assert.All(statistics.Destinations, d => Assert.DoesNotContain(key, d.ToString()));
            Assert.Contains(statistics.Destinations, d => d.Destination == $"Mirascope Cloud ({receiver.BaseUrl}/traces)");
            Assert.DoesNotContain(key, pipeline.Processors.First().Statistics.ToString());
            var spans = await receiver.WaitForSpansAsync(second.TraceId, 2);
            Assert.NotEmpty(spans);
            Assert.All(receiver.Spans, s =>
            {
                Assert.DoesNotContain(s.Attributes.Values, v => v?.ToString()?.Contains(key) == true);
                Assert.DoesNotContain(s.Resource.Values, v => v?.ToString()?.Contains(key) == true);
            });
            Assert.All(receiver.Requests, r => Assert.Equal("Bearer " + key, r.Authorization));
            Assert.DoesNotContain(key, string.Join(",", pipeline.Exporters));

            var refused = Assert.Throws<ArgumentException>(() => Pipelines.Build(o => { o.ApiKey = key; o.BaseUrl = new Uri("http://example.com/api/v2"); }));
            Assert.DoesNotContain(key, refused.ToString());
        }
    }
}
