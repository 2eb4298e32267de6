using System;
using System.Diagnostics;

namespace Mirascope.Ops.Tracing
{
    /// <summary>
    /// Marks a span as failed the way OpenTelemetry expects: status Error with the message as description,
    /// an <c>exception</c> event and <c>error.type</c>.
    /// </summary>
    internal static class ErrorRecorder
    {
        public static void Record(Activity activity, object thrown)
        {
            if (thrown is not Exception exception)
            {
                activity.SetStatus(ActivityStatusCode.Error, thrown.ToString());
                return;
            }

            var type = exception.GetType().FullName ?? exception.GetType().Name;
            activity.SetStatus(ActivityStatusCode.Error, exception.Message);
            activity.SetTag(SpanAttributes.ErrorType, type);
            var tags = new ActivityTagsCollection
            {
                { SpanAttributes.ExceptionType, type },
                { SpanAttributes.ExceptionMessage, exception.Message },
                { SpanAttributes.ExceptionStacktrace, exception.ToString() },
            };
            activity.AddEvent(new ActivityEvent(SpanAttributes.ExceptionEvent, default, tags));
        }
    }
}
