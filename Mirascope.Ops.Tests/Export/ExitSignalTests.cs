using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Mirascope.Ops.Tests.Export.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Export
{
    /// <summary>
    /// Real child processes stopped with real signals: every span that ended before the signal reaches the receiver,
    /// and the process ends exactly as it does without Mirascope.Ops's export (same exit code; the app's own handlers
    /// still run and decide).
    /// </summary>
    public class ExitSignalTests
    {
        private const int SIGINT = 2;
        private const int SIGQUIT = 3;
        private const int SIGTERM = 15;

        /// <summary>A loop of spans; each "ended i" is printed after span i ended. A 5-minute schedule: only a flush sends before the batch fills.</summary>
        private const string LoopProgram = """
            using System;
            using System.Threading;
            using Mirascope.Ops;

            public static class Program
            {
                public static int Main()
                {
                    var run = Environment.GetEnvironmentVariable("CHILD_RUN");
                    if (Environment.GetEnvironmentVariable("CHILD_EXPORT") != "off")
                    {
                        OpsExport.Configure(o => o.ScheduledDelay = TimeSpan.FromMinutes(5));
                    }

                    for (var i = 0; ; i++)
                    {
                        using (MirascopeOps.Span("loop", new { run, i }))
                        {
                            Thread.Sleep(1);
                        }

                        Console.Out.WriteLine("ended " + i);
                    }
                }
            }
            """;

        /// <summary>A Generic Host: a worker making spans until the host stops, a span in its StopAsync, one after RunAsync; exits with 3.</summary>
        private const string HostProgram = """
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Hosting;
            using Microsoft.Extensions.Logging;
            using Mirascope.Ops;

            public static class Program
            {
                public static async Task<int> Main()
                {
                    var run = Environment.GetEnvironmentVariable("CHILD_RUN");
                    if (Environment.GetEnvironmentVariable("CHILD_EXPORT") != "off")
                    {
                        OpsExport.Configure(o => o.ScheduledDelay = TimeSpan.FromMinutes(5));
                    }

                    var builder = Host.CreateApplicationBuilder();
                    builder.Logging.ClearProviders();
                    builder.Services.AddHostedService<Worker>();
                    using (var host = builder.Build())
                    {
                        await host.RunAsync();
                    }

                    using (MirascopeOps.Span("host-stopped", new { run }))
                    {
                    }

                    Console.Out.WriteLine("main returns");
                    return 3;
                }
            }

            public sealed class Worker : BackgroundService
            {
                private readonly string? _run = Environment.GetEnvironmentVariable("CHILD_RUN");

                protected override async Task ExecuteAsync(CancellationToken stoppingToken)
                {
                    for (var i = 0; !stoppingToken.IsCancellationRequested; i++)
                    {
                        using (MirascopeOps.Span("loop", new { run = _run, i }))
                        {
                        }

                        Console.Out.WriteLine("ended " + i);
                        try
                        {
                            await Task.Delay(1, stoppingToken);
                        }
                        catch (OperationCanceledException)
                        {
                            return;
                        }
                    }
                }

                public override async Task StopAsync(CancellationToken cancellationToken)
                {
                    using (MirascopeOps.Span("worker-stopping", new { run = _run }))
                    {
                        await base.StopAsync(cancellationToken);
                    }
                }
            }
            """;

        public static IEnumerable<object[]> Signals => new[] { new object[] { SIGTERM }, new object[] { SIGINT }, new object[] { SIGQUIT } };

        [Theory]
        [MemberData(nameof(Signals))]
        public async Task Every_span_ended_before_a_stop_signal_reaches_the_receiver_and_the_exit_code_is_the_one_without_export(int signal)
        {
            if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
            {
                return;   // POSIX signals
            }

            var program = ChildProgram.Build("SignalLoop", LoopProgram);
            await using var receiver = await TraceReceiver.StartAsync();
            var (exported, exportedExit, endedBeforeSignal, stderr) = await RunUntilSignal(program, receiver, signal, export: true);
            var (_, plainExit, _, _) = await RunUntilSignal(program, receiver, signal, export: false);

            Assert.Equal(plainExit, exportedExit);
            var arrived = await WaitForLoopSpans(receiver, exported, endedBeforeSignal);
            var missing = Enumerable.Range(0, endedBeforeSignal).Except(arrived).ToList();
            Assert.True(missing.Count == 0, $"{missing.Count} of the {endedBeforeSignal} spans ended before the signal never arrived (first: {string.Join(", ", missing.Take(10))}); stderr: {stderr}");
        }

        [Theory]
        [InlineData(SIGTERM)]
        [InlineData(SIGINT)]
        public async Task A_Generic_Host_still_shuts_down_on_its_own_its_shutdown_spans_arrive_and_its_exit_code_is_kept(int signal)
        {
            if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
            {
                return;
            }

            var program = ChildProgram.Build("SignalHost", HostProgram);
            await using var receiver = await TraceReceiver.StartAsync();
            var (exported, exportedExit, endedBeforeSignal, stderr) = await RunUntilSignal(program, receiver, signal, export: true, expectMainReturns: true);
            var (_, plainExit, _, _) = await RunUntilSignal(program, receiver, signal, export: false, expectMainReturns: true);

            Assert.Equal(3, plainExit);
            Assert.Equal(plainExit, exportedExit);
            var arrived = await WaitForLoopSpans(receiver, exported, endedBeforeSignal);
            Assert.Empty(Enumerable.Range(0, endedBeforeSignal).Except(arrived));
            // The host's own shutdown ran (the app's handler decided) and what it traced was exported at process exit.
            await WaitUntil(() => receiver.Spans.Count(s => Equals(s["run"], exported) && s.Name is "worker-stopping" or "host-stopped") == 2, stderr);
        }

        [Fact]
        public async Task After_a_SIGTERM_flush_that_could_not_deliver_stderr_counts_what_was_lost_before_the_process_ends()
        {
            if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
            {
                return;
            }

            using var blackHole = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            blackHole.Start();   // accepts connections and never answers
            var baseUrl = $"http://127.0.0.1:{((System.Net.IPEndPoint)blackHole.LocalEndpoint).Port}/api/v2";
            var program = ChildProgram.Build("SignalLoop", LoopProgram);
            using var child = program.Start(new Dictionary<string, string>
            {
                ["CHILD_RUN"] = "lost",
                ["MIRASCOPE_API_KEY"] = "mk_test_signal",
                ["MIRASCOPE_BASE_URL"] = baseUrl,
            });
            await child.WaitForOutputAsync(line => line == "ended 200", TimeSpan.FromSeconds(60));
            child.Signal(SIGTERM);
            await child.WaitForExitAsync(TimeSpan.FromSeconds(30));   // the flush waits ShutdownTimeout (5 s) at most

            var line = Assert.Single(child.Stderr.Split('\n'), l => l.Contains(" not delivered: ", StringComparison.Ordinal));
            Assert.StartsWith("Mirascope.Ops: ", line);
            Assert.Contains($"spans for Mirascope Cloud ({baseUrl}/traces) not delivered: ", line);
            Assert.Contains("still pending at exit", line);
            Assert.DoesNotContain("mk_test_signal", child.Stderr);
        }

        private static async Task<(string Run, int Exit, int EndedBeforeSignal, string Stderr)> RunUntilSignal(ChildProgram program, TraceReceiver receiver, int signal, bool export, bool expectMainReturns = false)
        {
            var run = Guid.NewGuid().ToString("N");
            using var child = program.Start(new Dictionary<string, string>
            {
                ["CHILD_RUN"] = run,
                ["CHILD_EXPORT"] = export ? "on" : "off",
                ["MIRASCOPE_API_KEY"] = receiver.ApiKey,
                ["MIRASCOPE_BASE_URL"] = receiver.BaseUrl.ToString(),
            });
            // Fewer spans than one batch (512): without a flush on the signal, none would be sent before the process ends.
            await child.WaitForOutputAsync(line => line == "ended 200", TimeSpan.FromSeconds(60));
            var endedBeforeSignal = child.Output.Count(line => line.StartsWith("ended ", StringComparison.Ordinal));
            child.Signal(signal);
            var exit = await child.WaitForExitAsync(TimeSpan.FromSeconds(30));
            if (expectMainReturns)
            {
                Assert.Contains("main returns", child.Output);
            }

            return (run, exit, endedBeforeSignal, child.Stderr);
        }

        private static async Task<HashSet<int>> WaitForLoopSpans(TraceReceiver receiver, string run, int count)
        {
            HashSet<int> Arrived() => receiver.Spans.Where(s => s.Name == "loop" && Equals(s["run"], run)).Select(s => Convert.ToInt32(s["i"])).ToHashSet();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (Enumerable.Range(0, count).Except(Arrived()).Any() && clock.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(50);
            }

            return Arrived();
        }

        private static async Task WaitUntil(Func<bool> condition, string context)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (!condition())
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "timed out; child stderr: " + context);
                await Task.Delay(50);
            }
        }
    }
}
