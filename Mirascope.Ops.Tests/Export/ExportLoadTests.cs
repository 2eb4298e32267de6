using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Mirascope.Ops.Tests.Export.Infrastructure;
using Mirascope.Ops.Tests.Infrastructure;
using Mirascope.Ops.Tracing;
using Xunit;

namespace Mirascope.Ops.Tests.Export
{
    /// <summary>Runs alone: exact span accounting and memory readings need no other test's spans in the process.</summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class ExportLoadCollection
    {
        public const string Name = "Export load (runs alone)";
    }

    [Collection(ExportLoadCollection.Name)]
    public class ExportLoadTests
    {
        private const int Tasks = 32;
        private const int CallsPerTask = 3125;   // 32 × 3125 = 100,000 traced calls
        private const int Calls = Tasks * CallsPerTask;

        [Fact]
        public async Task Hundred_thousand_calls_from_32_tasks_deliver_exactly_every_span_with_its_parent()
        {
            await using var receiver = await TraceReceiver.StartAsync();
            using var events = new OpsEvents();
            receiver.KeepAttributes = false;
            using var pipeline = Pipelines.Cloud(receiver, o =>
            {
                o.MaxQueueSize = Calls + Tasks + 1000;
                o.MaxExportBatchSize = 4096;
                o.ScheduledDelay = TimeSpan.FromMilliseconds(200);
            });

            var roots = await RunCalls();
            Assert.True(pipeline.ForceFlush(TimeSpan.FromSeconds(120)));

            var stats = pipeline.Processors.Single().Statistics;
            Assert.Equal(0, stats.DroppedQueueFull);
            Assert.True(stats.Dropped == 0, stats + " " + string.Join("\n", events.Events.Select(e => e.Text).Take(5)));
            var received = receiver.Spans.Where(s => roots.ContainsKey(s.TraceId)).ToList();
            var calls = received.Where(s => s.Name == "Calc.Multiply").ToList();
            Assert.Equal(Calls, calls.Count);
            Assert.Equal(Calls, calls.Select(s => s.SpanId).Distinct().Count());
            Assert.All(calls, s => Assert.Equal(roots[s.TraceId], s.ParentSpanId));
            Assert.Equal(Tasks, received.Count(s => s.Name == "load-root"));
            Assert.Empty(receiver.ContractErrors);
        }

        [Fact]
        public async Task Small_queue_drops_the_overflow_counts_every_span_and_memory_stays_flat()
        {
            await using var receiver = await TraceReceiver.StartAsync();
            receiver.KeepAttributes = false;
            receiver.Delay = TimeSpan.FromMilliseconds(20);
            using var pipeline = Pipelines.Cloud(receiver, o =>
            {
                o.MaxQueueSize = 256;
                o.ScheduledDelay = TimeSpan.FromMilliseconds(200);
            });
            await RunCalls(tasks: 2, callsPerTask: 100);   // warm up (JIT, connections) before measuring
            Assert.True(pipeline.ForceFlush(TimeSpan.FromSeconds(30)));
            var stats = pipeline.Processors.Single().Statistics;
            var (queuedBefore, droppedBefore, otherDropsBefore) = (stats.Queued, stats.DroppedQueueFull, stats.Dropped - stats.DroppedQueueFull);
            var receivedBefore = receiver.Spans.Count;
            var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);

            var roots = await RunCalls();
            var memoryAfter = GC.GetTotalMemory(forceFullCollection: true);
            Assert.False(pipeline.ForceFlush(TimeSpan.FromSeconds(60)));   // it settled, but not everything was delivered

            var produced = Calls + Tasks;
            var delivered = receiver.Spans.Count(s => roots.ContainsKey(s.TraceId));
            var dropped = stats.DroppedQueueFull - droppedBefore;
            Assert.True(dropped > 0, stats.ToString());
            Assert.Equal(0, stats.Dropped - stats.DroppedQueueFull - otherDropsBefore);
            Assert.Equal(produced, delivered + dropped);
            Assert.Equal(receiver.Spans.Count - receivedBefore, delivered);   // nothing else was exported meanwhile
            Assert.Equal(produced - dropped, stats.Queued - queuedBefore);
            Assert.True(stats.HighWaterMark <= 256, stats.ToString());
            // 100,000 retained spans would be well over 100 MB; a bounded queue keeps the growth to a few MB.
            Assert.True(memoryAfter - memoryBefore < 32L * 1024 * 1024, $"memory grew by {(memoryAfter - memoryBefore) / 1024 / 1024} MB");
        }

        /// <summary>Each task opens a root span and makes its traced calls under it; returns trace id → root span id.</summary>
        private static async Task<Dictionary<string, string>> RunCalls(int tasks = Tasks, int callsPerTask = CallsPerTask)
        {
            var woven = WovenAssembly.Get("Release");
            var calc = woven.New("Calc");
            var multiply = calc.GetType().GetMethod("Multiply")!;
            var roots = new ConcurrentDictionary<string, string>();
            await Task.WhenAll(Enumerable.Range(0, tasks).Select(t => Task.Run(() =>
            {
                Activity.Current = null;
                using var root = OpsActivitySource.Source.StartActivity("load-root")!;
                roots[root.TraceId.ToHexString()] = root.SpanId.ToHexString();
                for (var i = 0; i < callsPerTask; i++)
                {
                    Assert.Equal(i * t, multiply.Invoke(calc, new object[] { i, t }));
                }
            })));
            return new Dictionary<string, string>(roots);
        }
    }
}
