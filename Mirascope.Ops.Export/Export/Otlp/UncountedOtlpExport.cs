using System;
using Mirascope.Ops.Configuration;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Mirascope.Ops.Export.Otlp
{
    /// <summary>
    /// The fallback when the official OTLP exporter cannot be built outside the SDK's own registration: an app that
    /// references a newer <c>OpenTelemetry</c> than the <c>OpenTelemetry.Exporter.OpenTelemetryProtocol</c> it gets
    /// (NuGet raises the one, not the other) has an exporter whose public constructors fail to load
    /// (<see cref="TypeLoadException"/>). Then the SDK's <c>AddOtlpExporter</c> is used as it was before OTLP was
    /// counted: the same endpoint and protocol (<see cref="OtlpTarget"/>), the same queue and batch sizes, the SDK's
    /// in-memory retry, but not counted in <c>OpsExport.Statistics</c>; one stderr line and an event say so and how to
    /// fix it (reference the exporter at the SDK's version).
    /// </summary>
    internal static class UncountedOtlpExport
    {
        public static void Add(TracerProviderBuilder builder, OtlpExporterRequest request, OtlpTarget target, OpsOptions options, string name)
        {
            builder.AddOtlpExporter(name, otlp =>
            {
                otlp.Protocol = target.Protocol;
                otlp.Endpoint = target.Endpoint;
                otlp.TimeoutMilliseconds = (int)Math.Min(int.MaxValue, options.ExportTimeout.TotalMilliseconds);
                otlp.ExportProcessorType = ExportProcessorType.Batch;
                otlp.BatchExportProcessorOptions.MaxQueueSize = options.MaxQueueSize;
                otlp.BatchExportProcessorOptions.MaxExportBatchSize = Math.Min(options.MaxExportBatchSize, options.MaxQueueSize);
                otlp.BatchExportProcessorOptions.ScheduledDelayMilliseconds = (int)options.ScheduledDelay.TotalMilliseconds;
                request.Configure?.Invoke(otlp);
            });
        }

        /// <summary>Why OTLP is not counted, for stderr and the EventSource.</summary>
        public static string Reason(OtlpTarget target, Exception exception) =>
            $"Mirascope.Ops: OTLP export to {target.Endpoint} ({target.ProtocolName}) works but is not counted in OpsExport.Statistics: "
            + $"the OpenTelemetry.Exporter.OpenTelemetryProtocol in this app ({typeof(OpenTelemetry.Exporter.OtlpTraceExporter).Assembly.GetName().Version}) does not load against OpenTelemetry "
            + $"{typeof(Sdk).Assembly.GetName().Version} ({exception.GetType().Name}: {exception.Message}). Reference OpenTelemetry.Exporter.OpenTelemetryProtocol at the version of OpenTelemetry.";
    }
}
