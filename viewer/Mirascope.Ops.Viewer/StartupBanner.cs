using System;
using System.Text;

namespace Mirascope.Ops.Viewer
{
    /// <summary>What the viewer prints when it has started: where to look and what to set in the traced app.</summary>
    internal static class StartupBanner
    {
        /// <summary>The line tests and scripts look for: <c>MIRASCOPE_BASE_URL=http://127.0.0.1:port/api/v2</c>.</summary>
        public static string BaseUrl(Uri address) => new Uri(address, "api/v2").ToString();

        /// <param name="accounts">True in accounts mode: people sign in, senders use keys made for an environment.</param>
        public static string Text(Uri address, ViewerOptions options, bool accounts = false)
        {
            var origin = address.GetLeftPart(UriPartial.Authority);
            var text = new StringBuilder();
            text.Append("Mirascope.Ops viewer: open ").Append(address).AppendLine();
            if (options.PublicOrigin is { } publicOrigin)
            {
                text.Append("  (people and senders reach it at ").Append(publicOrigin).AppendLine(")");
            }

            text.AppendLine();
            text.AppendLine("Send spans from an app traced with Mirascope.Ops:");
            text.Append("  MIRASCOPE_BASE_URL=").AppendLine(BaseUrl(address));
            text.AppendLine(accounts
                ? "  MIRASCOPE_API_KEY=<a key of the environment the spans belong to (admin create, or the page's Settings)>"
                : string.IsNullOrEmpty(options.ApiKey)
                ? "  MIRASCOPE_API_KEY=local          (any value: it turns the exporter on; this viewer does not check it)"
                : "  MIRASCOPE_API_KEY=<the key given to --api-key>");
            // OTLP: the exact variables that work. This viewer speaks OTLP/HTTP only; the .NET SDK's own default is
            // gRPC, so the protocol is spelled out (Mirascope.Ops.Export defaults to http/protobuf either way).
            text.AppendLine("or over OTLP/HTTP (protobuf or JSON; not gRPC), from Mirascope.Ops or any OpenTelemetry SDK:");
            text.Append("  OTEL_EXPORTER_OTLP_ENDPOINT=").AppendLine(origin);
            text.AppendLine("  OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf");
            if (accounts)
            {
                text.AppendLine("  OTEL_EXPORTER_OTLP_HEADERS=X-API-Key=<a key of the environment>");
            }
            else if (!string.IsNullOrEmpty(options.ApiKey))
            {
                text.AppendLine("  OTEL_EXPORTER_OTLP_HEADERS=X-API-Key=<the key given to --api-key>");
            }
            text.AppendLine();
            if (accounts)
            {
                text.AppendLine("Accounts are on: people sign in on the page with their email and password; every request needs a session or a key.");
            }
            else if (string.IsNullOrEmpty(options.ApiKey))
            {
                text.AppendLine("No key: anyone on this machine can read and change everything in this viewer (start it with --api-key <key> to require one).");
            }

            text.Append("Spans are kept in ").Append(Storage.StoreEngines.Describe(options.Store));
            text.Append(" (each project ").Append(options.RetentionAge is { } age ? $"for {age.TotalDays:0.##} days" : "with no age limit");
            text.Append(", ").Append(options.RetentionBytes is { } max ? $"at most {Storage.Retention.ByteSizes.Format(max)}" : "with no size limit").AppendLine(", unless its ADMIN sets its own).");
            text.Append("Press Ctrl+C to stop.");
            return text.ToString();
        }
    }
}
