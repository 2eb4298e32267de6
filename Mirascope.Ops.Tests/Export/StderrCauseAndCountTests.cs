using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Mirascope.Ops.Tests.Export.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Export
{
    /// <summary>
    /// stderr tells the cause and the count: a rejected key gets its own line even after the queue-full line, a
    /// receiver that never answered is not called slow, and at exit one line per destination gives the spans lost by
    /// reason — the same numbers as <c>OpsExport.Statistics</c>.
    /// </summary>
    public class StderrCauseAndCountTests
    {
        private static readonly Regex ExitLine = new Regex(@"^Mirascope\.Ops: (?<lost>[\d,]+) of (?<given>[\d,]+) spans for (?<destination>.+?) not delivered: (?<reasons>[^.]+)\.");

        [Fact]
        public async Task A_burst_of_3000_spans_against_a_rejected_key_names_the_rejected_key_after_the_queue_full_line_and_counts_at_exit()
        {
            await using var receiver = await TraceReceiver.StartAsync();
            receiver.Delay = TimeSpan.FromMilliseconds(300);   // the first 401 comes back after the queue overflowed
            var wrongKey = TraceReceiver.NewApiKey();
            var stderr = new StderrCapture();
            using var pipeline = Pipelines.Cloud(receiver, o =>
            {
                o.ApiKey = wrongKey;
                o.StandardError = () => stderr.Writer;
            });
            var cloud = pipeline.Processors.Single();

            SpanProducer.Produce(3_000);
            Assert.False(pipeline.Shutdown(TimeSpan.FromSeconds(30)));

            var stats = cloud.Statistics;
            Assert.True(stats.DroppedQueueFull > 0, stats.ToString());
            Assert.Equal(3_000 - stats.DroppedQueueFull, stats.DroppedRejected);
            var lines = stderr.Lines;
            Assert.Equal(3, lines.Count);
            Assert.Contains("the export queue (MaxQueueSize 2048) is full and the receiver has not answered any request yet", lines[0]);
            Assert.StartsWith($"Mirascope.Ops: export to {receiver.BaseUrl}/traces is refused: HTTP 401 Unauthorized", lines[1]);
            Assert.Contains("the receiver refused the API key (check MIRASCOPE_API_KEY or OpsOptions.ApiKey)", lines[1]);
            Assert.StartsWith(
                $"Mirascope.Ops: 3,000 of 3,000 spans for {stats.Destination} not delivered: {stats.DroppedQueueFull:N0} queue full, {stats.DroppedRejected:N0} rejected by the receiver.",
                lines[2]);
            Assert.DoesNotContain(wrongKey, stderr.Text);
        }

        [Fact]
        public async Task Twenty_thousand_spans_into_a_black_hole_give_an_exit_line_whose_numbers_are_OpsExport_Statistics()
        {
            await using var receiver = await TraceReceiver.StartAsync();
            receiver.Delay = TimeSpan.FromHours(1);   // accepts, reads, never answers
            receiver.KeepAttributes = false;
            var stderr = new StderrCapture();
            using var pipeline = Pipelines.Cloud(receiver, o =>
            {
                o.ExportTimeout = TimeSpan.FromMilliseconds(200);
                o.ShutdownTimeout = TimeSpan.FromMilliseconds(800);
                o.StandardError = () => stderr.Writer;
            });
            var destination = pipeline.Processors.Single().Statistics.Destination;

            SpanProducer.Produce(20_000);
            Assert.False(pipeline.Shutdown(pipeline.ShutdownTimeout));

            var stats = Assert.Single(OpsExport.Statistics.Destinations, d => d.Destination == destination);
            var line = Assert.Single(stderr.ExitLines);
            var match = ExitLine.Match(line);
            Assert.True(match.Success, line);
            Assert.Equal(destination, match.Groups["destination"].Value);
            Assert.Equal(stats.Dropped + stats.Pending, Number(match.Groups["lost"].Value));
            Assert.Equal(20_000, Number(match.Groups["given"].Value));
            var reasons = match.Groups["reasons"].Value.Split(", ").Select(r => r.Split(' ', 2)).ToDictionary(r => r[1], r => Number(r[0]));
            Assert.Equal(stats.DroppedQueueFull, reasons["queue full"]);
            Assert.Equal(stats.DroppedRetriesExhausted, reasons.GetValueOrDefault("retries exhausted"));
            Assert.Equal(stats.DroppedAtShutdown, reasons.GetValueOrDefault("at shutdown"));
            Assert.Equal(stats.Dropped, reasons.Values.Sum());
            Assert.Contains("The receiver never answered", line);
            Assert.DoesNotContain("keep up", stderr.Text);
            Assert.DoesNotContain("more slowly", stderr.Text);
        }

        [Fact]
        public async Task A_receiver_that_answers_slowly_is_called_slow_not_silent_when_the_queue_fills()
        {
            await using var receiver = await TraceReceiver.StartAsync();
            var stderr = new StderrCapture();
            using var pipeline = Pipelines.Cloud(receiver, o =>
            {
                o.MaxQueueSize = 50;
                o.MaxExportBatchSize = 10;
                o.StandardError = () => stderr.Writer;
            });
            var cloud = pipeline.Processors.Single();
            SpanProducer.Produce(5);
            Assert.True(pipeline.ForceFlush(TimeSpan.FromSeconds(20)));   // it answers

            receiver.Delay = TimeSpan.FromMilliseconds(200);
            SpanProducer.Produce(2_000);
            pipeline.Shutdown(TimeSpan.FromSeconds(30));

            Assert.True(cloud.Statistics.DroppedQueueFull > 0, cloud.Statistics.ToString());
            var line = Assert.Single(stderr.WarningLines);
            Assert.Contains("the export queue (MaxQueueSize 50) is full: the receiver answers, but more slowly than the app makes spans", line);
            Assert.DoesNotContain("never answered", stderr.Text);
        }

        private static long Number(string text) => long.Parse(text.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture);
    }
}
