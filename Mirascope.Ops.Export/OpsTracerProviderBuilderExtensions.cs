using System;
using System.Collections.Generic;
using System.Linq;
using Mirascope.Ops.Configuration;
using Mirascope.Ops.Tracing;
using OpenTelemetry.Trace;

namespace Mirascope.Ops
{
    /// <summary>Adds Mirascope.Ops to an OpenTelemetry tracer provider the app builds itself.</summary>
    public static class OpsTracerProviderBuilderExtensions
    {
        /// <summary>
        /// Subscribes the provider to the <c>Mirascope.Ops</c> source, so traced calls become spans of the app's own
        /// provider (exported by its exporters, nested under its ASP.NET Core and HttpClient spans), and to the gen_ai
        /// sources of the LLM libraries that <c>OpsLlm.Instrument()</c> turns on (<see cref="OpsTelemetryNames.LlmActivitySources"/>:
        /// a source nothing emits costs nothing). Use this instead of <see cref="OpsExport.Configure()"/>, not with it,
        /// or spans are exported twice. The metrics: <c>AddMirascopeOps()</c> on the meter provider.
        /// </summary>
        /// <param name="builder">The app's tracer provider builder.</param>
        /// <returns>The builder.</returns>
        public static TracerProviderBuilder AddMirascopeOps(this TracerProviderBuilder builder)
        {
            if (builder is null) throw new ArgumentNullException(nameof(builder));
            return AddSources(builder);
        }

        /// <summary>
        /// Subscribes the provider to the <c>Mirascope.Ops</c> source and adds the exporters <paramref name="configure"/>
        /// asks for (after the environment): Mirascope Cloud when an API key is set, OTLP when <c>UseOtlp</c> is
        /// called, the console tree when <c>UseConsole</c> is called. No console tree by default here: the app's
        /// provider has its own exporters. The provider's owner flushes and disposes them.
        /// </summary>
        /// <param name="builder">The app's tracer provider builder.</param>
        /// <param name="configure">Sets options.</param>
        /// <returns>The builder.</returns>
        /// <exception cref="ArgumentException">A setting is invalid.</exception>
        public static TracerProviderBuilder AddMirascopeOps(this TracerProviderBuilder builder, Action<OpsOptions> configure)
        {
            if (builder is null) throw new ArgumentNullException(nameof(builder));
            if (configure is null) throw new ArgumentNullException(nameof(configure));
            var options = OpsPipeline.ResolveOptions(configure, EnvironmentVariables.Process);
            options.ApplyRecording();
            AddSources(builder);
            OpsPipeline.AddExporters(builder, options, EnvironmentVariables.Process, () => Console.IsOutputRedirected, defaultToConsole: false, new List<string>());
            return builder;
        }

        private static TracerProviderBuilder AddSources(TracerProviderBuilder builder) =>
            builder.AddSource(OpsActivitySource.Name).AddSource(LlmTelemetryNames.ActivitySources.ToArray());
    }
}
