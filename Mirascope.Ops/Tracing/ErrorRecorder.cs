using System;
using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace Mirascope.Ops.Tracing
{
    /// <summary>
    /// Marks a span as failed the way OpenTelemetry expects: status Error with the message as description,
    /// an <c>exception</c> event and <c>error.type</c>. Like argument recording it runs none of the program's code:
    /// an exception type of the program may compute its <c>Message</c> or override <c>ToString()</c>/<c>StackTrace</c>
    /// (calling traced methods, or failing), so the message is the BCL's (or the one the exception was constructed
    /// with) and the stack trace is rendered by <see cref="StackTrace"/> from what the runtime captured.
    /// </summary>
    internal static class ErrorRecorder
    {
        // System.Exception keeps the message it was constructed with here (.NET and .NET Framework alike).
        private static readonly FieldInfo? MessageField = typeof(Exception).GetField("_message", BindingFlags.NonPublic | BindingFlags.Instance);

        public static void Record(Activity activity, object thrown)
        {
            if (thrown is not Exception exception)
            {
                // A non-Exception object thrown from IL (other languages): named by its type, its ToString() not run.
                activity.SetStatus(ActivityStatusCode.Error, "<" + FriendlyTypeName.Of(thrown.GetType()) + ">");
                return;
            }

            var type = exception.GetType().FullName ?? exception.GetType().Name;
            var message = Message(exception);
            activity.SetStatus(ActivityStatusCode.Error, message);
            activity.SetTag(SpanAttributes.ErrorType, type);
            var tags = new ActivityTagsCollection
            {
                { SpanAttributes.ExceptionType, type },
                { SpanAttributes.ExceptionMessage, message },
                { SpanAttributes.ExceptionStacktrace, Describe(exception) },
            };
            activity.AddEvent(new ActivityEvent(SpanAttributes.ExceptionEvent, default, tags));
        }

        /// <summary>The exception's message: its <c>Message</c> when that is the BCL's code, else the one it was constructed with.</summary>
        internal static string Message(Exception exception)
        {
            var shape = ValueShape.Of(exception.GetType());
            if (shape.MessageIsFramework)
            {
                return exception.Message;
            }

            return MessageField?.GetValue(exception) as string ?? "Exception of type '" + exception.GetType().FullName + "' was thrown.";
        }

        /// <summary>What <c>Exception.ToString()</c> shows (type, message, inner exceptions, stack), built without the program's overrides.</summary>
        private static string Describe(Exception exception)
        {
            var text = new StringBuilder();
            for (var current = exception; current is not null; current = current.InnerException)
            {
                if (!ReferenceEquals(current, exception))
                {
                    text.Append(" ---> ");
                }

                text.Append(current.GetType().FullName).Append(": ").Append(Message(current));
                if (text.Length > RecordingLimits.MaxAttributeLength)
                {
                    break;
                }
            }

            for (var current = exception; current is not null; current = current.InnerException)
            {
                var stack = new StackTrace(current, fNeedFileInfo: true).ToString().TrimEnd();
                if (stack.Length > 0)
                {
                    text.AppendLine().Append(stack);
                }

                if (current.InnerException is not null)
                {
                    text.AppendLine().Append("   --- End of inner exception stack trace ---");
                }

                if (text.Length > RecordingLimits.MaxAttributeLength)
                {
                    break;
                }
            }

            return RecordingLimits.Cap(text.ToString());
        }
    }
}
