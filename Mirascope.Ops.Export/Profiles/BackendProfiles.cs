using System;

namespace Mirascope.Ops
{
    /// <summary>
    /// The backends whose own attribute keys are added to spans, beside Mirascope's: <c>OpsOptions.BackendProfiles</c>,
    /// <c>AddMirascopeOps(profiles)</c> or <c>MIRASCOPE_BACKEND_PROFILES</c> (e.g. <c>langfuse,openinference</c>).
    /// Combine with <c>|</c>. docs/llm.md ("Backend profiles") lists every key each one adds.
    /// </summary>
    [Flags]
    public enum BackendProfiles
    {
        /// <summary>Mirascope's own keys only (the default).</summary>
        None = 0,

        /// <summary>
        /// Langfuse: <c>session.id</c>, <c>user.id</c>, <c>langfuse.observation.input</c>/<c>output</c>,
        /// <c>langfuse.observation.type</c>, <c>langfuse.trace.tags</c>, <c>langfuse.observation.metadata.*</c>.
        /// </summary>
        Langfuse = 1,

        /// <summary>
        /// OpenInference (Phoenix, Arize): <c>openinference.span.kind</c>, <c>input.value</c>/<c>output.value</c> and
        /// their mime types, <c>session.id</c>, <c>user.id</c>, <c>tag.tags</c>, <c>metadata</c>, <c>llm.*</c> on model calls.
        /// </summary>
        OpenInference = 2,

        /// <summary>
        /// The OpenTelemetry conventions' own keys (Aspire, Datadog, Grafana): <c>session.id</c>, <c>user.id</c>, and
        /// <c>gen_ai.conversation.id</c> on model calls in a session.
        /// </summary>
        GenAI = 4,
    }
}
