using System;
using System.Collections.Generic;
using Mirascope.Ops.Tracing;
using OpenTelemetry.Exporter;

namespace Mirascope.Ops.Configuration
{
    /// <summary>
    /// Checks options before anything is built, so a mistake fails <c>OpsExport.Configure</c> with a message that says what
    /// to change. Messages name settings, never the API key's value.
    /// </summary>
    internal static class OptionsValidator
    {
        public static void Validate(OpsOptions options, Func<string, string?> environment)
        {
            var problems = new List<string>();
            CheckApiKeyAndBaseUrl(options, problems);
            CheckQueue(options, problems);
            if (options.InvalidWarnOnStderrText is { } warn)
            {
                problems.Add($"{EnvironmentVariables.WarnOnStderr} is '{warn}', which is not a boolean; use 'true' or 'false' (or '1'/'0').");
            }
            if (options.InvalidBackendProfilesProblem is { } profiles)
            {
                problems.Add(profiles);
            }
            else if (Profiles.BackendProfileNames.CheckDefined(options.BackendProfiles, nameof(OpsOptions.BackendProfiles)) is { } undefined)
            {
                problems.Add(undefined);
            }

            foreach (var request in options.OtlpExporters)
            {
                if (!TryParseProtocol(request, environment, out _, out var problem))
                {
                    problems.Add(problem!);
                }
            }

            if (problems.Count > 0)
            {
                throw new ArgumentException("Mirascope.Ops configuration is invalid:" + Environment.NewLine + "- " + string.Join(Environment.NewLine + "- ", problems));
            }
        }

        /// <summary>The protocol an OTLP request asks for: its own, else <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, else none (the SDK's default).</summary>
        public static bool TryParseProtocol(OtlpExporterRequest request, Func<string, string?> environment, out OtlpExportProtocol? protocol, out string? problem)
        {
            var (text, source) = request.Protocol is not null
                ? (request.Protocol, "UseOtlp(protocol)")
                : (environment(EnvironmentVariables.OtlpProtocol), EnvironmentVariables.OtlpProtocol);
            protocol = null;
            problem = null;
            if (string.IsNullOrWhiteSpace(text))
            {
                return true;
            }

            switch (text!.Trim().ToLowerInvariant())
            {
                case "grpc":
#if NET8_0_OR_GREATER
                    protocol = OtlpExportProtocol.Grpc;
                    return true;
#else
                    // The official exporter supports gRPC only on .NET 8+ (or with a hand-made HTTP/2 client factory).
                    problem = $"{source} is 'grpc', which this runtime does not support; use 'http/protobuf' (or run on .NET 8 or later).";
                    return false;
#endif
                case "http/protobuf":
                    protocol = OtlpExportProtocol.HttpProtobuf;
                    return true;
                default:
                    problem = $"{source} is '{text}', an OTLP protocol this exporter does not speak; use 'http/protobuf' or 'grpc'.";
                    return false;
            }
        }

        private static void CheckApiKeyAndBaseUrl(OpsOptions options, List<string> problems)
        {
            var source = options.BaseUrlSource;
            if (options.InvalidBaseUrlText is not null)
            {
                problems.Add($"{source} '{options.InvalidBaseUrlText}' is not an absolute URL; expected e.g. '{OpsOptions.DefaultBaseUrl}'.");
                return;
            }

            var baseUrl = options.BaseUrl;
            if (baseUrl is null)
            {
                problems.Add("BaseUrl is null; leave it unset for the default " + OpsOptions.DefaultBaseUrl + ".");
                return;
            }

            if (!baseUrl.IsAbsoluteUri)
            {
                problems.Add($"{source} '{baseUrl}' is not an absolute URL; expected e.g. '{OpsOptions.DefaultBaseUrl}'.");
                return;
            }

            if (baseUrl.Scheme != Uri.UriSchemeHttps && baseUrl.Scheme != Uri.UriSchemeHttp)
            {
                problems.Add($"{source} '{baseUrl}' must use https (or http to a local receiver), not '{baseUrl.Scheme}'.");
                return;
            }

            if (!string.IsNullOrEmpty(baseUrl.Query) || !string.IsNullOrEmpty(baseUrl.Fragment) || !string.IsNullOrEmpty(baseUrl.UserInfo))
            {
                problems.Add($"{source} must be a plain base URL without user info, query or fragment (e.g. '{OpsOptions.DefaultBaseUrl}').");
                return;
            }

            if (options.ApiKey is null)
            {
                return;
            }

            if (string.IsNullOrWhiteSpace(options.ApiKey))
            {
                problems.Add("ApiKey is empty; set it to your Mirascope API key, or leave it null to not send to Mirascope Cloud.");
                return;
            }

            if (baseUrl.Scheme == Uri.UriSchemeHttp && !baseUrl.IsLoopback && !options.AllowInsecureApiKey)
            {
                problems.Add($"{source} '{baseUrl.GetLeftPart(UriPartial.Authority)}' uses plain http to a host that is not loopback, which would send the API key unencrypted; use https, or set AllowInsecureApiKey = true if you really mean it.");
            }
        }

        private static void CheckQueue(OpsOptions options, List<string> problems)
        {
            if (options.MaxQueueSize < 1)
            {
                problems.Add($"MaxQueueSize must be at least 1 (was {options.MaxQueueSize}).");
            }

            if (options.MaxExportBatchSize < 1)
            {
                problems.Add($"MaxExportBatchSize must be at least 1 (was {options.MaxExportBatchSize}).");
            }

            CheckPositive(options.ScheduledDelay, nameof(OpsOptions.ScheduledDelay), problems);
            CheckPositive(options.ExportTimeout, nameof(OpsOptions.ExportTimeout), problems);
            CheckPositive(options.ShutdownTimeout, nameof(OpsOptions.ShutdownTimeout), problems);
            if (options.MaxRecordedCallsPerTrace < 0)
            {
                problems.Add($"MaxRecordedCallsPerTrace must be 0 (every call) or more (was {options.MaxRecordedCallsPerTrace}).");
            }

            if (options.TraceRecordingBudget < TimeSpan.Zero)
            {
                problems.Add($"TraceRecordingBudget must be zero or more (was {options.TraceRecordingBudget}).");
            }

            if (options.TraceRecordingBudgetPercent < 0 || options.TraceRecordingBudgetPercent > 100)
            {
                problems.Add($"TraceRecordingBudgetPercent must be 0 to 100 (was {options.TraceRecordingBudgetPercent}).");
            }

            if (options.MaxRecordedDepth < 0 || options.MaxRecordedDepth > RecordingLimits.MaxRecordedDepthCeiling)
            {
                problems.Add($"MaxRecordedDepth must be 0 to {RecordingLimits.MaxRecordedDepthCeiling} (was {options.MaxRecordedDepth}).");
            }

            if (options.MaxRecordedValues < 1)
            {
                problems.Add($"MaxRecordedValues must be at least 1 (was {options.MaxRecordedValues}).");
            }

            if (options.MaxNestedStringLength < 16)
            {
                problems.Add($"MaxNestedStringLength must be at least 16 bytes (was {options.MaxNestedStringLength}).");
            }

            if (options.MaxAttributeLength < 64)
            {
                problems.Add($"MaxAttributeLength must be at least 64 bytes (was {options.MaxAttributeLength}).");
            }
        }

        private static void CheckPositive(TimeSpan value, string name, List<string> problems)
        {
            if (value <= TimeSpan.Zero || value.TotalMilliseconds > int.MaxValue)
            {
                problems.Add($"{name} must be positive and under 24 days (was {value}).");
            }
        }
    }
}
