using System;
using Microsoft.Extensions.Logging;
using Mirascope.Ops.Diagnostics;

namespace Mirascope.Ops.Export.Cloud
{
    /// <summary>
    /// Reports failed function registrations and annotations to the <c>Mirascope-Ops</c> EventSource (event 107) and
    /// the app's logger, at most once per interval (the ones held back are counted into the next report), with the
    /// API key redacted from every text.
    /// </summary>
    internal sealed class CloudRequestDiagnostics
    {
        private readonly string _destination;
        private readonly ILogger? _logger;
        private readonly string? _secret;
        private readonly RateGate _registrations;
        private readonly RateGate _annotations;

        public CloudRequestDiagnostics(string destination, ILogger? logger, string? secret, TimeSpan? interval = null)
        {
            _destination = destination;
            _logger = logger;
            _secret = string.IsNullOrEmpty(secret) ? null : secret;
            _registrations = new RateGate(interval ?? ExportDiagnostics.DefaultInterval);
            _annotations = new RateGate(interval ?? ExportDiagnostics.DefaultInterval);
        }

        public const string Registration = "function registration";
        public const string Annotation = "annotation";

        /// <param name="what">What failed: <see cref="Registration"/> or <see cref="Annotation"/> (each kind reported at its own rate).</param>
        /// <param name="reason">Why.</param>
        public void Failed(string what, string reason)
        {
            var text = _secret is null ? reason : reason.Replace(_secret, "[redacted]");
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
