using System;
using Mirascope.Ops.Configuration;
using OpenTelemetry.Exporter;

namespace Mirascope.Ops.Export.Otlp
{
    /// <summary>
    /// Where one OTLP exporter sends, and how, resolved once by us rather than left to the SDK's defaults, so the
    /// destination's name, the docs and the wire agree: the protocol is <c>UseOtlp(protocol)</c>, else
    /// <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, else <c>http/protobuf</c> (the OpenTelemetry specification's recommended
    /// default; the .NET SDK's own default is gRPC); the endpoint is <c>UseOtlp(endpoint)</c>, else
    /// <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c> (as it is), else <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, else
    /// <c>http://localhost:4318</c> (<c>4317</c> for gRPC); a base URL gets <c>/v1/traces</c> for http/protobuf.
    /// </summary>
    internal sealed class OtlpTarget
    {
        private OtlpTarget(Uri endpoint, OtlpExportProtocol protocol)
        {
            Endpoint = endpoint;
            Protocol = protocol;
        }

        public Uri Endpoint { get; }

        public OtlpExportProtocol Protocol { get; }

#pragma warning disable CS0618 // the SDK marks its gRPC protocol obsolete on some targets; it is still what gRPC is
        public bool IsGrpc => Protocol == OtlpExportProtocol.Grpc;
#pragma warning restore CS0618

        public string ProtocolName => IsGrpc ? "grpc" : "http/protobuf";

        /// <summary>The destination's display name: <c>OTLP (http://host:4318/v1/traces, http/protobuf)</c>.</summary>
        public string Destination => $"OTLP ({Endpoint}, {ProtocolName})";

        public static OtlpTarget Resolve(OtlpExporterRequest request, Func<string, string?> environment)
        {
            OptionsValidator.TryParseProtocol(request, environment, out var parsed, out _);
            var protocol = parsed ?? OtlpExportProtocol.HttpProtobuf;
            Uri endpoint;
            if (request.Endpoint is not null)
            {
                endpoint = SignalEndpoint(request.Endpoint, protocol);
            }
            else if (Absolute(environment(EnvironmentVariables.OtlpTracesEndpoint)) is { } traces)
            {
                endpoint = traces;
            }
            else if (Absolute(environment(EnvironmentVariables.OtlpEndpoint)) is { } baseUrl)
            {
                endpoint = SignalEndpoint(baseUrl, protocol);
            }
            else
            {
                endpoint = SignalEndpoint(new Uri(protocol == OtlpExportProtocol.HttpProtobuf ? "http://localhost:4318" : "http://localhost:4317"), protocol);
            }

            return new OtlpTarget(endpoint, protocol);
        }

        /// <summary>What the app's own <c>UseOtlp(Action&lt;OtlpExporterOptions&gt;)</c> left in the options.</summary>
        public static OtlpTarget Of(OtlpExporterOptions options) => new OtlpTarget(options.Endpoint, options.Protocol);

        /// <summary>For http/protobuf a base URL gets <c>/v1/traces</c>; gRPC takes the URL as it is.</summary>
        public static Uri SignalEndpoint(Uri endpoint, OtlpExportProtocol protocol)
        {
            if (protocol != OtlpExportProtocol.HttpProtobuf)
            {
                return endpoint;
            }

            var path = endpoint.AbsolutePath.TrimEnd('/');
            if (path.EndsWith("/v1/traces", StringComparison.Ordinal))
            {
                return endpoint;
            }

            return new Uri(endpoint.GetLeftPart(UriPartial.Authority) + path + "/v1/traces");
        }

        private static Uri? Absolute(string? text) =>
            !string.IsNullOrWhiteSpace(text) && Uri.TryCreate(text!.Trim(), UriKind.Absolute, out var uri) ? uri : null;
    }
}
