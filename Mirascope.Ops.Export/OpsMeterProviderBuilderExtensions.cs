using System;
using System.Linq;
using Mirascope.Ops.Tracing;
using OpenTelemetry.Metrics;

namespace Mirascope.Ops
{
    /// <summary>Adds Mirascope.Ops's metrics to an OpenTelemetry meter provider the app builds itself.</summary>
    public static class OpsMeterProviderBuilderExtensions
    {
        /// <summary>
        /// Subscribes the provider to the GenAI client metrics of <c>UseMirascopeOps()</c> chat calls and to the meters of
        /// the LLM libraries <c>OpsLlm.Instrument()</c> turns on (<see cref="OpsTelemetryNames.LlmMeters"/>). A meter that
        /// nothing in the app creates costs nothing.
        /// </summary>
        /// <param name="builder">The app's meter provider builder.</param>
        /// <returns>The builder.</returns>
        public static MeterProviderBuilder AddMirascopeOps(this MeterProviderBuilder builder)
        {
            if (builder is null) throw new ArgumentNullException(nameof(builder));
            return builder.AddMeter(LlmTelemetryNames.Meters.ToArray());
        }
    }
}
