using System;
using System.Diagnostics;
using System.Threading.Tasks;
using Mirascope.Ops;

namespace AssemblyToProcess
{
    /// <summary>
    /// Async shapes beyond Nesting's. AssemblyToProcess compiles them as state machines, AssemblyToProcess.RuntimeAsync
    /// as runtime-async methods (lambdas and local functions too); the tests hold both builds to the same contract.
    /// </summary>
    public class AsyncFunctions
    {
        /// <summary>Returns the task of an async lambda marked [Trace] without being async itself.</summary>
        [Trace]
        public Task<int> TracedLambda(int x)
        {
            Func<int, Task<int>> twice = [Trace] async (int y) =>
            {
                await Task.Yield();
                return y * 2;
            };
            return twice(x);
        }

        [Trace]
        public async Task<int> TracedLocalFunction(int x)
        {
            return await Twice(x) + 1;

            [Trace]
            async Task<int> Twice(int y)
            {
                await Task.Yield();
                return y * 2;
            }
        }

        /// <summary>The result is itself a task: it is the output, and the span does not wait for it.</summary>
        [Trace]
        public async Task<Task<int>> NestedTask(TaskCompletionSource<int> inner)
        {
            await Task.Yield();
            return inner.Task;
        }

        [Trace]
        public async ValueTask<int> ValueTaskThrows(int x)
        {
            await Task.Yield();
            Errors.LastThrown = new InvalidOperationException("value task " + x);
            throw Errors.LastThrown;
        }

        [Trace]
        public async ValueTask ValueTaskCancelled(System.Threading.CancellationToken token) => await Task.Delay(5000, token);

        [Version]
        public async Task<int> VersionedAsync(int x)
        {
            await Task.Yield();
            return x + Helper(x);
        }

        private static int Helper(int x) => x * 10;

        /// <summary>
        /// Not traced: an async caller that awaits a traced method directly (runtime-async code calls runtime-async code
        /// without a task in between). Reports what it sees after the await: its own current activity, and whether the
        /// callee's span had ended by then.
        /// </summary>
        public async Task<string> AwaitsTraced(TaskCompletionSource<bool> gate, Func<bool> calleeSpanEnded)
        {
            var before = Activity.Current;
            await new Nesting().SlowAsync(gate, _ => { });
            return (ReferenceEquals(before, Activity.Current) ? "caller's activity" : "leaked: " + Activity.Current?.DisplayName)
                + (calleeSpanEnded() ? ", callee ended" : ", callee still open");
        }

        /// <summary>Not traced: starts a traced call, looks at its own current activity while the call is suspended, then awaits it.</summary>
        public async Task<string> StartsTracedThenAwaits(TaskCompletionSource<bool> gate, Action started)
        {
            var before = Activity.Current;
            var pending = new Nesting().SlowAsync(gate, _ => { });
            var during = Activity.Current;
            started();
            await pending;
            return (ReferenceEquals(before, during) ? "caller's activity" : "leaked: " + during?.DisplayName)
                + (ReferenceEquals(before, Activity.Current) ? ", caller's activity" : ", leaked: " + Activity.Current?.DisplayName);
        }
    }

    /// <summary>Class-level [Trace]: its public async methods are traced implicitly.</summary>
    [Trace]
    public class AsyncService
    {
        public async Task<int> AddAsync(int a, int b)
        {
            await Task.Yield();
            return a + b;
        }

        public async Task IdleAsync() => await Task.Yield();
    }
}
