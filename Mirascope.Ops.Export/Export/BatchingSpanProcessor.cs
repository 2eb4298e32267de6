using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using OpenTelemetry;
using OpenTelemetry.Resources;

namespace Mirascope.Ops.Export
{
    /// <summary>
    /// Queues finished spans (bounded: when full, new spans are dropped and counted) and hands them in batches to
    /// one <see cref="SpanBatchExporter"/> on a background thread, so a traced call never waits for the network.
    /// Batches go out when <see cref="BatchSettings.MaxExportBatchSize"/> spans are waiting, every
    /// <see cref="BatchSettings.ScheduledDelay"/>, on flush and on shutdown. Every span it is given ends up exported or
    /// counted as dropped with its <see cref="DropReason"/>; <see cref="OnForceFlush"/> and <see cref="OnShutdown"/>
    /// return false when any was dropped since the previous one returned.
    /// </summary>
    /// <remarks>
    /// Why not OpenTelemetry's <c>BatchActivityExportProcessor</c>, which the OTLP exporter does use: ours must
    /// (1) count every span it drops by reason — the SDK's processor counts only queue-full drops, in a private field,
    /// and knows nothing of a receiver's partialSuccess rejections or of retries given up; (2) answer ForceFlush and
    /// Shutdown with "was everything delivered", where the SDK's answer is "did the exporter return in time";
    /// (3) send a finished trace at once for the console tree (<c>exportPromptly</c>), which the SDK's schedule cannot;
    /// (4) run its exports on a thread that does not inherit the configuring code's ExecutionContext. Those are what
    /// issue 17 asked of the export; the SDK's processor would lose (1) and (2) silently.
    /// </remarks>
    /// <remarks>
    /// It derives from <see cref="BaseExportProcessor{T}"/> for one thing only: the SDK then hands the tracer provider to
    /// an SDK exporter inside (<see cref="SpanBatchExporter.SdkExporter"/>, the OTLP one), which reads its resource from
    /// it and has no public way to be given it otherwise. The base's export path is not used.
    /// </remarks>
    internal sealed class BatchingSpanProcessor : BaseExportProcessor<Activity>
    {
        private static readonly TimeSpan AbortGrace = TimeSpan.FromSeconds(1);

        private readonly SpanBatchExporter _exporter;
        private readonly BatchSettings _settings;
        private readonly Func<Activity, bool>? _exportPromptly;
        private readonly ConcurrentQueue<Activity> _queue = new ConcurrentQueue<Activity>();
        private readonly AutoResetEvent _wake = new AutoResetEvent(false);
        private readonly object _settledLock = new object();
        private readonly CancellationTokenSource _abort = new CancellationTokenSource();
        private readonly Thread _worker;
        private int _count;
        private long _accepted;
        private long _settled;
        private long _flushTarget;
        private long _abandonedUnsent;
        private volatile bool _stopping;
        private volatile bool _stopped;
        private Resource? _resource;

        /// <param name="exporter">Where batches go; owned (disposed) by this processor.</param>
        /// <param name="settings">Queue and batch sizes.</param>
        /// <param name="exportPromptly">Spans whose end should send the queue at once (the console's finished traces).</param>
        public BatchingSpanProcessor(SpanBatchExporter exporter, BatchSettings settings, Func<Activity, bool>? exportPromptly = null)
            : base(exporter.SdkExporter ?? new NoSdkExporter())
        {
            _exporter = exporter;
            _settings = settings;
            _exportPromptly = exportPromptly;
            ExportStatisticsRegistry.Register(exporter.Statistics);
            _worker = new Thread(Run) { IsBackground = true, Name = "Mirascope.Ops export: " + exporter.Diagnostics.Destination };
            // The export thread must not inherit the configuring code's Activity.Current or other ambient state.
            using (ExecutionContext.SuppressFlow())
            {
                _worker.Start();
            }
        }

        public SpanBatchExporter Exporter => _exporter;

        public ExportStatistics Statistics => _exporter.Statistics;

        protected override void OnExport(Activity data)
        {
            if (!data.Recorded || (_settings.Accepts is { } accepts && !accepts(data)))
            {
                return;
            }

            if (_stopped)
            {
                // Ended after the last drain of shutdown: nothing will send it, but it is counted.
                _exporter.Statistics.AddQueued();
                _exporter.Statistics.AddDropped(DropReason.AtShutdown, 1);
                return;
            }

            // While stopping, spans are still queued: the worker drains the queue before it ends.
            var count = Interlocked.Increment(ref _count);
            if (count > _settings.MaxQueueSize)
            {
                Interlocked.Decrement(ref _count);
                _exporter.Statistics.AddDropped(DropReason.QueueFull, 1);
                _exporter.Diagnostics.QueueFull(_settings.MaxQueueSize);
                return;
            }

            _queue.Enqueue(data);
            Interlocked.Increment(ref _accepted);
            _exporter.Statistics.AddQueued();
            _exporter.Statistics.ObserveQueueLength(count);
            if (count % _settings.MaxExportBatchSize == 0 || (_exportPromptly is not null && _exportPromptly(data)))
            {
                _wake.Set();
            }
        }

        /// <summary>
        /// Exports what is queued now and waits for it, like a flush, without taking the drop report a flush answers
        /// with (the app's next <c>ForceFlush</c> still says whether spans were lost): an annotation waits on this
        /// for its span to reach the receiver.
        /// </summary>
        internal bool ExportQueued(int timeoutMilliseconds)
        {
            var target = Interlocked.Read(ref _accepted);
            RaiseFlushTarget(target);
            _wake.Set();
            return WaitSettled(target, timeoutMilliseconds);
        }

        /// <summary>After a stop signal's flush: the stderr account of what was lost, if anything (the process may end now).</summary>
        internal void ReportLossesAtSignal() => _exporter.Diagnostics.SummaryAtSignal(_exporter.Statistics);

        protected override bool OnForceFlush(int timeoutMilliseconds)
        {
            var target = Interlocked.Read(ref _accepted);
            RaiseFlushTarget(target);
            _wake.Set();
            var settled = WaitSettled(target, timeoutMilliseconds);
            // Both always run: this call reports on (and so consumes) the drops since the previous flush or shutdown.
            var dropped = _exporter.Statistics.TakeDroppedSinceLastCheck();
            return settled && !dropped;
        }

        protected override bool OnShutdown(int timeoutMilliseconds)
        {
            _stopping = true;
            _wake.Set();
            var timeout = timeoutMilliseconds == Timeout.Infinite ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(timeoutMilliseconds);
            var finished = _worker.Join(timeout);
            var complete = finished;
            if (!finished)
            {
                // Out of time: abandon the batch in flight (its exporter counts and reports it) and whatever is still queued.
                _abort.Cancel();
                finished = _worker.Join(AbortGrace);
            }

            _stopped = true;
            // Spans that ended while the worker was finishing (none, unless shutdown ran out of time).
            var unsent = DropQueued() + Interlocked.Exchange(ref _abandonedUnsent, 0);
            if (!complete)
            {
                _exporter.Diagnostics.FlushIncomplete(timeout, unsent);
            }

            if (finished)
            {
                try
                {
                    _exporter.Finish(GetResource());
                }
                catch (Exception exception)
                {
                    _exporter.Diagnostics.Unexpected("finish export", exception);
                }
            }

            // Nothing counted stays unreported: the held-back rate-limited reports, then the final account.
            _exporter.Diagnostics.ReportHeld(force: true);
            if (_exporter.Statistics.Dropped > 0)
            {
                _exporter.Diagnostics.Summary(_exporter.Statistics);
            }

            var dropped = _exporter.Statistics.TakeDroppedSinceLastCheck();
            return complete && !dropped;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                if (!_stopping)
                {
                    Shutdown(5000);
                }

                _exporter.Dispose();
                ExportStatisticsRegistry.Retire(_exporter.Statistics);
                _abort.Dispose();
                _wake.Dispose();
            }

            base.Dispose(disposing);
        }

        private void Run()
        {
            Activity.Current = null;
            var batch = new List<Activity>(Math.Min(_settings.MaxExportBatchSize, 4096));
            while (true)
            {
                var urgent = _stopping
                    || Volatile.Read(ref _count) >= _settings.MaxExportBatchSize
                    || Interlocked.Read(ref _settled) < Interlocked.Read(ref _flushTarget);
                if (!urgent)
                {
                    _wake.WaitOne(_settings.ScheduledDelay);
                }

                ExportQueued(batch);
                _exporter.Diagnostics.ReportHeld(force: false);
                if (_stopping && _queue.IsEmpty)
                {
                    return;
                }
            }
        }

        private void ExportQueued(List<Activity> batch)
        {
            while (true)
            {
                batch.Clear();
                while (batch.Count < _settings.MaxExportBatchSize && _queue.TryDequeue(out var span))
                {
                    batch.Add(span);
                    Interlocked.Decrement(ref _count);
                }

                if (batch.Count == 0)
                {
                    return;
                }

                if (_abort.IsCancellationRequested)
                {
                    _exporter.Statistics.AddDropped(DropReason.AtShutdown, batch.Count);
                    Interlocked.Add(ref _abandonedUnsent, batch.Count);
                }
                else
                {
                    try
                    {
                        // Our own HTTP calls must not become spans in any OpenTelemetry provider of the app.
                        using (SuppressInstrumentationScope.Begin())
                        {
                            _exporter.Export(batch, GetResource(), _abort.Token);
                        }
                    }
                    catch (Exception exception)
                    {
                        // Exporters do not throw; if one does (a bug), its batch is still accounted for.
                        _exporter.Statistics.AddDropped(DropReason.ExportError, batch.Count);
                        _exporter.Diagnostics.ExportFailed(batch.Count, "the exporter failed: " + exception.GetType().Name + ": " + exception.Message);
                        _exporter.Diagnostics.Unexpected("export", exception);
                    }
                }

                Settle(batch.Count);
            }
        }

        private long DropQueued()
        {
            long dropped = 0;
            while (_queue.TryDequeue(out _))
            {
                Interlocked.Decrement(ref _count);
                dropped++;
            }

            if (dropped > 0)
            {
                _exporter.Statistics.AddDropped(DropReason.AtShutdown, dropped);
                Settle(dropped);
            }

            return dropped;
        }

        private void Settle(long count)
        {
            Interlocked.Add(ref _settled, count);
            lock (_settledLock)
            {
                Monitor.PulseAll(_settledLock);
            }
        }

        private void RaiseFlushTarget(long target)
        {
            var current = Interlocked.Read(ref _flushTarget);
            while (target > current)
            {
                var previous = Interlocked.CompareExchange(ref _flushTarget, target, current);
                if (previous == current)
                {
                    return;
                }

                current = previous;
            }
        }

        private bool WaitSettled(long target, int timeoutMilliseconds)
        {
            var clock = Stopwatch.StartNew();
            lock (_settledLock)
            {
                while (Interlocked.Read(ref _settled) < target)
                {
                    if (!_worker.IsAlive)
                    {
                        return false;
                    }

                    var remaining = timeoutMilliseconds == Timeout.Infinite ? 100 : timeoutMilliseconds - (int)clock.ElapsedMilliseconds;
                    if (remaining <= 0)
                    {
                        return false;
                    }

                    // Bounded waits so a worker that died (it should not) cannot hang the caller forever.
                    Monitor.Wait(_settledLock, Math.Min(remaining, 100));
                }
            }

            return true;
        }

        private Resource GetResource()
        {
            return _resource ??= ParentProvider?.GetResource() ?? Resource.Empty;
        }
    }
}
