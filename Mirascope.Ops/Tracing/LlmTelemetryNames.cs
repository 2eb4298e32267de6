using System.Collections.Generic;

namespace Mirascope.Ops.Tracing
{
    /// <summary>
    /// The ActivitySources and Meters of the .NET LLM stack that Mirascope.Ops.Llm turns on, and its own GenAI meter.
    /// One list for both packages that need it, which do not know each other: Mirascope.Ops.Llm (what
    /// <c>OpsLlm.Instrument</c> adds to a configured export) and Mirascope.Ops.Export (what <c>AddMirascopeOps()</c> adds to
    /// an app's own providers, and the public constants of <c>OpsTelemetryNames</c>).
    /// </summary>
    internal static class LlmTelemetryNames
    {
        /// <summary>The GenAI client metrics Mirascope.Ops.Llm records (<c>UseMirascopeOps()</c> chat calls).</summary>
        public const string GenAiMeter = "Mirascope.Ops";

        /// <summary>Microsoft.Extensions.AI (<c>UseOpenTelemetry</c>), the OpenAI SDK, Semantic Kernel, the Anthropic SDK.</summary>
        public static readonly IReadOnlyList<string> ActivitySources = new[]
        {
            "Experimental.Microsoft.Extensions.AI",
            "OpenAI.*",
            "Microsoft.SemanticKernel*",
            "com.anthropic.sdk.csharp*",
        };

        /// <summary>The same libraries' meters, and Mirascope.Ops.Llm's own.</summary>
        public static readonly IReadOnlyList<string> Meters = new[]
        {
            "Experimental.Microsoft.Extensions.AI",
            "OpenAI.*",
            "Microsoft.SemanticKernel*",
            GenAiMeter,
        };
    }
}
