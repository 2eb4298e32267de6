using System;
using System.Collections.Generic;
using System.Diagnostics;
using Mirascope.Ops.Diagnostics;
using Mirascope.Ops.Export;
using Mirascope.Ops.Export.Cloud;
using Mirascope.Ops.Export.Otlp;
using Mirascope.Ops.Propagation;
using Mirascope.Ops.Tracing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Mirascope.Ops.Configuration
{
    /// <summary>
    /// One configured setup: a tracer provider subscribed to the <c>Mirascope.Ops</c> source with the exporters the
    /// options ask for. <c>OpsExport.Configure</c> owns one at a time; <c>AddMirascopeOps(configure)</c> adds the same
    /// exporters to the app's own provider.
    /// </summary>
    internal sealed class OpsPipeline : IDisposable
    {
        private readonly TracerProvider _provider;
        private readonly List<BatchingSpanProcessor> _processors;
        private int _shutdown;

        private OpsPipeline(TracerProvider provider, List<BatchingSpanProcessor> processors, IReadOnlyList<CloudRequestsProcessor> cloudRequests, IReadOnlyList<string> exporters, TimeSpan shutdownTimeout)
        {
            CloudRequests = cloudRequests;
            _provider = provider;
            _processors = processors;
            Exporters = exporters;
            ShutdownTimeout = shutdownTimeout;
        }

        /// <summary>Human-readable names of the configured exporters (no secrets).</summary>
        public IReadOnlyList<string> Exporters { get; }

        /// <summary>The exporters' processors (Cloud, OTLP, console), each counting what it was given.</summary>
        public IReadOnlyList<BatchingSpanProcessor> Processors => _processors;

        /// <summary>The Cloud receiver's function registrations and annotations (one per Cloud export; none without an API key).</summary>
        public IReadOnlyList<CloudRequestsProcessor> CloudRequests { get; }

        public TimeSpan ShutdownTimeout { get; }

        public TracerProvider Provider => _provider;

        /// <summary>Reads the environment, applies <paramref name="configure"/>, validates, and builds. Throws <see cref="ArgumentException"/> on invalid options.</summary>
        public static OpsOptions ResolveOptions(Action<OpsOptions>? configure, Func<string, string?> environment)
        {
            var options = new OpsOptions();
            EnvironmentVariables.Apply(options, environment);
            configure?.Invoke(options);
            OptionsValidator.Validate(options, environment);
            if (options.Propagator is null && environment(PropagatorSettings.EnvironmentVariable) is { Length: > 0 } propagator)
            {
                // An unknown format is a configuration error here, not a surprise at the first injected header.
                options.Propagator = PropagatorSettings.Parse(propagator, PropagatorSettings.EnvironmentVariable);
            }

            return options;
        }

        public static OpsPipeline Build(OpsOptions options, Func<string, string?> environment, Func<bool> stdoutRedirected)
        {
            options.ApplyRecording();
            var configuration = SdkConfiguration(environment);
            var builder = Sdk.CreateTracerProviderBuilder()
                .ConfigureServices(services => services.AddSingleton(configuration))
                .AddSource(OpsActivitySource.Name)
                .ConfigureResource(resource => ConfigureResource(resource, options));
            if (AdditionalSources.Names.Count > 0)
            {
                // The gen_ai sources of the LLM libraries, once OpsLlm.Instrument turned them on.
                builder.AddSource(System.Linq.Enumerable.ToArray(AdditionalSources.Names));
            }

            if (options.Propagator is { } format)
            {
                PropagatorSettings.Use(format);
            }
            var exporters = new List<string>();
            var cloudRequests = new List<CloudRequestsProcessor>();
            var processors = AddExporters(builder, options, environment, stdoutRedirected, defaultToConsole: true, exporters, cloudRequests);
            var provider = builder.Build()!;
            OpsEventSource.Log.Configured(string.Join(", ", exporters));
            return new OpsPipeline(provider, processors, cloudRequests, exporters, options.ShutdownTimeout);
        }

        /// <summary>Adds the exporters <paramref name="options"/> ask for to <paramref name="builder"/>; returns Mirascope's own processors.</summary>
        public static List<BatchingSpanProcessor> AddExporters(
            TracerProviderBuilder builder,
            OpsOptions options,
            Func<string, string?> environment,
            Func<bool> stdoutRedirected,
            bool defaultToConsole,
            List<string> names,
            List<CloudRequestsProcessor>? cloudRequests = null)
        {
            if (options.BackendProfiles != BackendProfiles.None)
            {
                // Before the exporters: the SDK runs processors in the order added, and an exporter takes the span in its OnEnd.
                builder.AddProcessor(new Profiles.BackendProfileProcessor(options.BackendProfiles, options.SpanFilter));
            }

            var processors = new List<BatchingSpanProcessor>();
            CloudRequestsProcessor? functionsAndAnnotations = null;
            var batch = BatchSettings.From(options);
            if (options.ApiKey is not null)
            {
                var destination = "Mirascope Cloud (" + MirascopeCloudExporter.TracesUrl(options.BaseUrl) + ")";
                var diagnostics = Diagnostics(destination, options);
                var exporter = new MirascopeCloudExporter(options.BaseUrl, options.ApiKey, options.ExportTimeout, options.Retry, diagnostics);
                var spans = new BatchingSpanProcessor(exporter, batch);
                processors.Add(spans);
                names.Add(destination);

                // Function registration and annotations go to the same receiver, with the same key (docs/configuration.md).
                functionsAndAnnotations = new CloudRequestsProcessor(
                    options.BaseUrl, options.ApiKey, options.ExportTimeout, destination, options.Logger, options.SpanFilter,
                    timeout => spans.ExportQueued(Milliseconds(timeout)), options.AnnotationRetryDelays,
                    options.WarnOnStderr && options.Logger is null ? new StderrDropWarning(destination, options.StandardError) : null);
                cloudRequests?.Add(functionsAndAnnotations);
            }

            var index = 0;
            foreach (var request in options.OtlpExporters)
            {
                // The official exporter, driven and counted by our processor like the Cloud export (docs/configuration.md, OTLP).
                OtlpSpanExporter exporter;
                try
                {
                    exporter = OtlpSpanExporter.Create(request, options, environment, destination => Diagnostics(destination, options));
                }
                catch (Exception exception) when (exception is TypeLoadException || exception is MissingMethodException || exception is MissingFieldException)
                {
                    var target = OtlpTarget.Resolve(request, environment);
                    UncountedOtlpExport.Add(builder, request, target, options, "mirascope-ops-otlp-" + index++);
                    var reason = UncountedOtlpExport.Reason(target, exception);
                    OpsEventSource.Log.TracingFailed("build the counted OTLP export", exception);
                    if (options.WarnOnStderr && options.Logger is null)
                    {
                        new StderrDropWarning(target.Destination, options.StandardError).WarnAtExit(reason);
                    }

                    if (options.Logger is { } logger)
                    {
                        Microsoft.Extensions.Logging.LoggerExtensions.LogWarning(logger, "{Reason}", reason);
                    }
                    names.Add(target.Destination + " (not counted)");
                    continue;
                }

                processors.Add(new BatchingSpanProcessor(exporter, batch));
                names.Add(exporter.Target.Destination);
            }

            if (options.ConsoleRequested || (defaultToConsole && options.ApiKey is null && options.OtlpExporters.Count == 0))
            {
                var toStdout = options.ConsoleWriter is null;
                var writer = options.ConsoleWriter ?? Console.Out;
                var formatter = new TraceTreeFormatter(
                    ConsoleColour.Enabled(toStdout, toStdout && stdoutRedirected(), environment),
                    ConsoleColour.CanDrawUnicode(writer));
                var exporter = new ConsoleTraceTreeExporter(writer, formatter, Diagnostics("console", options));
                // The console is for people watching: print a trace as soon as its top span ends.
                processors.Add(new BatchingSpanProcessor(exporter, batch, ConsoleTraceTreeExporter.IsTreeTop));
                names.Add("console");
            }

            foreach (var processor in processors)
            {
                builder.AddProcessor(processor);
            }

            if (functionsAndAnnotations is not null)
            {
                // After the span exports: at shutdown the spans leave first, then the annotations that wait for them.
                builder.AddProcessor(functionsAndAnnotations);
            }

            return processors;
        }

        /// <summary>The diagnostics of one destination: redacting the key, with the stderr line unless a logger is set or it is off.</summary>
        private static ExportDiagnostics Diagnostics(string destination, OpsOptions options)
        {
            var stderr = options.WarnOnStderr && options.Logger is null ? new StderrDropWarning(destination, options.StandardError) : null;
            return new ExportDiagnostics(destination, options.Logger, options.ApiKey, stderr);
        }

        public bool ForceFlush(TimeSpan timeout) => _provider.ForceFlush(Milliseconds(timeout));

        /// <summary>After a stop signal's flush: each exporter's stderr account of what it lost, if anything.</summary>
        public void ReportLossesAtSignal()
        {
            foreach (var processor in _processors)
            {
                processor.ReportLossesAtSignal();
            }
        }

        public bool Shutdown(TimeSpan timeout)
        {
            if (System.Threading.Interlocked.Exchange(ref _shutdown, 1) != 0)
            {
                return true;
            }

            var done = _provider.Shutdown(Milliseconds(timeout));
            _provider.Dispose();
            return done;
        }

        public void Dispose() => Shutdown(ShutdownTimeout);

        private static int Milliseconds(TimeSpan timeout) =>
            timeout == System.Threading.Timeout.InfiniteTimeSpan ? System.Threading.Timeout.Infinite : (int)Math.Max(0, Math.Min(int.MaxValue, timeout.TotalMilliseconds));

        private static void ConfigureResource(ResourceBuilder resource, OpsOptions options)
        {
            if (options.ServiceName is not null)
            {
                resource.AddService(options.ServiceName);
            }

            resource.AddAttributes(new[] { new KeyValuePair<string, object>("mirascope.ops.version", OpsActivitySource.Version) });
        }

        /// <summary>
        /// The environment as the SDK reads it (so <c>OTEL_*</c> variables such as <c>OTEL_RESOURCE_ATTRIBUTES</c> and
        /// the sampler apply). OTLP retries are ours (<see cref="OtlpSpanExporter"/>); the SDK's in-memory retry is switched
        /// on (unless the app chose otherwise) for the uncounted fallback only.
        /// </summary>
        private static IConfiguration SdkConfiguration(Func<string, string?> environment)
        {
            var builder = new ConfigurationBuilder();
            if (ReferenceEquals(environment, EnvironmentVariables.Process))
            {
                builder.AddEnvironmentVariables();
            }
            else
            {
                var values = new List<KeyValuePair<string, string?>>();
                foreach (var key in EnvironmentVariables.SdkKeys)
                {
                    var value = environment(key);
                    if (value is not null)
                    {
                        values.Add(new KeyValuePair<string, string?>(key, value));
                    }
                }

                builder.AddInMemoryCollection(values);
            }

            if (string.IsNullOrEmpty(environment(EnvironmentVariables.OtlpRetry)))
            {
                // Only for the uncounted fallback (UncountedOtlpExport), which is the SDK's own exporter: without it,
                // it drops a batch on the first 503.
                builder.AddInMemoryCollection(new[] { new KeyValuePair<string, string?>(EnvironmentVariables.OtlpRetry, "in_memory") });
            }

            return builder.Build();
        }
    }
}
