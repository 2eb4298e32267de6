using System;
using System.Threading;
using System.Threading.Tasks;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>
    /// Wakes the page's event streams when this process stores spans. Spans written by another process sharing the
    /// database are noticed by the streams' periodic check instead.
    /// </summary>
    internal sealed class SpanNotifier
    {
        private TaskCompletionSource _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Notify() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

        /// <summary>Completes when spans are stored, after <paramref name="timeout"/>, or when cancelled (without throwing).</summary>
        public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellation)
        {
            var next = Volatile.Read(ref _next).Task;
            try
            {
                await next.WaitAsync(timeout, cancellation).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
