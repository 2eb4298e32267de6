using System;
using System.IO;
using Mirascope.Ops.Viewer.Storage;

namespace Mirascope.Ops.ViewerLoad
{
    /// <summary>
    /// <c>--fill N</c> from the command line: opens the store the viewers will use (creating or migrating its schema with
    /// the viewer's own code) and fills it with <see cref="BulkFill"/> before they start.
    /// </summary>
    internal static class StoreFill
    {
        public static void Run(string location, long spans, TimeSpan spread, TextWriter output)
        {
            var store = new TraceStore(location);
            try
            {
                var report = BulkFill.Run(store, spans, new[] { TraceEnvironments.Implicit }, spread, output, rebuildIndexes: true);
                output.WriteLine($"fill: {report.Spans:N0} spans in {report.Elapsed.TotalSeconds:0.0} s ({report.SpansPerSecond:N0} spans/s): "
                    + $"{report.SeedTraceIds.Count:N0} seed traces through the viewer's ingest code, {report.FirstRounds:N0} first rounds and {report.DoublingRounds:N0} doubling rounds of copies spread over {spread.TotalDays:0.#} days");
            }
            finally
            {
                (store.Engine as IDisposable)?.Dispose();
            }
        }
    }
}
