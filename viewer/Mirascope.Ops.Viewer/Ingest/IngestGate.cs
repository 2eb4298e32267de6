using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mirascope.Ops.Viewer.Ingest
{
    /// <summary>
    /// Bounds ingest, so neither memory nor waiting grows with the load: at most <see cref="ViewerOptions.IngestConcurrency"/>
    /// requests are read, parsed and stored at once, at most <see cref="ViewerOptions.IngestQueue"/> more wait for a turn,
    /// and none waits longer than <see cref="MaxWait"/>. A request that does not fit is refused at once (the endpoint answers
    /// 429 with <c>Retry-After</c>, which OTLP/HTTP senders and our exporter retry), never queued without bound. A waiting
    /// request has not been read yet: its body stays in the connection, so waiting costs no memory beyond Kestrel's buffer.
    /// When the viewer stops, nothing more is admitted (503 with <c>Retry-After</c>) and stopping waits for the requests
    /// already admitted, so a batch being stored is committed and acknowledged rather than cut off; it waits at most
    /// <see cref="ViewerApp.ShutdownTimeout"/> from the stop, as the server does for the other requests. A request still
    /// storing then (one waiting for another process's lock) was never acknowledged: its transaction is rolled back when
    /// the process ends, and its sender retries.
    /// </summary>
    internal sealed class IngestGate : IHostedService, IDisposable
    {
        /// <summary>The longest a request waits for a turn before it is refused (a sender's own timeout is 10 s or more).</summary>
        public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(2);


        /// <summary>What the refusal's <c>Retry-After</c> asks for, in seconds.</summary>
        public const int RetryAfterSeconds = 1;

        private readonly SemaphoreSlim _turns;
        private readonly int _capacity;   // running + waiting
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private readonly IHostApplicationLifetime _lifetime;
        private readonly ILogger<IngestGate> _logger;
        private CancellationTokenRegistration _onStopping;
        private long _stoppedAt;   // Stopwatch timestamp; 0 while running
        private int _admitted;
        private int _running;
        private long _refused;

        public IngestGate(ViewerOptions options, IHostApplicationLifetime lifetime, ILogger<IngestGate> logger)
        {
            _turns = new SemaphoreSlim(options.IngestConcurrency, options.IngestConcurrency);
            _capacity = options.IngestConcurrency + options.IngestQueue;
            _lifetime = lifetime;
            _logger = logger;
        }

        /// <summary>How the gate answered a request.</summary>
        public enum Outcome
        {
            /// <summary>The request has its turn; dispose the <see cref="Turn"/> when it is answered.</summary>
            Admitted,

            /// <summary>Every turn and every waiting place is taken, or the wait ran out: answer 429.</summary>
            Busy,

            /// <summary>The viewer is stopping: answer 503.</summary>
            Stopping,

            /// <summary>The sender went away while waiting: nothing to answer.</summary>
            Gone,
        }

        /// <summary>Requests refused as busy since the start (for the tests and the log).</summary>
        public long Refused => Interlocked.Read(ref _refused);

        /// <summary>Requests being read, parsed or stored now.</summary>
        public int Running => Volatile.Read(ref _running);

        /// <summary>Waits for a turn, at most <see cref="MaxWait"/>.</summary>
        public async Task<Turn> EnterAsync(CancellationToken aborted)
        {
            if (_stopping.IsCancellationRequested)
            {
                return new Turn(this, Outcome.Stopping);
            }

            if (Interlocked.Increment(ref _admitted) > _capacity)
            {
                Interlocked.Decrement(ref _admitted);
                Interlocked.Increment(ref _refused);
                return new Turn(this, Outcome.Busy);
            }

            bool entered;
            try
            {
                using var both = CancellationTokenSource.CreateLinkedTokenSource(aborted, _stopping.Token);
                entered = await _turns.WaitAsync(MaxWait, both.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Decrement(ref _admitted);
                return new Turn(this, aborted.IsCancellationRequested ? Outcome.Gone : Outcome.Stopping);
            }

            if (!entered)
            {
                Interlocked.Decrement(ref _admitted);
                Interlocked.Increment(ref _refused);
                return new Turn(this, Outcome.Busy);
            }

            Interlocked.Increment(ref _running);
            return new Turn(this, Outcome.Admitted);
        }

        public Task StartAsync(CancellationToken cancellationToken)
        {
            // ApplicationStopping fires before the server and the hosted services stop: from then on nothing new is admitted.
            _onStopping = _lifetime.ApplicationStopping.Register(Stop);
            return Task.CompletedTask;
        }

        /// <summary>Waits for the admitted requests to be answered, until <see cref="ViewerApp.ShutdownTimeout"/> after the stop began.</summary>
        public async Task StopAsync(CancellationToken cancellationToken)
        {
            Stop();
            var stoppedAt = Interlocked.Read(ref _stoppedAt);
            while (Running > 0 && Stopwatch.GetElapsedTime(stoppedAt) < ViewerApp.ShutdownTimeout)
            {
                await Task.Delay(20, CancellationToken.None).ConfigureAwait(false);
            }

            if (Running > 0)
            {
                _logger.LogWarning("{Count} ingest requests were still being stored {Limit} after the stop began; they were not acknowledged, so their senders retry them.", Running, ViewerApp.ShutdownTimeout);
            }
        }

        public void Dispose()
        {
            _onStopping.Dispose();
            _stopping.Dispose();
            _turns.Dispose();
        }

        private void Stop()
        {
            Interlocked.CompareExchange(ref _stoppedAt, Stopwatch.GetTimestamp(), 0);
            _stopping.Cancel();
        }

        private void Leave()
        {
            Interlocked.Decrement(ref _running);
            Interlocked.Decrement(ref _admitted);
            _turns.Release();
        }

        /// <summary>A request's place at the gate; disposing an admitted one gives the turn to the next request.</summary>
        internal readonly struct Turn : IDisposable
        {
            private readonly IngestGate _gate;

            public Turn(IngestGate gate, Outcome outcome)
            {
                _gate = gate;
                Outcome = outcome;
            }

            public Outcome Outcome { get; }

            public void Dispose()
            {
                if (Outcome == Outcome.Admitted)
                {
                    _gate.Leave();
                }
            }
        }
    }
}
