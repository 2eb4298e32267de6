using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Mirascope.Ops.Diagnostics;

namespace Mirascope.Ops.Tracing
{
    /// <summary>
    /// Ends the span of a method that returns a task without being <c>async</c> (<c>Task&lt;T&gt; M() => other.GetAsync()</c>)
    /// when that task completes, recording its result or failure, instead of when the method returns it.
    /// A task that is already complete is finished right here, in the caller's context, so the caller's current
    /// activity is restored as for any synchronous call.
    /// </summary>
    internal static class AwaitableCompletion
    {
        public static void WhenDone(Task task, Activity activity)
        {
            if (task.IsCompleted)
            {
                Finish(activity, task);
                return;
            }

            task.ContinueWith(
                static (completed, state) => Finish((Activity)state!, completed),
                activity,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        public static void WhenDone<T>(Task<T> task, Activity activity, bool recordOutput)
        {
            if (task.IsCompleted)
            {
                Finish(activity, task, recordOutput ? task : null);
                return;
            }

            // Two continuations rather than a state object: the activity alone is the state, nothing is allocated for the flag.
            task.ContinueWith(
                recordOutput ? static (completed, state) => Finish((Activity)state!, completed, completed) : static (completed, state) => Finish<T>((Activity)state!, completed, null),
                activity,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        private static void Finish(Activity activity, Task completed) => Finish<object?>(activity, completed, null);

        /// <summary>Records the failure, or the result when <paramref name="withResult"/> is given, and ends the span.</summary>
        private static void Finish<T>(Activity activity, Task completed, Task<T>? withResult)
        {
            try
            {
                if (activity.IsAllDataRequested)
                {
                    if (completed.IsFaulted)
                    {
                        var exception = completed.Exception!;
                        ErrorRecorder.Record(activity, exception.InnerExceptions.Count == 1 ? exception.InnerExceptions[0] : exception);
                    }
                    else if (completed.IsCanceled)
                    {
                        ErrorRecorder.Record(activity, new TaskCanceledException(completed));
                    }
                    else if (withResult is not null)
                    {
                        OutputRecorder.Record(activity, withResult.Result);
                    }
                }

                SkippedValues.OnStop(activity);
                activity.Stop();
            }
            catch (Exception ex)
            {
                OpsEventSource.Log.TracingFailed("end span of a returned task", ex);
            }
        }
    }
}
