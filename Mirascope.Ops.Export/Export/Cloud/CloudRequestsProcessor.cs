using System;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Mirascope.Ops.Annotations;
using OpenTelemetry;

namespace Mirascope.Ops.Export.Cloud
{
    /// <summary>
    /// The Cloud receiver's requests besides span ingest, beside its span export in the same tracer provider: as a
    /// span ends, the registration of its <c>[Version]</c> function (<see cref="FunctionRegistrar"/>); while it runs,
    /// the annotations made from code (<see cref="AnnotationSender"/>, registered with the runtime). Added after the
    /// span export, so at shutdown the spans go out first and the annotations waiting for them after.
    /// </summary>
    internal sealed class CloudRequestsProcessor : BaseProcessor<Activity>
    {
        private readonly CloudApiClient _api;
        private readonly CloudRequestQueue _queue;
        private readonly FunctionRegistrar _registrar;
        private readonly AnnotationSenders.Sender _sender;
        private readonly Func<Activity, bool>? _accepts;
        private int _shutdown;

        /// <param name="baseUrl">The receiver's base URL.</param>
        /// <param name="apiKey">Its API key.</param>
        /// <param name="requestTimeout">The longest one request may take.</param>
        /// <param name="destination">The receiver's display name (no secret).</param>
        /// <param name="logger">The app's logger, if any.</param>
        /// <param name="accepts">The export's span filter (null: every span).</param>
        /// <param name="flushSpans">Flushes the span export to the same receiver.</param>
        /// <param name="annotationRetryDelays">Waits between annotation attempts (tests shorten them).</param>
        /// <param name="stderr">The stderr lines of this destination, or null when they are off.</param>
        public CloudRequestsProcessor(Uri baseUrl, string apiKey, TimeSpan requestTimeout, string destination, ILogger? logger, Func<Activity, bool>? accepts, Func<TimeSpan, bool> flushSpans, TimeSpan[]? annotationRetryDelays = null, StderrDropWarning? stderr = null)
        {
            Destination = destination;
            _api = new CloudApiClient(baseUrl, apiKey, requestTimeout);
            _queue = new CloudRequestQueue();
            _accepts = accepts;
            var diagnostics = new CloudRequestDiagnostics(destination, logger, apiKey, stderr);
            ExportStatisticsRegistry.Register(destination, Counts);
            _registrar = new FunctionRegistrar(_api, _queue, Counts, diagnostics);
            _sender = new AnnotationSender(_api, _queue, Counts, diagnostics, accepts, flushSpans, requestTimeout, annotationRetryDelays).Take;
            AnnotationSenders.Register(_sender);
        }

        public CloudRequestCounts Counts { get; } = new CloudRequestCounts();

        /// <summary>The receiver's display name, as its span export's (no secret).</summary>
        public string Destination { get; }

        public override void OnEnd(Activity data)
        {
            if (!data.Recorded || (_accepts is { } accepts && !accepts(data)))
            {
                return;
            }

            try
            {
                _registrar.Offer(data);
            }
            catch (Exception exception)
            {
                Mirascope.Ops.Diagnostics.OpsEventSource.Log.TracingFailed("queue a function registration", exception);
            }
        }

        /// <summary>Waits for the registrations and annotations queued so far (so <c>OpsExport.ForceFlush</c> before exit sends them).</summary>
        protected override bool OnForceFlush(int timeoutMilliseconds) =>
            _queue.WaitIdle(timeoutMilliseconds == System.Threading.Timeout.Infinite ? System.Threading.Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(timeoutMilliseconds));

        protected override bool OnShutdown(int timeoutMilliseconds)
        {
            if (System.Threading.Interlocked.Exchange(ref _shutdown, 1) != 0)
            {
                return true;
            }

            AnnotationSenders.Unregister(_sender);
            var timeout = timeoutMilliseconds == System.Threading.Timeout.Infinite ? System.Threading.Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(timeoutMilliseconds);
            var finished = _queue.Shutdown(timeout);
            _api.Dispose();
            return finished;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                OnShutdown(0);
                _queue.Dispose();
                ExportStatisticsRegistry.Retire(Destination, Counts);
            }

            base.Dispose(disposing);
        }
    }
}
