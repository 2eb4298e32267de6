using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Runtime.ExceptionServices;
using Mirascope.Ops.Benchmarks.Infrastructure;

namespace Mirascope.Ops.Benchmarks.CallHeavy
{
    /// <summary>
    /// <c>-- --profile-call-heavy [operations] [row]</c> (row: a part of a row's name, e.g. <c>AllData</c>, to run only
    /// that row and skip the span report, e.g. under <c>perf record</c>): a stopwatch look at the call-heavy workload (benchmark 9) without
    /// BenchmarkDotNet. Per row: time, bytes and exceptions per operation; then, for the two listened rows, how many
    /// spans one operation makes, which span names only recording makes (traced methods that recording itself calls),
    /// the exceptions thrown while recording, and which spans carry the most argument text.
    /// </summary>
    internal static class CallHeavyProfile
    {
        public const string Command = "--profile-call-heavy";

        private const string Source = "Mirascope.Ops";

        public static int Run(string[] args)
        {
            var operations = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 5;
            var only = args.Length > 1 ? args[1] : null;
            RecordingLimitsOverride.ApplyFromEnvironment();
            Console.WriteLine($"recording limits: {RecordingLimitsOverride.Describe()}");
            var clock = Stopwatch.StartNew();
            var workload = new Workload(Workload.Measured);
            Console.WriteLine($"setup (weaving{(workload.Library.Reused ? " reused" : "")}, loading, original HTML): {clock.ElapsedMilliseconds} ms");

            // Per exception type and the first steps of System.Text.Json's path in the value being recorded.
            var exceptions = new Dictionary<(string Type, string Path), (int Count, string Sample)>();
            var counting = false;
            AppDomain.CurrentDomain.FirstChanceException += (_, e) =>
            {
                if (!counting)
                {
                    return;
                }

                var message = e.Exception.Message;
                var path = System.Text.RegularExpressions.Regex.Match(message, @"Path: (\$[^ |]*)").Groups[1].Value;
                var steps = path.Split('.');
                var key = (e.Exception.GetType().Name, string.Join(".", steps.Take(3)) + (steps.Length > 3 ? $"… ({steps.Length - 1} steps)" : ""));
                exceptions[key] = exceptions.TryGetValue(key, out var seen)
                    ? (seen.Count + 1, seen.Sample)
                    : (1, message.Split('\n')[0] + " @ " + e.Exception.TargetSite?.DeclaringType?.Name + "." + e.Exception.TargetSite?.Name);
            };

            var perRow = new List<(string Row, double Ms, double Bytes, double Exceptions)>();
            void Measure(string row, MarkdigRenderer renderer, ActivitySamplingResult? sampling)
            {
                if (only is not null && !row.Contains(only, StringComparison.OrdinalIgnoreCase))
                {
                    return;
                }

                using var listener = sampling is { } result ? new SamplingListener(result, Source) : null;
                workload.CheckHtml(renderer, row);

                // Warm up for 2 s (at least 3 operations), so tiered compilation has settled before the clock starts.
                var warmUp = Stopwatch.StartNew();
                for (var i = 0; i < 3 || warmUp.ElapsedMilliseconds < 2000; i++)
                {
                    renderer.RenderAll(workload.Documents);
                }

                exceptions.Clear();
                counting = true;
                var bytes = GC.GetAllocatedBytesForCurrentThread();
                var watch = Stopwatch.StartNew();
                for (var i = 0; i < operations; i++)
                {
                    renderer.RenderAll(workload.Documents);
                }

                watch.Stop();
                counting = false;
                var thrown = exceptions.Values.Sum(v => v.Count);
                perRow.Add((row, watch.Elapsed.TotalMilliseconds / operations, (GC.GetAllocatedBytesForCurrentThread() - bytes) / (double)operations, thrown / (double)operations));
                if (thrown > 0)
                {
                    Console.WriteLine($"{row}: exceptions thrown (first-chance) per operation, by type and path in the recorded value:");
                    foreach (var group in exceptions.GroupBy(e => e.Key.Type).OrderByDescending(g => g.Sum(e => e.Value.Count)))
                    {
                        Console.WriteLine($"  {group.Key}: {group.Sum(e => e.Value.Count) / (double)operations:N0}  e.g. {group.First().Value.Sample}");
                        foreach (var path in group.OrderByDescending(e => e.Value.Count).Take(4))
                        {
                            Console.WriteLine($"    {path.Value.Count / (double)operations:N0} at {(path.Key.Path.Length == 0 ? "(no path)" : path.Key.Path)}");
                        }
                    }
                }
            }

            Measure("untraced", workload.Original, null);
            Measure("woven, nobody listening", workload.Woven, null);
            Measure("woven, PropagationData", workload.Woven, ActivitySamplingResult.PropagationData);
            Measure("woven, AllDataAndRecorded", workload.Woven, ActivitySamplingResult.AllDataAndRecorded);
            Console.WriteLine();
            Console.WriteLine($"{operations} operations per row, {workload.Documents.Length} documents, {workload.Documents.Sum(d => d.Length):N0} chars of Markdown");
            Console.WriteLine("| row | ms/op | allocated/op | exceptions/op |");
            Console.WriteLine("|---|---:|---:|---:|");
            foreach (var (row, ms, bytes, thrown) in perRow)
            {
                Console.WriteLine($"| {row} | {ms:N2} | {bytes / 1024 / 1024:N1} MB | {thrown:N0} |");
            }

            if (only is not null)
            {
                return 0;
            }

            Console.WriteLine();
            var plain = Capture(workload, ActivitySamplingResult.PropagationData);
            var recorded = Capture(workload, ActivitySamplingResult.AllDataAndRecorded);
            Console.WriteLine($"spans per operation: PropagationData {plain.Count:N0}, AllDataAndRecorded {recorded.Count:N0}");
            var plainCounts = plain.GroupBy(s => s.DisplayName).ToDictionary(g => g.Key, g => g.Count());
            Console.WriteLine("span names recorded more often under AllDataAndRecorded (called by recording itself), top 15:");
            foreach (var group in recorded.GroupBy(s => s.DisplayName)
                .Select(g => (Name: g.Key, Extra: g.Count() - plainCounts.GetValueOrDefault(g.Key)))
                .Where(g => g.Extra > 0).OrderByDescending(g => g.Extra).Take(15))
            {
                var parent = recorded.Where(s => s.DisplayName == group.Name).GroupBy(s => s.Parent?.DisplayName ?? "(root)")
                    .OrderByDescending(g => g.Count()).First();
                Console.WriteLine($"  {group.Name}: +{group.Extra:N0} (PropagationData: {plainCounts.GetValueOrDefault(group.Name):N0}); most often under {parent.Key} ({parent.Count():N0})");
            }

            Console.WriteLine($"root spans: PropagationData {plain.Count(s => s.Parent is null):N0}, AllDataAndRecorded {recorded.Count(s => s.Parent is null):N0}");
            SpanStatistics.Print(recorded, Console.Out, top: 15);
            return 0;
        }

        private static List<Activity> Capture(Workload workload, ActivitySamplingResult sampling)
        {
            using var listener = new SamplingListener(sampling, Source);
            workload.Woven.RenderAll(workload.Documents);
            var first = listener.Capture(() => workload.Woven.RenderAll(workload.Documents)).Count;
            var second = listener.Capture(() => workload.Woven.RenderAll(workload.Documents));
            if (first != second.Count)
            {
                Console.WriteLine($"{sampling}: the operation is not steady: {first:N0} spans, then {second.Count:N0}");
            }

            return second;
        }
    }
}
