using System.Collections.Generic;
using Mirascope.Ops.Spans;
using Mirascope.Ops.Tracing;
using Mirascope.Ops.Weaving;

namespace Mirascope.Ops
{
    public static partial class MirascopeOps
    {
        /// <summary>
        /// Starts an explicit agent span, as <see cref="AgentAttribute"/> makes for a method: <c>invoke_agent {name}</c>
        /// (kind Internal) with <c>gen_ai.operation.name</c> = <c>invoke_agent</c> and the <c>gen_ai.agent.*</c> and
        /// <c>gen_ai.provider.name</c> attributes given, set before the span starts (a sampler sees them), and
        /// <c>mirascope.type</c> = <c>"trace"</c>. It is current until disposed, so model and tool calls made meanwhile
        /// nest under it. A no-op span when nothing listens, like <see cref="Span"/>.
        /// </summary>
        /// <example><code>using var agent = MirascopeOps.AgentSpan("researcher", description: "Answers from the library");</code></example>
        /// <param name="name">The agent's name (<c>gen_ai.agent.name</c>); null or empty names the span <c>invoke_agent</c>, as the conventions ask.</param>
        /// <param name="id">The agent's unique identifier (<c>gen_ai.agent.id</c>), or null.</param>
        /// <param name="description">The agent's description (<c>gen_ai.agent.description</c>), or null.</param>
        /// <param name="provider">The GenAI provider the agent uses (<c>gen_ai.provider.name</c>), or null.</param>
        /// <returns>The span; dispose it to end it.</returns>
        public static Span AgentSpan(string? name, string? id = null, string? description = null, string? provider = null)
        {
            var spanName = string.IsNullOrEmpty(name) ? AgentKeys.InvokeAgent : AgentKeys.SpanNamePrefix + name;
            if (!OpsActivitySource.Source.HasListeners())
            {
                ReportNoopSpan(spanName);
                return Mirascope.Ops.Span.Noop;
            }

            var tags = new List<KeyValuePair<string, object?>>(6);
            tags.AddRange(ExplicitSpanTags.Constant);
            tags.Add(new KeyValuePair<string, object?>(AgentKeys.OperationName, AgentKeys.InvokeAgent));
            Add(tags, AgentKeys.ProviderName, provider);
            Add(tags, AgentKeys.AgentName, name);
            Add(tags, AgentKeys.AgentId, id);
            Add(tags, AgentKeys.AgentDescription, description);
            return Mirascope.Ops.Span.Start(spanName, tags, null);
        }

        private static void Add(List<KeyValuePair<string, object?>> tags, string key, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                tags.Add(new KeyValuePair<string, object?>(key, value));
            }
        }
    }
}
