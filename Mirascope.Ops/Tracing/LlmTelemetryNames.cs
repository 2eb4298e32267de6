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

        /// <summary>
        /// Microsoft.Extensions.AI (<c>UseOpenTelemetry</c>), the OpenAI SDK, Semantic Kernel, the Anthropic SDK, and
        /// Microsoft Agent Framework: its agents (<c>OpenTelemetryAgent.DefaultSourceName</c> in Microsoft.Agents.AI, the
        /// source of <c>agent.AsBuilder().UseOpenTelemetry()</c>'s <c>invoke_agent</c>, chat and <c>execute_tool</c>
        /// spans and of its compaction spans) and its workflows (<c>WorkflowBuilder.WithOpenTelemetry()</c> in
        /// Microsoft.Agents.AI.Workflows).
        /// </summary>
        public static readonly IReadOnlyList<string> ActivitySources = new[]
        {
            "Experimental.Microsoft.Extensions.AI",
            "OpenAI.*",
            "Microsoft.SemanticKernel*",
            "com.anthropic.sdk.csharp*",
            AgentFramework,
            "Microsoft.Agents.AI.Workflows",
        };

        /// <summary>The same libraries' meters, and Mirascope.Ops.Llm's own.</summary>
        public static readonly IReadOnlyList<string> Meters = new[]
        {
            "Experimental.Microsoft.Extensions.AI",
            "OpenAI.*",
            "Microsoft.SemanticKernel*",
            AgentFramework,
            GenAiMeter,
        };

        /// <summary>
        /// Microsoft Agent Framework's default source and meter name (Microsoft.Agents.AI 1.28.0: <c>OpenTelemetryConsts.DefaultSourceName</c>;
        /// its <c>OpenTelemetryAgent</c> hands it to Microsoft.Extensions.AI's telemetry client, whose meter takes the same name).
        /// </summary>
        public const string AgentFramework = "Experimental.Microsoft.Agents.AI";
    }
}
