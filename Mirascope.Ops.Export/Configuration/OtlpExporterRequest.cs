using System;
using OpenTelemetry.Exporter;

namespace Mirascope.Ops.Configuration
{
    /// <summary>One <c>UseOtlp(...)</c> call (or <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>): what the official exporter gets on top of the environment.</summary>
    internal sealed class OtlpExporterRequest
    {
        public OtlpExporterRequest(Uri? endpoint, string? protocol, Action<OtlpExporterOptions>? configure)
        {
            Endpoint = endpoint;
            Protocol = protocol;
            Configure = configure;
        }

        public Uri? Endpoint { get; }

        /// <summary>The protocol as the user wrote it; validated into <see cref="OtlpExportProtocol"/>.</summary>
        public string? Protocol { get; }

        public Action<OtlpExporterOptions>? Configure { get; }
    }
}
