using System;
using System.IO;
using System.Linq;
using System.Threading;
using Mirascope.Ops.Export;
using Mirascope.Ops.Tests.Export.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Export
{
    /// <summary>
    /// The rate limit of the self-diagnostics holds reports back but never loses them: what it held comes out with the
    /// right counts once the interval has passed and at shutdown; the stderr line stays one bounded line.
    /// </summary>
    public class ExportDiagnosticsTests
    {
        [Fact]
        public void Failures_held_back_by_the_rate_limit_come_out_once_the_interval_passed_with_their_exact_count()
        {
            using var events = new OpsEvents();
            var destination = "unit test " + Guid.NewGuid().ToString("N");
            var diagnostics = new ExportDiagnostics(destination, null, null, interval: TimeSpan.FromMilliseconds(200));

            for (var i = 0; i < 5; i++)
            {
                diagnostics.ExportFailed(2, "HTTP 500 Internal Server Error (not retried)");
            }

            var first = Assert.Single(events.PayloadsOf(100, destination));
            Assert.Equal(new object[] { destination, 2L, "HTTP 500 Internal Server Error (not retried)", 0L }, first);
            diagnostics.ReportHeld(force: false);
            Assert.Single(events.PayloadsOf(100, destination));   // too soon: still held

            Thread.Sleep(300);
            diagnostics.ReportHeld(force: false);
            var failures = events.PayloadsOf(100, destination);
            Assert.Equal(2, failures.Count);
            Assert.Equal(new object[] { destination, 8L, "HTTP 500 Internal Server Error (not retried)", 3L }, failures[1]);

            diagnostics.ReportHeld(force: true);
            Assert.Equal(2, events.PayloadsOf(100, destination).Count);   // nothing more was held
        }

        [Fact]
        public void Queue_full_drops_held_back_are_all_reported_at_shutdown()
        {
            using var events = new OpsEvents();
            var destination = "unit test " + Guid.NewGuid().ToString("N");
            var diagnostics = new ExportDiagnostics(destination, null, null);

            for (var i = 0; i < 1000; i++)
            {
                diagnostics.QueueFull(64);
            }

            diagnostics.ReportHeld(force: true);
            var reports = events.PayloadsOf(101, destination);
            Assert.Equal(new[] { 1L, 999L }, reports.Select(r => Convert.ToInt64(r[2])));
            Assert.All(reports, r => Assert.Equal(64, r[1]));
        }

        [Fact]
        public void The_stderr_line_is_written_once_per_destination_and_stays_one_bounded_line_whatever_the_reason_holds()
        {
            var stderr = new StderrCapture();
            var destination = "Mirascope Cloud (http://127.0.0.1:1/" + Guid.NewGuid().ToString("N") + "/traces)";
            var diagnostics = new ExportDiagnostics(destination, null, "sk-secret", new StderrDropWarning(destination, () => stderr.Writer));
            var hostile = "HTTP 400 Bad Request: line one\r\nline two\u2028three sk-secret " + new string('x', 10_000);

            diagnostics.ExportFailed(1, hostile);
            diagnostics.ExportFailed(1, "again");
            diagnostics.QueueFull(10);
            // Another exporter of the same destination (a reconfiguration) does not repeat it.
            new ExportDiagnostics(destination, null, null, new StderrDropWarning(destination, () => stderr.Writer)).ExportFailed(1, "after reconfiguring");

            var line = Assert.Single(stderr.Lines);
            Assert.StartsWith("Mirascope.Ops: spans exported to " + destination + " are being dropped: HTTP 400 Bad Request: line one  line two three [redacted] xxx", line);
            Assert.DoesNotContain("sk-secret", line);
            Assert.True(line.Length < 1000, $"{line.Length} characters");
            Assert.Contains("…", line);
        }

        [Fact]
        public void A_destination_warned_on_one_writer_is_still_warned_on_another()
        {
            // Receivers on loopback reuse ports, so two exporters far apart in one process can share a destination
            // text; an app (or a test) that gives its exporter its own writer must still see that exporter's line.
            var destination = "Mirascope Cloud (http://127.0.0.1:2/" + Guid.NewGuid().ToString("N") + "/traces)";
            var first = new StderrCapture();
            var second = new StderrCapture();
            new ExportDiagnostics(destination, null, null, new StderrDropWarning(destination, () => first.Writer)).QueueFull(50);
            new ExportDiagnostics(destination, null, null, new StderrDropWarning(destination, () => second.Writer)).QueueFull(50);

            Assert.Contains("(MaxQueueSize 50) is full", Assert.Single(first.Lines));
            Assert.Contains("(MaxQueueSize 50) is full", Assert.Single(second.Lines));
        }

        [Fact]
        public void A_broken_stderr_does_not_reach_the_app()
        {
            var destination = "console " + Guid.NewGuid().ToString("N");
            var diagnostics = new ExportDiagnostics(destination, null, null, new StderrDropWarning(destination, () => throw new IOException("closed")));
            diagnostics.ExportFailed(1, "the console could not be written");
            diagnostics.QueueFull(1);
        }
    }
}
