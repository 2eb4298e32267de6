using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading;
using Mirascope.Ops.Diagnostics;

namespace Mirascope.Ops.Export.Cloud
{
    /// <summary>
    /// The bounded queue, and the one background thread, that function registrations and annotations wait in: the
    /// app's call only adds an item (or, when the queue is full, drops it and the caller counts it), so a slow or
    /// dead receiver never slows or fails the call. Items run one at a time, in order.
    /// </summary>
    internal sealed class CloudRequestQueue : IDisposable
    {
        public const int DefaultCapacity = 1024;

        private readonly BlockingCollection<(Action<CancellationToken> Run, Action Skipped)> _items;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly Thread _worker;
        private long _pending;
        private long _skippedAtShutdown;

        public CloudRequestQueue(int capacity = DefaultCapacity)
        {
            _items = new BlockingCollection<(Action<CancellationToken>, Action)>(new ConcurrentQueue<(Action<CancellationToken>, Action)>(), capacity);
            _worker = new Thread(Run) { IsBackground = true, Name = "Mirascope.Ops cloud requests" };
            _worker.Start();
        }

        /// <summary>Adds an item without waiting; false when the queue is full or shut down.</summary>
        /// <param name="item">The request.</param>
        /// <param name="skipped">Called instead when shutdown ran out of time before the item's turn (to count it).</param>
        public bool TryAdd(Action<CancellationToken> item, Action skipped)
        {
            try
            {
                Interlocked.Increment(ref _pending);
                if (_items.TryAdd((item, skipped))) return true;
                Interlocked.Decrement(ref _pending);
                return false;
            }
            catch (InvalidOperationException)
            {
                Interlocked.Decrement(ref _pending);
                return false;   // adding completed: shutting down
            }
        }

        /// <summary>Items still queued when shutdown ran out of time: never sent, counted here.</summary>
        public long SkippedAtShutdown => Interlocked.Read(ref _skippedAtShutdown);

        /// <summary>Waits until every item added so far has run, up to <paramref name="timeout"/>; true when they had.</summary>
        public bool WaitIdle(TimeSpan timeout)
        {
            var watch = Stopwatch.StartNew();
            while (Interlocked.Read(ref _pending) > 0)
            {
                if (timeout != Timeout.InfiniteTimeSpan && watch.Elapsed >= timeout) return false;
                Thread.Sleep(5);
            }

            return true;
        }

        /// <summary>Lets the queued items finish within <paramref name="timeout"/>, then cancels what still runs; true when all finished.</summary>
        public bool Shutdown(TimeSpan timeout)
        {
            _items.CompleteAdding();
            var finished = _worker.Join(timeout);
            if (!finished)
            {
                _stop.Cancel();
                _worker.Join(TimeSpan.FromSeconds(1));
            }

            return finished;
        }

        private void Run()
        {
            foreach (var item in _items.GetConsumingEnumerable())
            {
                try
                {
                    // Out of time at shutdown: what is still queued is not sent, and counted.
                    if (_stop.IsCancellationRequested)
                    {
                        Interlocked.Increment(ref _skippedAtShutdown);
                        item.Skipped();
                        continue;
                    }

                    item.Run(_stop.Token);
                }
                catch (Exception exception)
                {
                    OpsEventSource.Log.TracingFailed("a Mirascope Cloud request", exception);
                }
                finally
                {
                    Interlocked.Decrement(ref _pending);
                }
            }
        }

        public void Dispose()
        {
            Shutdown(TimeSpan.Zero);
            if (!_worker.IsAlive)
            {
                // Only once the worker is gone: disposing what it still reads would fail on its thread.
                _items.Dispose();
                _stop.Dispose();
            }
        }
    }
}
