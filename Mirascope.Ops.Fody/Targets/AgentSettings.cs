using System.Collections.Generic;
using Mirascope.Ops.Fody.Diagnostics;
using Mono.Cecil;

namespace Mirascope.Ops.Fody.Targets
{
    /// <summary>
    /// The validated <c>[Agent]</c> of an agent's entry point: its span name and the constant <c>gen_ai.*</c> attributes
    /// of the GenAI conventions' in-process agent span, as flattened name/value pairs for the runtime's descriptor.
    /// </summary>
    internal sealed class AgentSettings
    {
        private AgentSettings(string spanName, IReadOnlyList<string> attributes)
        {
            SpanName = spanName;
            Attributes = attributes;
        }

        /// <summary><c>invoke_agent {name}</c>.</summary>
        public string SpanName { get; }

        /// <summary><c>gen_ai.operation.name</c>, <c>gen_ai.agent.name</c> and those of id, description, version, provider that were given.</summary>
        public IReadOnlyList<string> Attributes { get; }

        /// <summary>
        /// Reads <paramref name="agent"/> on <paramref name="method"/> (a method: the attribute's usage keeps it off
        /// constructors); reports MOPS014 at the method and returns null for what the weaver cannot honour: a
        /// <c>[Version]</c> or a method-level <c>[Trace(Name = ...)]</c> beside it (each would name the span too), or a
        /// value given as empty text.
        /// </summary>
        public static AgentSettings? Read(MethodDefinition method, CustomAttribute agent, CustomAttribute? trace, CustomAttribute? version, BuildErrors diagnostics)
        {
            var owner = TraceSettingsReader.Describe(method);
            if (version is not null)
            {
                diagnostics.Error(DiagnosticCodes.InvalidAgent, method, $"[Agent] and [Version] on {owner} both name its span. Put [Version] on the prompt functions the agent calls, or remove one.");
                return null;
            }

            if (trace is not null && PropertyOf(trace, TraceProperties.Name) is not null)
            {
                diagnostics.Error(DiagnosticCodes.InvalidAgent, method, $"[Trace(Name = ...)] and [Agent] on {owner} both name its span (an agent's span is 'invoke_agent {{name}}'). Name the agent with [Agent(Name = ...)] and remove Name from [Trace].");
                return null;
            }

            var attributes = new List<string> { AgentKeys.OperationName, AgentKeys.InvokeAgent };
            var valid = true;
            string? Given(string property, string key)
            {
                var value = PropertyOf(agent, property);
                if (value is null)
                {
                    return null;
                }

                if (value.Trim().Length == 0)
                {
                    diagnostics.Error(DiagnosticCodes.InvalidAgent, method, $"[Agent({property} = \"{value}\")] on {owner} is empty. Give it text or leave it out.");
                    valid = false;
                    return null;
                }

                attributes.Add(key);
                attributes.Add(value);
                return value;
            }

            Given(AgentProperties.Provider, AgentKeys.ProviderName);
            var name = Given(AgentProperties.Name, AgentKeys.AgentName);
            if (name is null && valid)
            {
                name = MethodNames.TypeName(method.DeclaringType);
                attributes.Add(AgentKeys.AgentName);
                attributes.Add(name);
            }

            Given(AgentProperties.Id, AgentKeys.AgentId);
            Given(AgentProperties.Description, AgentKeys.AgentDescription);
            Given(AgentProperties.Version, AgentKeys.AgentVersion);
            return valid ? new AgentSettings(AgentKeys.SpanNamePrefix + name, attributes) : null;
        }

        private static string? PropertyOf(CustomAttribute attribute, string property)
        {
            foreach (var named in attribute.Properties)
            {
                if (named.Name == property)
                {
                    return named.Argument.Value as string;
                }
            }

            return null;
        }
    }
}
