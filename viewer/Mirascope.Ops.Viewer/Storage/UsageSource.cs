namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>Where a span's token counts come from; decides which spans of a trace are counted (stored as a number).</summary>
    internal enum UsageSource
    {
        /// <summary>The span has no token counts.</summary>
        None = 0,

        /// <summary><c>gen_ai.usage.*</c>: a model call. These are counted wherever they are, except a span that repeats a call another layer's span counts (<see cref="RepeatedCalls"/>).</summary>
        GenAi = 1,

        /// <summary>
        /// Only <c>mirascope.response.usage</c>: a traced method that returned a model response. Counted only where the
        /// group (trace, version call) has no <see cref="GenAi"/> span, which would be the same call counted again.
        /// </summary>
        MirascopeResponse = 2,

        /// <summary>
        /// <c>gen_ai.usage.*</c> on an agent's span (<c>gen_ai.operation.name</c> <c>invoke_agent</c> or
        /// <c>invoke_workflow</c>): the total of the model calls of the run, which Microsoft Agent Framework's agent span
        /// carries beside the chat spans under it. Counted, as <see cref="MirascopeResponse"/>, only where the trace has no
        /// <see cref="GenAi"/> span: otherwise every token of the run would be counted twice.
        /// </summary>
        AgentTotal = 3,
    }
}
