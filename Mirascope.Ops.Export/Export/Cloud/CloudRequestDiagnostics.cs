using System;
using Microsoft.Extensions.Logging;
using Mirascope.Ops.Diagnostics;

namespace Mirascope.Ops.Export.Cloud
{
    /// <summary>
    /// Reports failed function registrations and annotations to the <c>Mirascope-Ops</c> EventSource (event 107) and
    /// the app's logger, at most once per interval, and to stderr once per destination and kind (the ones held back are counted into the next report), with the
    /// API key redacted from every text.
    /// </summary>
    internal sealed class CloudRequestDiagnostics
    {
        private readonly string _destination;
        private readonly ILogger? _logger;
        private readonly string? _secret;
        private readonly RateGate _registrations;
        private readonly RateGate _annotations;
        private readonly StderrDropWarning? _stderr;

        public CloudRequestDiagnostics(string destination, ILogger? logger, string? secret, StderrDropWarning? stderr = null, TimeSpan? interval = null)
        {
            _stderr = stderr;
            _destination = destination;
            _logger = logger;
            _secret = string.IsNullOrEmpty(secret) ? null : secret;
            _registrations = new RateGate(interval ?? ExportDiagnostics.DefaultInterval);
            _annotations = new RateGate(interval ?? ExportDiagnostics.DefaultInterval);
        }

        public const string Registration = "function registration";

        /// <summary>What a status usually means here: the key for 401/403; nothing otherwise.</summary>
        public static string Hint(int status) =>
            status == 401 || status == 403 ? " — the receiver refused the API key (check MIRASCOPE_API_KEY or OpsOptions.ApiKey)" : "";
        public const string Annotation = "annotation";

        /// <param name="what">What failed: <see cref="Registration"/> or <see cref="Annotation"/> (each kind reported at its own rate).</param>
        /// <param name="reason">Why.</param>
        public void Failed(string what, string reason)
        {
            var text = _secret is null ? reason : reason.Replace(_secret, "[redacted]");
            // Told on stderr once per destination and kind, like dropped spans: an annotation never fails silently.
            _stderr?.WarnRequests(what == Annotation ? "annotations" : "function registrations", text);
            var gate = what == Annotation ? _annotations : _registrations;
            if (!gate.TryPass(1, text, out var held, out _))
            {
                return;
            }

            if (held > 0)
            {
                text += $" ({held} similar failures since the last report)";
            }

            OpsEventSource.Log.CloudRequestFailed("Mirascope.Ops " + what, _destination, text);
            _logger?.LogWarning("Mirascope.Ops: {What} at {Destination} failed: {Reason}", what, _destination, text);
        }
    }
}
