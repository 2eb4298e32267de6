using Microsoft.Extensions.AI;

namespace Mirascope.Ops.Llm
{
    /// <summary>Maps M.E.AI finish reasons to the values the GenAI conventions use.</summary>
    internal static class FinishReasons
    {
        public static string? ToConvention(ChatFinishReason? reason)
        {
            if (reason is null)
            {
                return null;
            }

            var value = reason.Value;
            // M.E.AI says "tool_calls"; the conventions' output schema says "tool_call".
            if (value == ChatFinishReason.ToolCalls) return "tool_call";
            return value.Value;
        }
    }
}
