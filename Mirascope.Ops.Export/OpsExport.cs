using System;
using Mirascope.Ops.Configuration;
using Mirascope.Ops.Diagnostics;
using Mirascope.Ops.Export;

namespace Mirascope.Ops
{
    /// <summary>
    /// Export of traced calls (package Mirascope.Ops.Export): to Mirascope Cloud's ingest contract, an OTLP backend or
    /// the console. An app that already builds an OpenTelemetry tracer provider uses <c>AddMirascopeOps()</c> instead.
    /// </summary>
    public static class OpsExport
    {
        /// <summary>
        /// Starts exporting traced calls, configured from the environment: <c>MIRASCOPE_API_KEY</c> sends to Mirascope
        /// Cloud, <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> to an OTLP backend, and with neither each finished trace is
        /// printed to the console as a tree. Calling it again replaces the previous setup (which is flushed first).
        /// </summary>
        /// <exception cref="ArgumentException">A setting is invalid; the message says which and why.</exception>
        public static void Configure() => Configure(null, EnvironmentVariables.Process);

        /// <summary>
        /// Starts exporting traced calls, configured from the environment and then by <paramref name="configure"/>.
        /// Calling it again replaces the previous setup (which is flushed first).
        /// </summary>
        /// <param name="configure">Sets options; what it sets wins over the environment.</param>
        /// <exception cref="ArgumentException">A setting is invalid; the message says which and why.</exception>
        public static void Configure(Action<OpsOptions> configure)
        {
            if (configure is null) throw new ArgumentNullException(nameof(configure));
            Configure(configure, EnvironmentVariables.Process);
        }

        /// <summary>
        /// What the exporters Mirascope.Ops built (Mirascope Cloud ingest, OTLP, console) did with their spans since the process
        /// started: exported, dropped by reason, pending, per destination and in total. An immutable snapshot; each read
        /// takes a new one. Never throws.
        /// </summary>
        public static OpsExportStatistics Statistics => ExportStatisticsRegistry.Snapshot();

        /// <summary>
        /// Sends every span finished so far, waiting at most <paramref name="timeout"/> (default: the configured
        /// <see cref="OpsOptions.ShutdownTimeout"/>). Never throws.
        /// </summary>
        /// <param name="timeout">The longest to wait.</param>
        /// <returns>
        /// True when every span that finished before the call was sent within <paramref name="timeout"/> and no span
        /// was dropped (for any reason, by the exporters Mirascope.Ops built) since the previous <see cref="ForceFlush"/> or
        /// <see cref="Shutdown"/> returned, or since <see cref="Configure()"/> for the first call; false otherwise.
        /// Also true when nothing is configured. See <see cref="Statistics"/> for what was dropped and why.
        /// </returns>
        public static bool ForceFlush(TimeSpan? timeout = null)
        {
            try
            {
                return ActivePipeline.ForceFlush(timeout);
            }
            catch (Exception exception)
            {
                OpsEventSource.Log.TracingFailed("flush", exception);
                return false;
            }
        }

        /// <summary>
        /// Flushes and stops exporting, waiting at most <paramref name="timeout"/> (default: the configured
        /// <see cref="OpsOptions.ShutdownTimeout"/>). Traced calls keep working, unexported. Never throws.
        /// <see cref="Configure()"/> may be called again afterwards. This also happens at process exit; SIGTERM, SIGINT and
        /// SIGQUIT flush (docs/configuration.md, "Stop signals and process exit").
        /// </summary>
        /// <param name="timeout">The longest to wait.</param>
        /// <returns>
        /// True when every span was sent within <paramref name="timeout"/> and no span was dropped since the previous
        /// <see cref="ForceFlush"/> returned (or since <see cref="Configure()"/>); false otherwise. Also true when
        /// nothing was configured.
        /// </returns>
        public static bool Shutdown(TimeSpan? timeout = null)
        {
            try
            {
                return ActivePipeline.Shutdown(timeout);
            }
            catch (Exception exception)
            {
                OpsEventSource.Log.TracingFailed("shutdown", exception);
                return false;
            }
        }

        /// <summary>The configuration entry with the environment made replaceable, for tests.</summary>
        internal static OpsPipeline Configure(Action<OpsOptions>? configure, Func<string, string?> environment)
        {
            var options = OpsPipeline.ResolveOptions(configure, environment);
            var pipeline = OpsPipeline.Build(options, environment, () => Console.IsOutputRedirected);
            ActivePipeline.Replace(pipeline, () => Configure(configure, environment));
            return pipeline;
        }
    }
}
