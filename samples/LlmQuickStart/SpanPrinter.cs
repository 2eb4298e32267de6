using System;
using System.Diagnostics;
using System.Linq;

namespace LlmQuickStart
{
    /// <summary>
    /// Prints each Mirascope.Ops span when it ends: name, duration and attributes. A stand-in for the console exporter
    /// of OpsExport.Configure(); message content appears only when capture is on.
    /// </summary>
    internal static class SpanPrinter
    {
        public static IDisposable Start()
        {
            var listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == "Mirascope.Ops",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = Print,
            };
            ActivitySource.AddActivityListener(listener);
            return listener;
        }

        private static void Print(Activity span)
        {
            lock (Console.Out)
            {
                var depth = 0;
                for (var parent = span.Parent; parent is not null; parent = parent.Parent) depth++;
                var indent = new string(' ', depth * 2);
                Console.WriteLine($"{indent}[span] {span.DisplayName} ({span.Duration.TotalMilliseconds:0} ms, {span.Status})");
                foreach (var tag in span.TagObjects.OrderBy(t => t.Key, StringComparer.Ordinal))
                {
                    var value = tag.Value is string[] array ? "[" + string.Join(", ", array) + "]" : tag.Value?.ToString();
                    Console.WriteLine($"{indent}    {tag.Key} = {value}");
                }
            }
        }
    }
}
