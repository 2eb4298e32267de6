using System;

namespace Mirascope.Ops
{
    /// <summary>
    /// Marks a method as an agent's entry point: it is traced like <see cref="TraceAttribute"/> (arguments, result,
    /// errors, Mirascope's keys), and its span follows the GenAI conventions' in-process agent span,
    /// <c>invoke_agent {Name}</c> (kind Internal) with <c>gen_ai.operation.name</c> = <c>invoke_agent</c> and the
    /// <c>gen_ai.agent.*</c> attributes given here, so the model calls and tool calls it makes nest under an agent.
    /// </summary>
    /// <remarks>
    /// Everything is constant and computed at build time; the attributes are on the span from its start, where a
    /// sampler sees them. A <c>[Trace]</c> on the same method may add tags, metadata and <c>RecordValues</c>; the span
    /// name is the agent's. A combination the weaver cannot honour (an empty value, a <c>[Version]</c> or a
    /// <c>[Trace(Name = ...)]</c> on the same method) is build error MOPS014 with the file and line.
    /// </remarks>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
    public sealed class AgentAttribute : Attribute
    {
        /// <summary>
        /// The agent's name (<c>gen_ai.agent.name</c>, and the span name <c>invoke_agent {Name}</c>). Defaults to the
        /// declaring type's name (nested types joined by <c>.</c>).
        /// </summary>
        public string? Name { get; set; }

        /// <summary>The agent's unique identifier (<c>gen_ai.agent.id</c>), when it has one.</summary>
        public string? Id { get; set; }

        /// <summary>A free-form description of the agent (<c>gen_ai.agent.description</c>).</summary>
        public string? Description { get; set; }

        /// <summary>The agent's version (<c>gen_ai.agent.version</c>).</summary>
        public string? Version { get; set; }

        /// <summary>
        /// The GenAI provider the agent uses (<c>gen_ai.provider.name</c>: <c>openai</c>, <c>anthropic</c>, ...). The
        /// conventions require it on agent spans; the weaver cannot know it, so it is written only when given.
        /// </summary>
        public string? Provider { get; set; }
    }
}
