using System;
using System.Collections.Generic;
using System.Linq;
using Mirascope.Ops.Configuration;
using Mirascope.Ops.Profiles;
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
        /// <remarks>
        /// Reads <c>MIRASCOPE_BACKEND_PROFILES</c> (<c>langfuse</c>, <c>openinference</c>, <c>genai</c>, comma-separated):
        /// when it names profiles, their keys are added to the provider's spans as with
        /// <see cref="AddMirascopeOps(TracerProviderBuilder, BackendProfiles)"/> (so call this before the exporters).
        /// </remarks>
        /// <exception cref="ArgumentException"><c>MIRASCOPE_BACKEND_PROFILES</c> names an unknown profile.</exception>
        public static TracerProviderBuilder AddMirascopeOps(this TracerProviderBuilder builder)
        {
            if (builder is null) throw new ArgumentNullException(nameof(builder));
            AddSources(builder);
            return AddProfiles(builder, BackendProfileNames.FromEnvironment(EnvironmentVariables.Process));
        }

        /// <summary>
        /// As <see cref="AddMirascopeOps(TracerProviderBuilder)"/>, and adds to every span of the provider, beside
        /// Mirascope's own keys, the keys <paramref name="profiles"/> read: the session and user (<c>session.id</c>,
        /// <c>user.id</c>) on every span started inside <c>MirascopeOps.Session</c>/<c>MirascopeOps.User</c>, the LLM
        /// libraries' own included, and each backend's input, output, type, tags and metadata keys (docs/llm.md,
        /// "Backend profiles"). Call it before adding the provider's exporters: the SDK runs processors in the order
        /// they were added, and an exporter takes the span in its own turn. <c>MIRASCOPE_BACKEND_PROFILES</c> is not
        /// read: this value wins.
        /// </summary>
        /// <example><code>t.AddMirascopeOps(BackendProfiles.Langfuse | BackendProfiles.OpenInference).AddOtlpExporter()</code></example>
        /// <param name="builder">The app's tracer provider builder.</param>
        /// <param name="profiles">The backends; <see cref="BackendProfiles.None"/> adds nothing but the sources.</param>
        /// <returns>The builder.</returns>
        /// <exception cref="ArgumentException"><paramref name="profiles"/> holds a value no profile has.</exception>
        public static TracerProviderBuilder AddMirascopeOps(this TracerProviderBuilder builder, BackendProfiles profiles)
        {
            if (builder is null) throw new ArgumentNullException(nameof(builder));
            if (BackendProfileNames.CheckDefined(profiles, nameof(profiles)) is { } problem)
            {
                throw new ArgumentException(problem, nameof(profiles));
            }

            AddSources(builder);
            return AddProfiles(builder, profiles);
        }

        /// <summary>
        /// Subscribes the provider to the <c>Mirascope.Ops</c> source and adds the exporters <paramref name="configure"/>
        /// asks for (after the environment): Mirascope Cloud when an API key is set, OTLP when <c>UseOtlp</c> is
        /// called, the console tree when <c>UseConsole</c> is called. No console tree by default here: the app's
        /// provider has its own exporters. The provider's owner flushes and disposes them. The backend profiles of
        /// <see cref="OpsOptions.BackendProfiles"/> (else <c>MIRASCOPE_BACKEND_PROFILES</c>) apply to every span of the
        /// provider, as with <see cref="AddMirascopeOps(TracerProviderBuilder, BackendProfiles)"/>.
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

        /// <summary>The profile processor, when there is a profile: without one the provider gets nothing more.</summary>
        private static TracerProviderBuilder AddProfiles(TracerProviderBuilder builder, BackendProfiles profiles) =>
            profiles == BackendProfiles.None ? builder : builder.AddProcessor(new BackendProfileProcessor(profiles));

        private static TracerProviderBuilder AddSources(TracerProviderBuilder builder) =>
            builder.AddSource(OpsActivitySource.Name).AddSource(LlmTelemetryNames.ActivitySources.ToArray());
    }
}
