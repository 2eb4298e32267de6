using System;
using System.Diagnostics.Tracing;

namespace Mirascope.Ops.Diagnostics
{
    /// <summary>
    /// Self-diagnostics of Mirascope.Ops. Telemetry reports its own trouble here, never by throwing into the app.
    /// Listen with <c>dotnet-trace</c> or an <see cref="EventListener"/> on the source named <c>Mirascope-Ops</c>.
    /// </summary>
    [EventSource(Name = "Mirascope-Ops")]
    internal sealed class OpsEventSource : EventSource
    {
        public static readonly OpsEventSource Log = new OpsEventSource();

        [NonEvent]
        public void TracingFailed(string operation, Exception exception)
        {
            if (IsEnabled(EventLevel.Warning, EventKeywords.All))
            {
                TracingFailed(operation, exception.GetType().FullName ?? "Exception", exception.Message);
            }
        }

        [Event(1, Level = EventLevel.Warning, Message = "Tracing step '{0}' failed and was skipped: {1}: {2}")]
        public void TracingFailed(string operation, string exceptionType, string message)
        {
            WriteEvent(1, operation, exceptionType, message);
        }

        [Event(2, Level = EventLevel.Verbose, Message = "A value of type '{0}' could not be serialized; its ToString() was recorded: {1}")]
        public void ValueNotSerializable(string type, string reason)
        {
            if (IsEnabled())
            {
                WriteEvent(2, type, reason);
            }
        }

        // Sessions, explicit spans and context propagation: ids 200-299.

        [Event(200, Level = EventLevel.Informational, Message = "Nothing listens to Mirascope.Ops: explicit span '{0}' (and later ones) are no-ops. Configure tracing or AddSource(\"Mirascope.Ops\").")]
        public void SpanIsNoop(string name)
        {
            if (IsEnabled())
            {
                WriteEvent(200, name);
            }
        }

        [Event(204, Level = EventLevel.Warning, Message = "An annotation was dropped: {0}")]
        public void AnnotationDropped(string reason)
        {
            if (IsEnabled())
            {
                WriteEvent(204, reason);
            }
        }

        [Event(201, Level = EventLevel.Verbose, Message = "Attributes of type '{0}' have no names (pass an anonymous object or a dictionary); they were ignored.")]
        public void AttributesIgnored(string type)
        {
            if (IsEnabled())
            {
                WriteEvent(201, type);
            }
        }

        [Event(202, Level = EventLevel.Verbose, Message = "The incoming '{0}' header was malformed and ignored: {1}")]
        public void PropagationHeaderIgnored(string header, string reason)
        {
            if (IsEnabled())
            {
                WriteEvent(202, header, reason);
            }
        }

        [Event(203, Level = EventLevel.Error, Message = "Invalid propagator configuration: {0}")]
        public void PropagatorConfigurationInvalid(string message)
        {
            if (IsEnabled())
            {
                WriteEvent(203, message);
            }
        }

        // Export and configuration (ids 100-199). Messages never contain an API key: ExportDiagnostics redacts them.

        [Event(100, Level = EventLevel.Warning, Message = "Export to {0} failed; {1} spans were dropped: {2} ({3} similar failures since the last report)")]
        public void ExportFailed(string destination, long droppedSpans, string reason, long suppressed)
        {
            if (IsEnabled())
            {
                WriteEvent(100, destination, droppedSpans, reason, suppressed);
            }
        }

        [Event(101, Level = EventLevel.Warning, Message = "The export queue of {0} (capacity {1}) is full; {2} spans were dropped since the last report")]
        public void QueueFull(string destination, int capacity, long droppedSpans)
        {
            if (IsEnabled())
            {
                WriteEvent(101, destination, capacity, droppedSpans);
            }
        }

        [Event(102, Level = EventLevel.Warning, Message = "{0} rejected {1} spans: {2}")]
        public void SpansRejected(string destination, long rejectedSpans, string message)
        {
            if (IsEnabled())
            {
                WriteEvent(102, destination, rejectedSpans, message);
            }
        }

        [Event(103, Level = EventLevel.Verbose, Message = "Export to {0} failed on attempt {1} and is retried in {2} ms: {3}")]
        public void ExportRetrying(string destination, int attempt, long delayMilliseconds, string reason)
        {
            if (IsEnabled(EventLevel.Verbose, EventKeywords.All))
            {
                WriteEvent(103, destination, attempt, delayMilliseconds, reason);
            }
        }

        [Event(104, Level = EventLevel.Informational, Message = "Mirascope.Ops configured; exporters: {0}")]
        public void Configured(string exporters)
        {
            if (IsEnabled())
            {
                WriteEvent(104, exporters);
            }
        }

        [Event(105, Level = EventLevel.Warning, Message = "Flushing {0} did not finish within {1} ms; {2} spans were dropped")]
        public void FlushIncomplete(string destination, long timeoutMilliseconds, long droppedSpans)
        {
            if (IsEnabled())
            {
                WriteEvent(105, destination, timeoutMilliseconds, droppedSpans);
            }
        }

        [Event(106, Level = EventLevel.Warning, Version = 1, Message = "Export to {0} stopped with {2} spans dropped and {1} exported: {3} because the queue was full, {4} rejected by the receiver, {5} after retries ran out, {6} at shutdown, {7} by export errors, {8} too large; {9} still pending")]
        public void ExportSummary(string destination, long exported, long dropped, long droppedQueueFull, long droppedRejected, long droppedRetriesExhausted, long droppedAtShutdown, long droppedExportError, long droppedTooLarge, long pending)
        {
            if (IsEnabled())
            {
                WriteEvent(106, destination, exported, dropped, droppedQueueFull, droppedRejected, droppedRetriesExhausted, droppedAtShutdown, droppedExportError, droppedTooLarge, pending);
            }
        }

        [Event(107, Level = EventLevel.Warning, Message = "{0} at {1} failed: {2}")]
        public void CloudRequestFailed(string what, string destination, string reason)
        {
            if (IsEnabled())
            {
                WriteEvent(107, what, destination, reason);
            }
        }
    }
}
