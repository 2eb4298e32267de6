using System;
using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
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
        // Every woven call zeroes this struct, listened or not: keep it small.
        private Activity? _activity;

        // Taken at the start of a span that records its arguments; given back when they are committed.
        private ArgumentRecorder? _arguments;

        // What was current before the span started: a method returning an unfinished task gives it back at return.
        private Activity? _previous;

        // Iterators only: the span opens at the first MoveNext, counts the items and outlives each call.
        private int _count;
        private bool _started;
        private bool _failed;

        // Past the method's per-trace recording limit: the span records no arguments or output.
        private bool _valuesSkipped;

        internal TraceScope(Activity activity, Activity? previous)
        {
            _activity = activity;
            _arguments = null;
            _previous = previous;
            _count = 0;
            _started = true;
            _failed = false;
            _valuesSkipped = false;
        }

        /// <summary>Whether the span just started and wants its arguments (iterators record them at the first MoveNext only).</summary>
        public readonly bool NeedsArguments
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => _arguments is not null;
        }

        /// <summary>Records the next argument.</summary>
        /// <typeparam name="T">The parameter type.</typeparam>
        /// <param name="value">The argument value.</param>
        public void Arg<T>(T value)
        {
            try
            {
                _arguments?.Add(value);
            }
            catch (Exception ex)
            {
                OpsEventSource.Log.TracingFailed("record argument", ex);
            }
        }

        /// <summary>Records the next argument as its <c>ToString()</c> (a <c>[RecordToString]</c> parameter: opted-in code).</summary>
        /// <typeparam name="T">The parameter type.</typeparam>
        /// <param name="value">The argument value.</param>
        public void ArgFormatted<T>(T value)
        {
            try
            {
                _arguments?.AddFormatted(value);
            }
            catch (Exception ex)
            {
                OpsEventSource.Log.TracingFailed("record argument", ex);
            }
        }

        /// <summary>Records the next argument as <c>"[redacted]"</c> (a <c>[NoTrace]</c> parameter).</summary>
        public void ArgRedacted() => _arguments?.AddText("[redacted]");

        /// <summary>Records the next argument as a readable placeholder (a value that cannot leave the stack).</summary>
        /// <param name="placeholder">The text to record.</param>
        public void ArgPlaceholder(string placeholder) => _arguments?.AddText(placeholder);

        /// <summary>Records the next argument, a <c>ReadOnlySpan&lt;char&gt;</c>, as its text (up to the recording cap).</summary>
        /// <param name="text">The characters.</param>
        public void ArgText(ReadOnlySpan<char> text)
        {
            try
            {
                var limit = RecordingLimits.MaxAttributeLength;
                _arguments?.AddText(text.Length > limit ? text.Slice(0, limit).ToString() : text.ToString());
            }
            catch (Exception ex)
            {
                OpsEventSource.Log.TracingFailed("record argument", ex);
            }
        }

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
                var started = arguments.StartedAt;
                var json = arguments.Finish();
                _activity.SetTag(SpanAttributes.ArgValues, json);
                TraceRecordingBudgets.Charge(_activity, started, json.Length);
            }
            catch (Exception ex)
            {
                OpsEventSource.Log.TracingFailed("record arguments", ex);
            }
        }

        internal void ExpectArguments(RecordedNames names) => _arguments = ArgumentRecorder.Rent(names);

        internal void SkipValues() => _valuesSkipped = true;

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
                CompleteListened(activity, result, !scope._valuesSkipped);
            }
        }

        /// <summary>
        /// A method that returns a task without being <c>async</c>: the span ends when the task completes, with its
        /// result or failure; the caller's current activity comes back now.
        /// </summary>
        /// <param name="task">The returned task.</param>
        /// <param name="scope">The scope.</param>
        /// <returns>The same task.</returns>
        public static Task CompleteWhenDone(Task task, ref TraceScope scope)
        {
            var activity = Hand(task, ref scope);
            if (activity is not null)
            {
                AwaitableCompletion.WhenDone(task, activity);
            }

            return task;
        }

        /// <summary>See <see cref="CompleteWhenDone(Task, ref TraceScope)"/>.</summary>
        /// <typeparam name="T">The result type.</typeparam>
        /// <param name="task">The returned task.</param>
        /// <param name="scope">The scope.</param>
        /// <returns>The same task.</returns>
        public static Task<T> CompleteWhenDone<T>(Task<T> task, ref TraceScope scope)
        {
            var recordOutput = !scope._valuesSkipped;
            var activity = Hand(task, ref scope);
            if (activity is not null)
            {
                AwaitableCompletion.WhenDone(task, activity, recordOutput);
            }

            return task;
        }

        /// <summary>See <see cref="CompleteWhenDone(Task, ref TraceScope)"/>.</summary>
        /// <param name="task">The returned value task.</param>
        /// <param name="scope">The scope.</param>
        /// <returns>An equivalent value task (backed by a Task when it had not completed yet).</returns>
        public static ValueTask CompleteWhenDone(ValueTask task, ref TraceScope scope)
        {
            if (scope._activity is null || task.IsCompletedSuccessfully)
            {
                Complete(ref scope);
                return task;
            }

            return new ValueTask(CompleteWhenDone(task.AsTask(), ref scope));
        }

        /// <summary>See <see cref="CompleteWhenDone(Task, ref TraceScope)"/>.</summary>
        /// <typeparam name="T">The result type.</typeparam>
        /// <param name="task">The returned value task.</param>
        /// <param name="scope">The scope.</param>
        /// <returns>An equivalent value task (backed by a Task when it had not completed yet).</returns>
        public static ValueTask<T> CompleteWhenDone<T>(ValueTask<T> task, ref TraceScope scope)
        {
            if (scope._activity is null)
            {
                return task;
            }

            if (task.IsCompletedSuccessfully)
            {
                Complete(task.Result, ref scope);
                return task;
            }

            return new ValueTask<T>(CompleteWhenDone(task.AsTask(), ref scope));
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
                scope._failed = true;
                RecordError(activity, thrown);
            }

            return 0;
        }

        /// <summary>Ends the span while an exception unwinds the woven method (its fault block).</summary>
        /// <param name="scope">The scope.</param>
        public static void End(ref TraceScope scope) => Complete(ref scope);

        /// <summary>
        /// Entry of a woven iterator's MoveNext: starts the span on the first call, makes it current while the body
        /// runs, and returns what was current before, which <see cref="SuspendIteration"/> puts back (a synchronous
        /// iterator has no ExecutionContext guard to do it).
        /// </summary>
        /// <param name="scope">The scope field of the state machine.</param>
        /// <param name="method">The descriptor.</param>
        /// <returns>The caller's current activity.</returns>
        public static Activity? ResumeIteration(ref TraceScope scope, TracedMethod method)
        {
            var previous = Activity.Current;
            StartOnce(ref scope, method);
            var activity = scope._activity;
            if (activity is not null)
            {
                SetCurrent(activity);
            }

            return previous;
        }

        /// <summary>
        /// Exit of a woven iterator's MoveNext: counts the item, or ends the span with the item count when the
        /// enumeration is over; then restores the caller's current activity.
        /// </summary>
        /// <param name="hasCurrent">What MoveNext returned.</param>
        /// <param name="previous">What <see cref="ResumeIteration"/> returned.</param>
        /// <param name="scope">The scope field of the state machine.</param>
        public static void SuspendIteration(bool hasCurrent, Activity? previous, ref TraceScope scope)
        {
            Step(hasCurrent, ref scope);
            SetCurrent(previous);
        }

        /// <summary>A woven iterator's MoveNext threw: ends the span (the filter recorded the error) and restores the caller's current activity.</summary>
        /// <param name="previous">What <see cref="ResumeIteration"/> returned.</param>
        /// <param name="scope">The scope field of the state machine.</param>
        public static void AbortIteration(Activity? previous, ref TraceScope scope)
        {
            EndIteration(ref scope);
            SetCurrent(previous);
        }

        /// <summary>The enumerator is disposed (early <c>break</c>, or after the end): ends the span if it is still open.</summary>
        /// <param name="scope">The scope field of the state machine.</param>
        public static void DisposeIteration(ref TraceScope scope)
        {
            var current = Activity.Current;
            EndIteration(ref scope);
            SetCurrent(current);
        }

        /// <summary>
        /// Entry of a woven async iterator's MoveNext (every resumption): starts the span on the first call and makes
        /// it current; the builder restores the caller's context after each step.
        /// </summary>
        /// <param name="scope">The scope field of the state machine.</param>
        /// <param name="method">The descriptor.</param>
        public static void ResumeAsyncIteration(ref TraceScope scope, TracedMethod method)
        {
            StartOnce(ref scope, method);
            var activity = scope._activity;
            if (activity is not null && !ReferenceEquals(Activity.Current, activity))
            {
                SetCurrent(activity);
            }
        }

        /// <summary>
        /// A woven async iterator signals its promise: <c>true</c> (an item) is counted, <c>false</c> (the end, also
        /// after an early DisposeAsync) ends the span with the item count.
        /// </summary>
        /// <param name="hasCurrent">The value given to the promise.</param>
        /// <param name="scope">The scope field of the state machine.</param>
        public static void StepAsyncIteration(bool hasCurrent, ref TraceScope scope) => Step(hasCurrent, ref scope);

        private static void StartOnce(ref TraceScope scope, TracedMethod method)
        {
            if (scope._started)
            {
                return;
            }

            method.Start(ref scope);
            scope._started = true;
        }

        private static void Step(bool hasCurrent, ref TraceScope scope)
        {
            if (scope._activity is null)
            {
                return;
            }

            if (hasCurrent)
            {
                scope._count++;
                return;
            }

            EndIteration(ref scope);
        }

        private static void EndIteration(ref TraceScope scope)
        {
            var activity = scope._activity;
            if (activity is null)
            {
                return;
            }

            scope._activity = null;
            if (scope._failed)
            {
                Stop(activity);
            }
            else
            {
                CompleteListened(activity, scope._count, !scope._valuesSkipped);
            }
        }

        private static void SetCurrent(Activity? activity)
        {
            try
            {
                Activity.Current = activity;
            }
            catch (Exception ex)
            {
                OpsEventSource.Log.TracingFailed("restore current activity", ex);
            }
        }

        /// <summary>
        /// Takes the span out of the scope for the task's continuation to end. A method that returned an unfinished task
        /// gives the caller its current activity back now; a null task ends the span at once.
        /// </summary>
        private static Activity? Hand(Task? task, ref TraceScope scope)
        {
            var activity = scope._activity;
            if (activity is null)
            {
                return null;
            }

            scope._activity = null;
            if (task is null)
            {
                Stop(activity);
                return null;
            }

            if (!task.IsCompleted && ReferenceEquals(Activity.Current, activity))
            {
                SetCurrent(scope._previous);
            }

            return activity;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void CompleteListened<T>(Activity activity, T result, bool recordOutput)
        {
            try
            {
                if (recordOutput && activity.IsAllDataRequested)
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
                // Also on a span past its method's per-trace recording limit: errors are always recorded.
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
                SkippedValues.OnStop(activity);
                activity.Stop();
            }
            catch (Exception ex)
            {
                OpsEventSource.Log.TracingFailed("end span", ex);
            }
        }
    }
}
