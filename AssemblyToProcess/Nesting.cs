using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Mirascope.Ops;

namespace AssemblyToProcess
{
    public class Nesting
    {
        [Trace]
        public int Outer(int x) => Inner(x) + Inner(x + 1);

        [Trace]
        public int Inner(int x) => x * 2;

        [Trace]
        public async Task<int> OuterAsync(int x)
        {
            var a = await InnerAsync(x);
            return a + Inner(x);
        }

        [Trace]
        public async Task<int> InnerAsync(int x)
        {
            await Task.Delay(1);
            return x;
        }

        /// <summary>Returns to the caller long before its awaited work ends.</summary>
        [Trace]
        public async Task<string?> SlowAsync(TaskCompletionSource<bool> gate, Action<Activity?> inside)
        {
            inside(Activity.Current);
            await gate.Task;
            inside(Activity.Current);
            return Activity.Current?.DisplayName;
        }

        [Trace]
        public async Task<int> ParentAsync(int id)
        {
            await Task.Yield();
            return await ChildAsync(id);
        }

        [Trace]
        public async Task<int> ChildAsync(int id)
        {
            await Task.Delay(1);
            return id;
        }

        [Trace]
        public async Task<long> Timed(int milliseconds)
        {
            await Task.Delay(milliseconds);
            return milliseconds;
        }

        [Trace]
        public async ValueTask<int> ValueTaskOfT(int x)
        {
            await Task.Yield();
            return x + 1;
        }

        [Trace]
        public async ValueTask PlainValueTask()
        {
            await Task.Yield();
        }

        [Trace]
        public async Task PlainTask()
        {
            await Task.Yield();
        }

        [Trace]
        public async Task<int> CompletesSynchronously(int x) => x * 3;

        public static readonly ManualResetEventSlim AsyncVoidDone = new ManualResetEventSlim();

        [Trace]
        public async void FireAndForget(int x)
        {
            await Task.Yield();
            AsyncVoidDone.Set();
        }

        [Trace]
        public async Task<int> UnusedParameters(int used, string unused, Guid alsoUnused)
        {
            await Task.Yield();
            return used;
        }

        [Trace]
        public async Task<T> GenericAsync<T>(T value, int delay)
        {
            await Task.Delay(delay);
            return value;
        }
    }

    [Trace(Tags = ["class-level"])]
    public class Service
    {
        public int Add(int a, int b) => a + b;

        [Trace(Name = "custom")]
        public int Named() => 1;

        [NoTrace]
        public int Skipped() => 2;

        public int Property => 3;

        private int Hidden() => 4;

        public int CallHidden() => Hidden();
    }
}

namespace AssemblyToProcess
{
    /// <summary>Methods that return a task without being async: the span must cover the task, not the return.</summary>
    public class Delegating
    {
        [System.Diagnostics.CodeAnalysis.SuppressMessage("Style", "IDE0022", Justification = "the shape under test")]
        [Mirascope.Ops.Trace]
        public System.Threading.Tasks.Task<int> Forward(int x) => new Nesting().InnerAsync(x);

        [Mirascope.Ops.Trace]
        public System.Threading.Tasks.Task Plain(int milliseconds) => System.Threading.Tasks.Task.Delay(milliseconds);

        [Mirascope.Ops.Trace]
        public System.Threading.Tasks.Task<string> Cached() => System.Threading.Tasks.Task.FromResult("cached");

        [Mirascope.Ops.Trace]
        public System.Threading.Tasks.ValueTask<int> Value(int x) => new System.Threading.Tasks.ValueTask<int>(new Nesting().InnerAsync(x));

        [Mirascope.Ops.Trace]
        public System.Threading.Tasks.Task<int> Faulted() => System.Threading.Tasks.Task.FromException<int>(new System.InvalidOperationException("faulted task"));
    }
}
