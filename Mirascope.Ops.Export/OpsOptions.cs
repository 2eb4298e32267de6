using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Microsoft.Extensions.Logging;
using Mirascope.Ops.Configuration;
using Mirascope.Ops.Tracing;
using OpenTelemetry.Exporter;

namespace Mirascope.Ops
{
    /// <summary>
    /// Where Mirascope.Ops sends spans and how. <see cref="OpsExport.Configure(Action{OpsOptions})"/> fills an instance from
    /// the environment (<c>MIRASCOPE_API_KEY</c>, <c>MIRASCOPE_BASE_URL</c>, <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, ...)
    /// before your callback runs, so what you set in code wins. See docs/configuration.md.
    /// </summary>
    public sealed class OpsOptions
    {
        /// <summary>The Mirascope Cloud ingest base URL used when <see cref="BaseUrl"/> is not set.</summary>
        /// <remarks>
        /// A property, not a field: a public static field is part of the binary contract as a field (and mutable
        /// through reflection); a getter can change what it returns without breaking callers. The hosted Cloud behind
        /// this address was discontinued upstream on 2026-03-02: set <see cref="BaseUrl"/> (or <c>MIRASCOPE_BASE_URL</c>)
        /// to the receiver you run, such as the viewer in this repository.
        /// </remarks>
        public static Uri DefaultBaseUrl { get; } = new Uri("https://mirascope.com/api/v2");

        private readonly List<OtlpExporterRequest> _otlp = new List<OtlpExporterRequest>();
        private readonly List<Action<Dictionary<Type, Func<object, string?>>>> _formatters = new List<Action<Dictionary<Type, Func<object, string?>>>>();

        /// <summary>
        /// The Mirascope Cloud API key. When set, spans are sent to Mirascope Cloud (<c>POST {BaseUrl}/traces</c>).
        /// It is only ever written into that request's <c>Authorization</c> header, never into spans, logs, messages
        /// or <see cref="ToString"/>. Defaults to <c>MIRASCOPE_API_KEY</c>.
        /// </summary>
        public string? ApiKey { get; set; }

        /// <summary>The Mirascope Cloud base URL. Defaults to <c>MIRASCOPE_BASE_URL</c>, else <see cref="DefaultBaseUrl"/>.</summary>
        public Uri BaseUrl { get; set; } = DefaultBaseUrl;

        /// <summary>
        /// Allows sending the API key over plain <c>http</c> to a host other than loopback. Off by default, because
        /// the key would cross the network unencrypted.
        /// </summary>
        public bool AllowInsecureApiKey { get; set; }

        /// <summary>The <c>service.name</c> resource attribute. Defaults to <c>OTEL_SERVICE_NAME</c>, else the SDK's default.</summary>
        public string? ServiceName { get; set; }

        /// <summary>How many finished spans may wait for export per exporter; beyond that new spans are dropped and counted. Default 2048.</summary>
        public int MaxQueueSize { get; set; } = 2048;

        /// <summary>The most spans sent in one request. Default 512 (capped at <see cref="MaxQueueSize"/>).</summary>
        public int MaxExportBatchSize { get; set; } = 512;

        /// <summary>How long spans may wait before a batch is sent even if it is not full. Default 1 second.</summary>
        public TimeSpan ScheduledDelay { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>The time limit of one export request (each retry gets its own). Default 10 seconds.</summary>
        public TimeSpan ExportTimeout { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>
        /// The longest <see cref="OpsExport.Shutdown"/>, <see cref="OpsExport.ForceFlush"/>, a reconfiguration or process exit waits
        /// for queued spans to be sent. Default 5 seconds.
        /// </summary>
        public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);

        /// <summary>
        /// The cap, in UTF-8 bytes, of each recorded value (arguments, output, metadata, session attributes, captured
        /// gen_ai message content); longer values are cut with a visible truncation marker. Default 16 KiB.
        /// </summary>
        public int MaxAttributeLength { get; set; } = RecordingLimits.DefaultMaxAttributeLength;

        /// <summary>
        /// How deep arrays, collections and objects nest inside one recorded value; a deeper one is recorded as
        /// <c>"&lt;Type: max depth&gt;"</c>. Default 4 (an argument's object, its list, the list's objects, their lists); at most 64.
        /// </summary>
        public int MaxRecordedDepth { get; set; } = RecordingLimits.DefaultMaxRecordedDepth;

        /// <summary>
        /// The work budget of one recorded document (a call's arguments, its output): how many values (elements,
        /// members, scalars) it visits before it is cut with the truncation marker. Default 64; it bounds what
        /// recording costs on call-heavy code whatever the size of the object graphs passed around.
        /// </summary>
        public int MaxRecordedValues { get; set; } = RecordingLimits.DefaultMaxRecordedValues;

        /// <summary>
        /// An optional cap, on top of the trace recording budget, of how many calls of one traced method record their
        /// arguments and output in one trace; the spans of its later calls in that trace are still created, nested,
        /// exported and marked failed on errors, but carry <c>mirascope.trace.values_skipped = "calls_per_trace"</c>
        /// instead of values. Default <see cref="int.MaxValue"/> (no such cap); 0 records every call, budget or not.
        /// </summary>
        public int MaxRecordedCallsPerTrace { get; set; } = RecordingLimits.DefaultMaxRecordedCallsPerTrace;

        /// <summary>
        /// What one trace may spend recording values at its start, before it has run for any time. Default 1 ms. With
        /// <see cref="TraceRecordingBudgetPercent"/> this bounds recording by what the traced work itself costs: a call
        /// past the budget keeps its span and says <c>mirascope.trace.values_skipped = "trace_budget"</c>.
        /// </summary>
        public TimeSpan TraceRecordingBudget { get; set; } = RecordingLimits.DefaultTraceBudget;

        /// <summary>
        /// The share of a trace's own running time, in percent (0 to 100), that its recording budget grows by. Default 5:
        /// calls that take milliseconds (model calls, tool calls) all record; a hot method called millions of times records
        /// a sample whose cost stays near 5% of the trace.
        /// </summary>
        public int TraceRecordingBudgetPercent { get; set; } = RecordingLimits.DefaultTraceBudgetPercent;

        /// <summary>
        /// The cap, in UTF-8 bytes, of a string inside a recorded collection or object (a string argument or output
        /// gets the whole <see cref="MaxAttributeLength"/>). Default 1024.
        /// </summary>
        public int MaxNestedStringLength { get; set; } = RecordingLimits.DefaultMaxNestedStringLength;

        /// <summary>
        /// Records values of <typeparamref name="T"/> (or a type derived from it, or implementing it) as the text
        /// <paramref name="format"/> gives, instead of by their public auto-properties and fields. This is opted-in
        /// code: it runs on the traced call's thread, with tracing suspended there (a traced method it calls records
        /// nothing); what it throws is recorded in its place and never reaches the program.
        /// </summary>
        /// <typeparam name="T">The type to format.</typeparam>
        /// <param name="format">Gives the text to record.</param>
        /// <returns>These options.</returns>
        public OpsOptions AddValueFormatter<T>(Func<T, string> format)
        {
            if (format is null) throw new ArgumentNullException(nameof(format));
            _formatters.Add(formatters => formatters[typeof(T)] = value => format((T)value));
            return this;
        }

        /// <summary>
        /// An optional logger that receives the same self-diagnostics as the <c>Mirascope-Ops</c> EventSource. When it is
        /// set, the stderr line of <see cref="WarnOnStderr"/> is not written (the warnings go here).
        /// </summary>
        public ILogger? Logger { get; set; }

        /// <summary>
        /// Writes to stderr, with the endpoint and never the API key: one line the first time spans for a destination
        /// are dropped in this process (a receiver that fails or rejects batches, a full queue, shutdown out of time);
        /// one per configuration error (a refused key, no receiver at the endpoint, the wrong OTLP protocol), whatever
        /// was written before; one when annotations or function registrations fail; and at exit, when spans were lost,
        /// the count by reason. Not written when <see cref="Logger"/> is set. Defaults to
        /// <c>MIRASCOPE_WARN_ON_STDERR</c> (<c>true</c>/<c>false</c>), else true. Every drop is counted in
        /// <see cref="OpsExport.Statistics"/> whatever this says.
        /// </summary>
        public bool WarnOnStderr { get; set; } = true;

        /// <summary>
        /// The header format of context propagation (<see cref="MirascopeOps.InjectContext(System.Collections.Generic.IDictionary{string, string})"/>
        /// and friends). Default: <c>MIRASCOPE_PROPAGATOR</c>, else W3C Trace Context.
        /// </summary>
        public PropagatorFormat? Propagator { get; set; }

        /// <summary>
        /// The backends whose own keys are added to every span beside Mirascope's (Langfuse, OpenInference for Phoenix
        /// and Arize, the GenAI conventions' own), combined with <c>|</c>; docs/llm.md lists the keys. Defaults to
        /// <c>MIRASCOPE_BACKEND_PROFILES</c> (<c>langfuse,openinference,genai</c>, any of them), else none. With none,
        /// spans carry Mirascope's keys only and nothing is added to the pipeline.
        /// </summary>
        public BackendProfiles BackendProfiles { get; set; }

        /// <summary>
        /// Hands this configuration's recording limits and value formatters (and only them) to the runtime's recorder,
        /// which the woven code of every assembly in the process shares.
        /// </summary>
        internal void ApplyRecording()
        {
            // One snapshot, published once: a value being recorded meanwhile sees the old settings or the new ones,
            // never a mix of limits, nor formatters half re-registered, nor shapes classified under other formatters.
            var formatters = new Dictionary<Type, Func<object, string?>>();
            foreach (var register in _formatters)
            {
                register(formatters);
            }

            RecordingSettings.Publish(RecordingSettings.Defaults
                .WithLimits(
                    maxAttributeLength: MaxAttributeLength,
                    maxRecordedDepth: MaxRecordedDepth,
                    maxRecordedValues: MaxRecordedValues,
                    maxNestedStringLength: MaxNestedStringLength,
                    maxRecordedCallsPerTrace: MaxRecordedCallsPerTrace,
                    traceBudget: TraceRecordingBudget,
                    traceBudgetPercent: TraceRecordingBudgetPercent)
                .WithFormatters(formatters));
        }

        internal TextWriter? ConsoleWriter { get; private set; }

        internal bool ConsoleRequested { get; private set; }

        internal IReadOnlyList<OtlpExporterRequest> OtlpExporters => _otlp;

        /// <summary>Where the values of this instance came from, for error messages ("MIRASCOPE_BASE_URL" or "BaseUrl").</summary>
        internal string BaseUrlSource { get; set; } = nameof(BaseUrl);

        /// <summary>A base URL from the environment that could not be parsed; reported by validation.</summary>
        internal string? InvalidBaseUrlText { get; set; }

        /// <summary>Why <c>MIRASCOPE_BACKEND_PROFILES</c> could not be read; reported by validation.</summary>
        internal string? InvalidBackendProfilesProblem { get; set; }

        /// <summary>A <c>MIRASCOPE_WARN_ON_STDERR</c> value that is not a boolean; reported by validation.</summary>
        internal string? InvalidWarnOnStderrText { get; set; }

        /// <summary>Where the stderr line goes, looked up when it is written; tests capture it.</summary>
        internal Func<TextWriter> StandardError { get; set; } = () => Console.Error;

        /// <summary>
        /// Which ended spans Mirascope's exporters take (null, the default: every span of the sources). Tests build
        /// many pipelines in one process, each seeing every span; this keeps each to its own test's spans, so that
        /// exact counts and ForceFlush's answer are about that test alone.
        /// </summary>
        internal Func<System.Diagnostics.Activity, bool>? SpanFilter { get; set; }

        /// <summary>Waits between attempts to send an annotation (null: the default, about 15 s in all); tests shorten them.</summary>
        internal TimeSpan[]? AnnotationRetryDelays { get; set; }

        /// <summary>Retry timings; tests shorten them.</summary>
        internal RetrySettings Retry { get; set; } = RetrySettings.Default;

        /// <summary>
        /// Sends spans to an OTLP backend with the official OpenTelemetry exporter, configured from the
        /// <c>OTEL_EXPORTER_OTLP_*</c> environment variables; the protocol defaults to <c>http/protobuf</c> (the
        /// OpenTelemetry specification's default, not the .NET SDK's gRPC), the endpoint to <c>http://localhost:4318</c>.
        /// </summary>
        /// <returns>These options.</returns>
        public OpsOptions UseOtlp()
        {
            _otlp.Add(new OtlpExporterRequest(null, null, null));
            return this;
        }

        /// <summary>Sends spans to an OTLP backend at <paramref name="endpoint"/>.</summary>
        /// <param name="endpoint">
        /// The collector's base URL, as in <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (e.g. <c>http://localhost:4318</c>); for
        /// <c>http/protobuf</c>, <c>/v1/traces</c> is appended unless the path already ends with it.
        /// </param>
        /// <param name="protocol"><c>http/protobuf</c> (default) or <c>grpc</c>.</param>
        /// <returns>These options.</returns>
        public OpsOptions UseOtlp(Uri endpoint, string protocol = "http/protobuf")
        {
            if (endpoint is null) throw new ArgumentNullException(nameof(endpoint));
            _otlp.Add(new OtlpExporterRequest(endpoint, protocol, null));
            return this;
        }

        /// <summary>Sends spans to an OTLP backend configured by <paramref name="configure"/> (after the environment).</summary>
        /// <param name="configure">Sets the official exporter's options.</param>
        /// <returns>These options.</returns>
        public OpsOptions UseOtlp(Action<OtlpExporterOptions> configure)
        {
            if (configure is null) throw new ArgumentNullException(nameof(configure));
            _otlp.Add(new OtlpExporterRequest(null, null, configure));
            return this;
        }

        /// <summary>
        /// Prints each finished trace as an indented tree. This is the default when neither an API key nor an OTLP
        /// exporter is configured; call it to get the tree as well as other exporters.
        /// </summary>
        /// <param name="writer">Where to print; <see cref="Console.Out"/> when null (coloured only on a terminal).</param>
        /// <returns>These options.</returns>
        public OpsOptions UseConsole(TextWriter? writer = null)
        {
            ConsoleRequested = true;
            ConsoleWriter = writer;
            return this;
        }

        /// <summary>Describes the options with the API key redacted.</summary>
        /// <returns>A one-line description.</returns>
        public override string ToString()
        {
            var text = new StringBuilder("OpsOptions { ");
            text.Append("ApiKey = ").Append(ApiKey is null ? "(not set)" : "(set, redacted)");
            text.Append(", BaseUrl = ").Append(BaseUrl);
            text.Append(", ServiceName = ").Append(ServiceName ?? "(default)");
            text.Append(", Otlp = ").Append(_otlp.Count);
            text.Append(", Console = ").Append(ConsoleRequested);
            text.Append(", MaxQueueSize = ").Append(MaxQueueSize);
            text.Append(", MaxExportBatchSize = ").Append(MaxExportBatchSize);
            text.Append(", WarnOnStderr = ").Append(WarnOnStderr);
            text.Append(", BackendProfiles = ").Append(BackendProfiles);
            text.Append(" }");
            return text.ToString();
        }
    }
}
