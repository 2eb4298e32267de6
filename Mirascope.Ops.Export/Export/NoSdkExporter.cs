using System.Diagnostics;
using OpenTelemetry;

namespace Mirascope.Ops.Export
{
    /// <summary>
    /// The SDK exporter of a <see cref="BatchingSpanProcessor"/> whose own exporter (Cloud, console) needs none: its base
    /// class wants one. Never called: the processor exports through its <see cref="SpanBatchExporter"/>.
    /// </summary>
    internal sealed class NoSdkExporter : BaseExporter<Activity>
    {
        public override ExportResult Export(in Batch<Activity> batch) => ExportResult.Success;
    }
}
