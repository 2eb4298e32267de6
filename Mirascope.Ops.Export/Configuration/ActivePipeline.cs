using System;
using System.Threading;
using Mirascope.Ops.Diagnostics;

namespace Mirascope.Ops.Configuration
{
    /// <summary>
    /// The one pipeline <c>OpsExport.Configure</c> installed. Replacing it builds the new one first and then shuts the old one
    /// down (flushing it within its shutdown timeout); the process-exit hook shuts down whatever is current, and a stop
    /// signal (SIGTERM, SIGINT, SIGQUIT, Ctrl+C: <see cref="ExitSignals"/>) flushes it.
    /// </summary>
    internal static class ActivePipeline
    {
        private static readonly object Gate = new object();
        private static OpsPipeline? _current;
        private static Action? _rebuild;
        private static int _exitHooked;
        private static int _sourcesHooked;

        public static OpsPipeline? Current => Volatile.Read(ref _current);

        /// <param name="next">The new pipeline.</param>
        /// <param name="rebuild">Builds it again from the same settings: a built provider cannot add sources, so
        /// <c>OpsLlm.Instrument</c> called after <c>Configure</c> rebuilds it with the gen_ai sources.</param>
        public static void Replace(OpsPipeline next, Action rebuild)
        {
            HookProcessExit();
            HookAdditionalSources();
            Volatile.Write(ref _rebuild, rebuild);
            OpsPipeline? previous;
            lock (Gate)
            {
                previous = _current;
                Volatile.Write(ref _current, next);
            }

            previous?.Shutdown(previous.ShutdownTimeout);
        }

        public static bool ForceFlush(TimeSpan? timeout)
        {
            var pipeline = Current;
            return pipeline is null || pipeline.ForceFlush(timeout ?? pipeline.ShutdownTimeout);
        }

        public static bool Shutdown(TimeSpan? timeout)
        {
            OpsPipeline? pipeline;
            lock (Gate)
            {
                pipeline = _current;
                Volatile.Write(ref _current, null);
            }

            return pipeline is null || pipeline.Shutdown(timeout ?? pipeline.ShutdownTimeout);
        }

        private static void HookAdditionalSources()
        {
            if (Interlocked.Exchange(ref _sourcesHooked, 1) != 0)
            {
                return;
            }

            Mirascope.Ops.Tracing.AdditionalSources.Added += () =>
            {
                if (Current is not null)
                {
                    Volatile.Read(ref _rebuild)?.Invoke();
                }
            };
        }

        private static void HookProcessExit()
        {
            if (Interlocked.Exchange(ref _exitHooked, 1) != 0)
            {
                return;
            }

            AppDomain.CurrentDomain.ProcessExit += (_, _) => ShutdownAtExit();
            ExitSignals.Hook(FlushAtSignal);
        }

        /// <summary>
        /// A stop signal arrived: send what is queued now, within the pipeline's ShutdownTimeout, and return. A flush,
        /// not a shutdown: the app may handle the signal and keep running (a Generic Host stops gracefully and its
        /// shutdown makes spans of its own; process exit then shuts the pipeline down).
        /// </summary>
        private static void FlushAtSignal(string signal)
        {
            try
            {
                var pipeline = Current;
                pipeline?.ForceFlush(pipeline.ShutdownTimeout);
                pipeline?.ReportLossesAtSignal();
            }
            catch (Exception exception)
            {
                OpsEventSource.Log.TracingFailed("flush on " + signal, exception);
            }
        }

        private static void ShutdownAtExit()
        {
            try
            {
                // Bounded by the pipeline's ShutdownTimeout: a dead backend must not keep the process alive.
                Shutdown(null);
            }
            catch (Exception exception)
            {
                OpsEventSource.Log.TracingFailed("shutdown at process exit", exception);
            }
        }
    }
}
