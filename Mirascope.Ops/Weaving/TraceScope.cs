using System;
using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Mirascope.Ops.Diagnostics;
using Mirascope.Ops.Tracing;

namespace Mirascope.Ops.Weaving
{
    /// <summary>
    /// The span of one traced call, held in a local (or a state machine field) of the woven method.
    /// Infrastructure for code the Mirascope.Ops weaver emits; public only because woven IL in another assembly must
    /// reach it. Not for direct use. Every member swallows its own failures: tracing never throws into the app.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public struct TraceScope
    {
        private Activity? _activity;
        private ArgumentRecorder? _arguments;
        private TracedMethod? _method;

        internal TraceScope(Activity activity, TracedMethod method)
        {
            _activity = activity;
            _method = method;
            _arguments = null;
        }

        /// <summary>Whether arguments and output should be recorded (the span is sampled with all data).</summary>
        public readonly bool IsRecording
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => _activity is not null && _activity.IsAllDataRequested;
        }

        internal readonly Activity? Activity => _activity;

        /// <summary>Records the next argument.</summary>
        /// <typeparam name="T">The parameter type.</typeparam>
        /// <param name="value">The argument value.</param>
        public void Arg<T>(T value)
        {
            try
            {
                Arguments()?.Add(value);
            }
            catch (Exception ex)
            {
                OpsEventSource.Log.TracingFailed("record argument", ex);
            }
        }

        /// <summary>Records the next argument as <c>"[redacted]"</c> (a <c>[NoTrace]</c> parameter).</summary>
        public void ArgRedacted() => Arguments()?.AddText("[redacted]");

        /// <summary>Records the next argument as a readable placeholder (a value that cannot leave the stack).</summary>
        /// <param name="placeholder">The text to record.</param>
        public void ArgPlaceholder(string placeholder) => Arguments()?.AddText(placeholder);

        /// <summary>Sets <c>mirascope.trace.arg_values</c> from the recorded arguments.</summary>
        public void CommitArgs()
        {
            var arguments = _arguments;
            if (arguments is null || _activity is null)
            {
                return;
            }

            _arguments = null;
            try
            {
                _activity.SetTag(SpanAttributes.ArgValues, arguments.Finish());
            }
            catch (Exception ex)
            {
                OpsEventSource.Log.TracingFailed("record arguments", ex);
            }
        }

        /// <summary>Ends the span of a call that returned nothing.</summary>
        /// <param name="scope">The scope.</param>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Complete(ref TraceScope scope)
        {
            var activity = scope._activity;
            if (activity is not null)
            {
                scope._activity = null;
                Stop(activity);
            }
        }

        /// <summary>Records the result and ends the span.</summary>
        /// <typeparam name="T">The result type.</typeparam>
        /// <param name="result">The result.</param>
        /// <param name="scope">The scope.</param>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Complete<T>(T result, ref TraceScope scope)
        {
            var activity = scope._activity;
            if (activity is not null)
            {
                scope._activity = null;
                CompleteListened(activity, result);
            }
        }

        /// <summary>Records the failure and ends the span (async methods, before <c>SetException</c>).</summary>
        /// <param name="exception">The exception.</param>
        /// <param name="scope">The scope.</param>
        public static void Fail(Exception exception, ref TraceScope scope)
        {
            var activity = scope._activity;
            if (activity is not null)
            {
                scope._activity = null;
                RecordError(activity, exception);
                Stop(activity);
            }
        }

        /// <summary>
        /// Exception filter of a woven synchronous method: records the failure while the exception passes by and
        /// returns 0, so the exception is never caught and propagates untouched. <see cref="End"/> then ends the span.
        /// </summary>
        /// <param name="thrown">The thrown object.</param>
        /// <param name="scope">The scope.</param>
        /// <returns>Always 0 (do not handle).</returns>
        public static int Observe(object thrown, ref TraceScope scope)
        {
            var activity = scope._activity;
            if (activity is not null)
            {
                RecordError(activity, thrown);
            }

            return 0;
        }

        /// <summary>Ends the span while an exception unwinds the woven method (its fault block).</summary>
        /// <param name="scope">The scope.</param>
        public static void End(ref TraceScope scope) => Complete(ref scope);

        private ArgumentRecorder? Arguments()
        {
            if (_arguments is null && _activity is not null && _method is not null)
            {
                _arguments = ArgumentRecorder.Rent(_method.ArgumentNames);
            }

            return _arguments;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void CompleteListened<T>(Activity activity, T result)
        {
            try
            {
                if (activity.IsAllDataRequested)
                {
                    OutputRecorder.Record(activity, result);
                }
            }
            catch (Exception ex)
            {
                OpsEventSource.Log.TracingFailed("record output", ex);
            }

            Stop(activity);
        }

        private static void RecordError(Activity activity, object thrown)
        {
            try
            {
                if (activity.IsAllDataRequested)
                {
                    ErrorRecorder.Record(activity, thrown);
                }
            }
            catch (Exception ex)
            {
                OpsEventSource.Log.TracingFailed("record error", ex);
            }
        }

        private static void Stop(Activity activity)
        {
            try
            {
                activity.Stop();
            }
            catch (Exception ex)
            {
                OpsEventSource.Log.TracingFailed("end span", ex);
            }
        }
    }
}
