using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace Mirascope.Ops.ViewerLoad
{
    /// <summary>What the ingest phase measured.</summary>
    internal sealed record IngestReport(
        long AckedSpans, long LostSpans, TimeSpan Elapsed, IReadOnlyCollection<double> AckMilliseconds,
        long Refused429, long Refused503, long OtherErrors, IReadOnlyList<string> SampleTraceIds)
    {
        public double SpansPerSecond => AckedSpans / Math.Max(Elapsed.TotalSeconds, 1e-9);
    }

    /// <summary>
    /// N exporters, each sending one request at a time (as the exporters' batch processor does), paced to M spans/s each
    /// or as fast as the viewer acknowledges; a 429 or 503 is sent again after its <c>Retry-After</c>, like our exporter.
    /// Bounded by a span count and a duration.
    /// </summary>
    internal static class IngestLoad
    {
        /// <summary>How long past the duration a batch is still retried before it is counted lost.</summary>
        private static readonly TimeSpan RetryGrace = TimeSpan.FromSeconds(30);

        public static async Task<IngestReport> RunAsync(LoadOptions options, IReadOnlyList<Uri> viewers, HttpClient http, CancellationToken stop = default)
        {
            long reserved = 0, acked = 0, lost = 0, refused429 = 0, refused503 = 0, errors = 0;
            var latencies = new ConcurrentBag<double>();
            var samples = new ConcurrentQueue<string>();
            var clock = Stopwatch.StartNew();
            long lastAckTicks = 0;

            async Task ExporterAsync(int index)
            {
                var builder = new SpanBatchBuilder("load-service-" + (index % 5).ToString(System.Globalization.CultureInfo.InvariantCulture), seed: index);
                var url = new Uri(viewers[index % viewers.Count], "api/v2/traces");
                long sentByThis = 0;
                var started = clock.Elapsed;
                while (clock.Elapsed < options.MaxDuration && !stop.IsCancellationRequested)
                {
                    var take = (int)Math.Min(options.BatchSize, options.MaxSpans - Interlocked.Add(ref reserved, options.BatchSize) + options.BatchSize);
                    if (take < SpanBatchBuilder.SpansPerTrace)
                    {
                        return;
                    }

                    if (options.RatePerExporter > 0)
                    {
                        // Paced: the n-th span goes out no earlier than n / rate after this exporter started.
                        var due = started + TimeSpan.FromSeconds(sentByThis / options.RatePerExporter);
                        var wait = due - clock.Elapsed;
                        if (wait > TimeSpan.Zero)
                        {
                            await Task.Delay(wait).ConfigureAwait(false);
                        }
                    }

                    var (body, spans, traceIds) = builder.Build(take);
                    if (samples.Count < 2000)
                    {
                        samples.Enqueue(traceIds[0]);
                    }

                    sentByThis += spans;
                    while (true)
                    {
                        using var content = new ByteArrayContent(body);
                        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
                        if (options.ApiKey is not null)
                        {
                            request.Headers.Add("X-API-Key", options.ApiKey);
                        }

                        var sent = clock.Elapsed;
                        HttpStatusCode status;
                        TimeSpan? retryAfter = null;
                        try
                        {
                            using var response = await http.SendAsync(request).ConfigureAwait(false);
                            status = response.StatusCode;
                            retryAfter = response.Headers.RetryAfter?.Delta;
                            await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                        }
                        catch (HttpRequestException)
                        {
                            status = 0;
                        }
                        catch (TaskCanceledException)
                        {
                            status = 0;
                        }

                        if (status == HttpStatusCode.OK)
                        {
                            latencies.Add((clock.Elapsed - sent).TotalMilliseconds);
                            Interlocked.Add(ref acked, spans);
                            Interlocked.Exchange(ref lastAckTicks, clock.Elapsed.Ticks);
                            break;
                        }

                        if (status == HttpStatusCode.TooManyRequests)
                        {
                            Interlocked.Increment(ref refused429);
                        }
                        else if (status == HttpStatusCode.ServiceUnavailable)
                        {
                            Interlocked.Increment(ref refused503);
                        }
                        else
                        {
                            Interlocked.Increment(ref errors);
                        }

                        var retryable = status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable or 0;
                        if (!retryable || clock.Elapsed > options.MaxDuration + RetryGrace)
                        {
                            Interlocked.Add(ref lost, spans);
                            break;
                        }

                        await Task.Delay(retryAfter ?? TimeSpan.FromMilliseconds(500)).ConfigureAwait(false);
                    }
                }
            }

            var exporters = new List<Task>();
            for (var i = 0; i < options.Exporters; i++)
            {
                var index = i;
                exporters.Add(Task.Run(() => ExporterAsync(index)));
            }

            await Task.WhenAll(exporters).ConfigureAwait(false);
            return new IngestReport(acked, lost, TimeSpan.FromTicks(Interlocked.Read(ref lastAckTicks)), latencies.ToArray(),
                refused429, refused503, errors, samples.ToArray());
        }
    }
}
