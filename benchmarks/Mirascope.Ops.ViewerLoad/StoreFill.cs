using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Mirascope.Ops.Viewer.Ingest;
using Mirascope.Ops.Viewer.Storage;

namespace Mirascope.Ops.ViewerLoad
{
    /// <summary>
    /// <c>--fill N</c>: puts N spans into the store before the viewers start, in this process, through the viewer's own
    /// storage code (the OTLP/JSON reader and <see cref="TraceStore.Store"/>), so whatever the schema and the summaries are
    /// today is what gets filled: no SQL of its own. The same bodies as the exporters send, in larger requests, from
    /// <see cref="Writers"/> writers at once.
    /// </summary>
    internal static class StoreFill
    {
        private const int Writers = 2;
        private const int SpansPerWrite = 2000;

        public static async Task RunAsync(string location, long spans, TextWriter output)
        {
            var store = new TraceStore(location);
            try
            {
                var clock = Stopwatch.StartNew();
                long reserved = 0, written = 0;
                var nextReport = 0L;
                var progress = new object();

                void Write(int writer)
                {
                    var builder = new SpanBatchBuilder("fill-service-" + writer.ToString(System.Globalization.CultureInfo.InvariantCulture), seed: 1000 + writer);
                    while (true)
                    {
                        var take = (int)Math.Min(SpansPerWrite, spans - Interlocked.Add(ref reserved, SpansPerWrite) + SpansPerWrite);
                        if (take < SpanBatchBuilder.SpansPerTrace)
                        {
                            return;
                        }

                        var (body, _, _) = builder.Build(take);
                        var batch = OtlpJsonReader.Read(body);
                        store.Store(batch.Spans, DateTimeOffset.UtcNow);
                        var total = Interlocked.Add(ref written, batch.Spans.Count);
                        lock (progress)
                        {
                            if (total >= nextReport)
                            {
                                output.WriteLine($"  fill: {total:N0} spans, {total / Math.Max(clock.Elapsed.TotalSeconds, 1e-9):N0} spans/s");
                                nextReport = total + Math.Max(100_000, spans / 10);
                            }
                        }
                    }
                }

                var tasks = new Task[Writers];
                for (var i = 0; i < Writers; i++)
                {
                    var writer = i;
                    tasks[i] = Task.Run(() => Write(writer));
                }

                await Task.WhenAll(tasks).ConfigureAwait(false);
                output.WriteLine($"fill: {written:N0} spans stored in {clock.Elapsed.TotalSeconds:0.0} s through the viewer's storage code ({written / Math.Max(clock.Elapsed.TotalSeconds, 1e-9):N0} spans/s)");
            }
            finally
            {
                (store.Engine as IDisposable)?.Dispose();
            }
        }
    }
}
