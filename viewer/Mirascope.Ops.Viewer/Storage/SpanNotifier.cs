using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Mirascope.Ops.Viewer.Storage.Postgres;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>
    /// Wakes the page's event streams when spans (or annotations, functions) are stored. On SQLite that is this process's
    /// writes; the streams' periodic check notices another process's. On PostgreSQL, where several viewers are one
    /// service, each write is also announced to the other instances and theirs are heard (LISTEN/NOTIFY,
    /// <see cref="PostgresChangeChannel"/>), so a page served by instance B sees spans ingested by instance A at once; the
    /// periodic check stays as the fallback for a notification lost with a connection.
    /// </summary>
    internal sealed class SpanNotifier : BackgroundService
    {
        /// <summary>How long the listener waits before it listens again after its connection failed.</summary>
        private static readonly TimeSpan RelistenDelay = TimeSpan.FromSeconds(1);

        private readonly PostgresChangeChannel? _channel;
        private readonly ILogger _logger;
        private TaskCompletionSource _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>0: no announcement wanted or running; 1: one running; 2: one running and another wanted after it.</summary>
        private int _publishing;

        public SpanNotifier(TraceStore store, ILogger<SpanNotifier>? logger = null)
        {
            _channel = store.Engine is PostgresEngine postgres ? new PostgresChangeChannel(postgres) : null;
            _logger = (ILogger?)logger ?? NullLogger.Instance;
        }

        /// <summary>Something was stored by this process: wakes this process's streams and (PostgreSQL) tells the other instances.</summary>
        public void Notify()
        {
            Wake();
            if (_channel is not null && Interlocked.Increment(ref _publishing) == 1)
            {
                // Announcements are coalesced: while one is on its way, any number of writes ask for one more after it.
                _ = Task.Run(PublishAsync);
            }
        }

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

        /// <summary>Listens for the other instances' writes (PostgreSQL) until the viewer stops.</summary>
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            if (_channel is null)
            {
                return;
            }

            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await _channel.ListenAsync(Wake, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception exception)
                {
                    _logger.LogWarning("Listening for other viewers' writes failed ({Reason}); listening again in {Seconds} s (pages notice them within seconds meanwhile).",
                        exception.Message, RelistenDelay.TotalSeconds);
                    try
                    {
                        await Task.Delay(RelistenDelay, stoppingToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            }
        }

        private void Wake() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

        private async Task PublishAsync()
        {
            do
            {
                Volatile.Write(ref _publishing, 1);
                try
                {
                    await _channel!.PublishAsync(CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    // The write itself committed; the other instances' pages notice it at their next periodic check.
                    _logger.LogDebug("Could not tell the other viewers about a write: {Reason}", exception.Message);
                }
            }
            while (Interlocked.CompareExchange(ref _publishing, 0, 1) != 1);
        }
    }
}
