using System.Collections.Generic;
using Mirascope.Ops.Tracing;

namespace Mirascope.Ops
{
    /// <summary>
    /// The names <c>AddMirascopeOps()</c> subscribes an app's providers to, for apps that prefer <c>AddSource</c> and
    /// <c>AddMeter</c> of their own.
    /// </summary>
    public static class OpsTelemetryNames
    {
        /// <summary>The ActivitySource of traced calls, sessions, explicit spans and <c>UseMirascopeOps()</c> chat spans.</summary>
        public const string ActivitySource = OpsActivitySource.Name;

        /// <summary>The Meter of the GenAI client metrics that <c>UseMirascopeOps()</c> chat calls record (Mirascope.Ops.Llm).</summary>
        public const string Meter = LlmTelemetryNames.GenAiMeter;

        /// <summary>
        /// The ActivitySources of the .NET LLM stack that <c>OpsLlm.Instrument()</c> turns on: Microsoft.Extensions.AI's
        /// <c>UseOpenTelemetry</c>, the OpenAI SDK, Semantic Kernel, the Anthropic SDK and Microsoft Agent Framework's
        /// agents and workflows (trailing wildcards, which OpenTelemetry .NET accepts).
        /// </summary>
        public static IReadOnlyList<string> LlmActivitySources => LlmTelemetryNames.ActivitySources;

        /// <summary>The Meters of the same libraries, and <see cref="Meter"/>.</summary>
        public static IReadOnlyList<string> LlmMeters => LlmTelemetryNames.Meters;
    }
}
