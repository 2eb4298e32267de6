using System;
using System.Diagnostics;
using System.Threading;
using Mirascope.Ops.Annotations;

namespace Mirascope.Ops.Export.Cloud
{
    /// <summary>
    /// Sends annotations made from code (<see cref="AnnotationSenders"/>, the runtime hook this registers with) to the
    /// receiver's <c>POST /annotations</c>, off the caller's path. The receiver answers 404 until it has the span, so
    /// each annotation first flushes the span export (the span, if it ended, goes out first) and then retries a 404 —
    /// and a transient failure — a few times with growing delays (a span still open gets there when it ends).
    /// </summary>
    internal sealed class AnnotationSender
    {
        /// <summary>Waits before the 2nd, 3rd… attempt: about 15 s in all.</summary>
        internal static readonly TimeSpan[] DefaultRetryDelays =
        {
            TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8),
        };

        private readonly CloudApiClient _api;
        private readonly CloudRequestQueue _queue;
        private readonly CloudRequestCounts _counts;
        private readonly CloudRequestDiagnostics _diagnostics;
        private readonly Func<Activity, bool>? _accepts;
        private readonly Func<TimeSpan, bool> _flushSpans;
        private readonly TimeSpan _flushTimeout;
        private readonly TimeSpan[] _retryDelays;

        /// <param name="api">The receiver.</param>
        /// <param name="queue">Where annotations wait.</param>
        /// <param name="counts">Sent and failed counts.</param>
        /// <param name="diagnostics">Failure reports.</param>
        /// <param name="accepts">The export's span filter: an annotation of a span it does not take is not for it.</param>
        /// <param name="flushSpans">Flushes the span export to the same receiver.</param>
        /// <param name="flushTimeout">The longest a flush may take.</param>
        /// <param name="retryDelays">Waits between attempts.</param>
        public AnnotationSender(CloudApiClient api, CloudRequestQueue queue, CloudRequestCounts counts, CloudRequestDiagnostics diagnostics, Func<Activity, bool>? accepts, Func<TimeSpan, bool> flushSpans, TimeSpan flushTimeout, TimeSpan[]? retryDelays = null)
        {
            _api = api;
            _queue = queue;
            _counts = counts;
            _diagnostics = diagnostics;
            _accepts = accepts;
            _flushSpans = flushSpans;
            _flushTimeout = flushTimeout;
            _retryDelays = retryDelays ?? DefaultRetryDelays;
        }

        /// <summary>
        /// The runtime hook: queues the annotation and returns true (accepted for sending); false when it is of a span
        /// this export does not take, or the request queue is full (then it is counted as failed, queue full). Whether it
        /// was delivered shows in <c>OpsExport.Statistics</c> (<c>Annotations</c>) once it was sent.
        /// </summary>
        public bool Take(Annotation annotation)
        {
            if (annotation.Activity is { } span && _accepts is { } accepts && !accepts(span))
            {
                return false;
            }

            if (!_queue.TryAdd(cancellation => Deliver(annotation, cancellation), _counts.Annotations.AddAtShutdown))
            {
                _counts.Annotations.AddQueueFull();
                _diagnostics.Failed(CloudRequestDiagnostics.Annotation, $"the request queue is full; the annotation of span {annotation.SpanId} was dropped");
                return false;   // not accepted for sending
            }

            _counts.Annotations.AddAccepted();
            return true;
        }

        private void Deliver(Annotation annotation, CancellationToken cancellation)
        {
            _flushSpans(_flushTimeout);
            var body = CreateAnnotationBody.Write(annotation);
            for (var attempt = 0; ; attempt++)
            {
                var answer = _api.Post("annotations", body, cancellation);
                if (answer.IsSuccess)
                {
                    _counts.Annotations.AddDelivered();
                    return;
                }

                var retryable = answer.Status == 404 || answer.IsTransient;
                if (!retryable || attempt >= _retryDelays.Length || cancellation.WaitHandle.WaitOne(_retryDelays[attempt]))
                {
                    if (cancellation.IsCancellationRequested)
                    {
                        _counts.Annotations.AddAtShutdown();
                    }
                    else if (answer.IsTransient)
                    {
                        _counts.Annotations.AddRetriesExhausted();
                    }
                    else
                    {
                        _counts.Annotations.AddRejected();
                    }

                    var why = answer.Status == 404 ? " (the receiver never had the span, or not the tags)" : CloudRequestDiagnostics.Hint(answer.Status);
                    _diagnostics.Failed(CloudRequestDiagnostics.Annotation, $"span {annotation.SpanId} of trace {annotation.TraceId}: {answer.Reason}{why}; {attempt + 1} attempts");
                    return;
                }
            }
        }
    }
}
