using System;

namespace Mirascope.Ops.Configuration
{
    /// <summary>The environment variables Mirascope.Ops reads, and the reader tests replace.</summary>
    internal static class EnvironmentVariables
    {
        public const string ApiKey = "MIRASCOPE_API_KEY";
        public const string BaseUrl = "MIRASCOPE_BASE_URL";
        public const string WarnOnStderr = "MIRASCOPE_WARN_ON_STDERR";
        public const string OtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";
        public const string OtlpTracesEndpoint = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
        public const string OtlpProtocol = "OTEL_EXPORTER_OTLP_PROTOCOL";
        public const string ServiceName = "OTEL_SERVICE_NAME";
        public const string OtlpRetry = "OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY";

        /// <summary>The OpenTelemetry SDK variables passed on when the environment is not the process's (tests).</summary>
        public static readonly string[] SdkKeys =
        {
            OtlpEndpoint, OtlpProtocol, ServiceName, OtlpRetry,
            "OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TIMEOUT", "OTEL_EXPORTER_OTLP_COMPRESSION",
            "OTEL_RESOURCE_ATTRIBUTES", "OTEL_SDK_DISABLED", "OTEL_TRACES_SAMPLER", "OTEL_TRACES_SAMPLER_ARG",
        };

        public static readonly Func<string, string?> Process = Environment.GetEnvironmentVariable;

        /// <summary>Fills <paramref name="options"/> from the environment; empty variables count as unset.</summary>
        public static void Apply(OpsOptions options, Func<string, string?> read)
        {
            var key = NonEmpty(read(ApiKey));
            if (key is not null)
            {
                options.ApiKey = key.Trim();
            }

            var baseUrl = NonEmpty(read(BaseUrl));
            if (baseUrl is not null)
            {
                options.BaseUrlSource = BaseUrl;
                if (Uri.TryCreate(baseUrl.Trim(), UriKind.Absolute, out var parsed))
                {
                    options.BaseUrl = parsed;
                }
                else
                {
                    options.InvalidBaseUrlText = baseUrl;
                }
            }

            var warn = NonEmpty(read(WarnOnStderr));
            if (warn is not null)
            {
                if (TryParseBoolean(warn, out var value))
                {
                    options.WarnOnStderr = value;
                }
                else
                {
                    options.InvalidWarnOnStderrText = warn;
                }
            }

            if (!Profiles.BackendProfileNames.TryParse(read(Profiles.BackendProfileNames.EnvironmentVariable), out var profiles, out var problem))
            {
                options.InvalidBackendProfilesProblem = problem;
            }
            else
            {
                options.BackendProfiles = profiles;
            }

            var serviceName = NonEmpty(read(ServiceName));
            if (serviceName is not null)
            {
                options.ServiceName = serviceName;
            }

            if (NonEmpty(read(OtlpEndpoint)) is not null || NonEmpty(read(OtlpTracesEndpoint)) is not null)
            {
                options.UseOtlp();
            }
        }

        /// <summary><c>true</c>/<c>false</c> and <c>1</c>/<c>0</c>, any case, spaces around ignored.</summary>
        private static bool TryParseBoolean(string text, out bool value)
        {
            switch (text.Trim().ToLowerInvariant())
            {
                case "true":
                case "1":
                    value = true;
                    return true;
                case "false":
                case "0":
                    value = false;
                    return true;
                default:
                    value = false;
                    return false;
            }
        }

        private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
    }
}
