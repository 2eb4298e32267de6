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
    }
}
