using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net.Http;
using System.Threading;
using Mirascope.Ops.Configuration;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;

namespace Mirascope.Ops.Export.Otlp
{
    /// <summary>
    /// OTLP export with the official OpenTelemetry exporter (<see cref="OtlpTraceExporter"/>: its protobuf encoding,
    /// its http/protobuf and gRPC clients, its headers and certificates), driven by our <see cref="BatchingSpanProcessor"/>
    /// so OTLP is counted exactly like the Cloud export: every span exported or dropped for one reason, retries with
    /// our schedule (429/502–504, gRPC UNAVAILABLE and kin, no answer, connection failures), a 413 splits the batch in
    /// halves down to one span (a single span still refused is dropped as too large), and the request in flight is
    /// cancelled when shutdown runs out of time. The SDK exporter only says success or failure; the
    /// <see cref="OtlpRequestObserver"/> under its HttpClient says why, and a wrong protocol or a refused endpoint or
    /// key is told once on stderr as a configuration error.
    /// </summary>
    internal sealed class OtlpSpanExporter : SpanBatchExporter
    {
        private const string ShutdownOutOfTime = "shutdown ran out of time";

        private readonly OtlpTraceExporter _exporter;
        private readonly OtlpRequestObserver? _observer;
        private readonly RetrySchedule _retry;
        private readonly TimeSpan _timeout;
        private readonly OtlpTarget _target;
        private bool _answeredBefore;

        private OtlpSpanExporter(OtlpTraceExporter exporter, OtlpRequestObserver? observer, OtlpTarget target, TimeSpan timeout, RetrySettings retry, ExportDiagnostics diagnostics, ExportStatistics statistics)
            : base(diagnostics, statistics)
        {
            _exporter = exporter;
            _observer = observer;
            _target = target;
            _timeout = timeout;
            _retry = new RetrySchedule(retry);
        }

        public OtlpTarget Target => _target;

        /// <summary>The SDK exporter: the processor hands it the provider (and so the resource) it reads.</summary>
        public override BaseExporter<Activity> SdkExporter => _exporter;

        /// <summary>Builds the official exporter for <paramref name="request"/>, watched by our handler.</summary>
        /// <param name="request">What <c>UseOtlp</c> (or the environment) asked for.</param>
        /// <param name="options">Timeouts and retry settings.</param>
        /// <param name="environment">The environment (the process's, or a test's).</param>
        /// <param name="diagnostics">Builds the destination's diagnostics from its name.</param>
        public static OtlpSpanExporter Create(OtlpExporterRequest request, OpsOptions options, Func<string, string?> environment, Func<string, ExportDiagnostics> diagnostics)
        {
            var target = OtlpTarget.Resolve(request, environment);
            // The public constructor reads OTEL_EXPORTER_OTLP_* of the process; what we resolved (from the same
            // variables, or a test's environment) is set on top, then the app's own UseOtlp(configure) wins.
            var otlp = new OtlpExporterOptions
            {
                Protocol = target.Protocol,
                Endpoint = target.Endpoint,
                TimeoutMilliseconds = (int)Math.Min(int.MaxValue, options.ExportTimeout.TotalMilliseconds),
            };
            if (environment("OTEL_EXPORTER_OTLP_HEADERS") is { Length: > 0 } headers)
            {
                otlp.Headers = headers;
            }

            OtlpRequestObserver? observer = null;
            ExportStatistics? statistics = null;
            Func<HttpClient> ours = () => new HttpClient(observer!) { Timeout = TimeSpan.FromMilliseconds(otlp.TimeoutMilliseconds) };
            otlp.HttpClientFactory = ours;
            request.Configure?.Invoke(otlp);
            var final = request.Configure is null ? target : OtlpTarget.Of(otlp);
            var destination = diagnostics(final.Destination);
            statistics = new ExportStatistics(final.Destination);
            if (ReferenceEquals(otlp.HttpClientFactory, ours))
            {
                // Redirects are not followed: a 3xx is a misconfiguration, and headers must not go elsewhere.
                observer = new OtlpRequestObserver(statistics, CreateHandler());
            }

            return new OtlpSpanExporter(new OtlpTraceExporter(otlp), observer, final, options.ExportTimeout, options.Retry, destination, statistics);
        }

        public override BatchOutcome Export(IReadOnlyList<Activity> batch, Resource resource, CancellationToken cancellation)
        {
            var spans = new Activity[batch.Count];
            for (var i = 0; i < spans.Length; i++)
            {
                spans[i] = batch[i];
            }

            return Send(spans, cancellation);
        }

        public override void Finish(Resource resource)
        {
            _exporter.Shutdown(0);
        }

        private BatchOutcome Send(Activity[] spans, CancellationToken cancellation)
        {
            for (var attempt = 1; ; attempt++)
            {
                _observer?.Begin(cancellation);
                ExportResult result;
                try
                {
                    result = _exporter.Export(new Batch<Activity>(spans, spans.Length));
                }
                catch (Exception exception)
                {
                    return Drop(spans.Length, DropReason.ExportError, "the OTLP exporter failed: " + exception.GetType().Name + ": " + exception.Message);
                }

                var seen = _observer?.End();
                if (seen is { Answered: true })
                {
                    _answeredBefore = true;
                }

                if (result == ExportResult.Success)
                {
                    Statistics.AddExported(spans.Length);
                    return BatchOutcome.Delivered;
                }

                if (cancellation.IsCancellationRequested)
                {
                    return Drop(spans.Length, DropReason.AtShutdown, ShutdownOutOfTime);
                }

                var failure = seen is null
                    ? default(OtlpFailure?)
                    : OtlpFailure.Classify(seen, _target, _timeout, _answeredBefore);
                if (failure is { } known)
                {
                    if (known.ConfigurationError is { } line)
                    {
                        Diagnostics.ConfigurationError(known.ConfigurationKind!, line);
                    }

                    if (known.TooLarge)
                    {
                        return SendInHalves(spans, known.Reason, half => Send(half, cancellation));
                    }

                    if (!known.Retryable)
                    {
                        return Drop(spans.Length, DropReason.Rejected, known.Reason);
                    }
                }

                var reason = failure?.Reason ?? "the OTLP exporter reported a failure (its own HttpClientFactory is set, so the cause is in the OpenTelemetry-Exporter-OpenTelemetryProtocol EventSource)";
                var delay = _retry.DelayBefore(attempt + 1, failure is null ? null : seen!.RetryAfter);
                if (delay is null)
                {
                    return Drop(spans.Length, DropReason.RetriesExhausted, reason + $" (gave up after {attempt} attempt{(attempt == 1 ? "" : "s")})");
                }

                Statistics.AddRetry();
                Diagnostics.Retrying(attempt, delay.Value, reason);
                if (cancellation.WaitHandle.WaitOne(delay.Value))
                {
                    return Drop(spans.Length, DropReason.AtShutdown, reason + " (" + ShutdownOutOfTime + " before the retry)");
                }
            }
        }

        private static HttpMessageHandler CreateHandler()
        {
#if NET8_0_OR_GREATER
            return new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
#else
            return new HttpClientHandler { AllowAutoRedirect = false };
#endif
        }
    }
}
