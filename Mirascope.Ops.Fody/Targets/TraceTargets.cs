using System.Collections.Generic;
using System.Linq;
using Mirascope.Ops.Fody.Diagnostics;
using Mirascope.Ops.Fody.Emit;
using Mirascope.Ops.Fody.Weavers;
using Mono.Cecil;

namespace Mirascope.Ops.Fody.Targets
{
    /// <summary>
    /// Finds the methods to weave: those marked <c>[Trace]</c>, and — by the rules of <see cref="ImplicitTracing"/> —
    /// the methods of classes marked <c>[Trace]</c> and, with assembly-wide tracing, of the whole assembly.
    /// Methods that cannot be woven are reported as located build errors and skipped.
    /// </summary>
    internal static class TraceTargets
    {
        public static List<TraceTarget> Find(ModuleDefinition module, WeaverOptions options, BuildErrors diagnostics, WeavingReport report)
        {
            var assembly = AssemblyTracing.Read(module, options);
            var targets = new List<TraceTarget>();

            // The levels of [Trace] that apply to one method, outermost first (reused: the settings keep none of it).
            var attributes = new List<CustomAttribute>(3);
            foreach (var type in module.GetTypes().ToList())
            {
                var classAttribute = Attributes.Find(type, RuntimeTypeNames.TraceAttribute);

                // Reported once, at the class: the option is wrong there, not in each of its methods.
                var misplacedOnClass = AssemblyOnlyOption(classAttribute);
                if (misplacedOnClass is not null)
                {
                    diagnostics.Error(DiagnosticCodes.AssemblyOnlyOption, type, AssemblyOnlyMessage(misplacedOnClass, $"the class '{MethodNames.TypeName(type)}'"));
                }

                var methods = type.Methods;
                for (var m = 0; m < methods.Count; m++)
                {
                    var method = methods[m];
                    var versionAttribute = Attributes.Find(method, RuntimeTypeNames.VersionAttribute);
                    var traceAttribute = Attributes.Find(method, RuntimeTypeNames.TraceAttribute);
                    var methodAttribute = traceAttribute ?? versionAttribute;

                    // [Agent] traces its method like [Trace]; it is not one of the layered [Trace] levels (its Name
                    // names the agent, not the span).
                    var agentAttribute = Attributes.Find(method, RuntimeTypeNames.AgentAttribute);
                    if (methodAttribute is null && agentAttribute is null && classAttribute is null && assembly is null)
                    {
                        continue;
                    }

                    if (methodAttribute is null && agentAttribute is null)
                    {
                        var exclusion = ImplicitTracing.Exclusion(method, classAttribute is null ? assembly : null);
                        if (exclusion is not null)
                        {
                            report.Skipped(exclusion);
                            continue;
                        }
                    }

                    attributes.Clear();
                    if (assembly?.Attribute is not null)
                    {
                        attributes.Add(assembly.Attribute);
                    }

                    if (classAttribute is not null)
                    {
                        attributes.Add(classAttribute);
                    }

                    if (methodAttribute is not null)
                    {
                        attributes.Add(methodAttribute);
                    }

                    if (versionAttribute is not null && versionAttribute != methodAttribute)
                    {
                        attributes.Add(versionAttribute);
                    }

                    var misplaced = AssemblyOnlyOption(methodAttribute);
                    if (misplaced is not null)
                    {
                        diagnostics.Error(DiagnosticCodes.AssemblyOnlyOption, method, AssemblyOnlyMessage(misplaced, TraceSettingsReader.Describe(method)));
                        continue;
                    }

                    if (misplacedOnClass is not null)
                    {
                        continue;
                    }

                    AgentSettings? agent = null;
                    if (agentAttribute is not null)
                    {
                        agent = AgentSettings.Read(method, agentAttribute, traceAttribute, versionAttribute, diagnostics);
                        if (agent is null)
                        {
                            continue;
                        }
                    }

                    var target = Create(method, attributes, versionAttribute, agent, diagnostics);
                    if (target is not null)
                    {
                        targets.Add(target);
                    }
                }
            }

            return targets;
        }

        /// <summary>The first property of <paramref name="attribute"/> that only <c>[assembly: Trace]</c> may set (MOPS010), or null.</summary>
        private static string? AssemblyOnlyOption(CustomAttribute? attribute)
        {
            if (attribute is null || !attribute.HasProperties)
            {
                return null;
            }

            foreach (var property in attribute.Properties)
            {
                if (AssemblyOptions.IsAssemblyOnly(property.Name))
                {
                    return property.Name;
                }
            }

            return null;
        }

        private static string AssemblyOnlyMessage(string property, string owner) =>
            $"[Trace({property} = ...)] on {owner} has no effect: {property} applies to [assembly: Trace] only. Move it there or to FodyWeavers.xml.";

        private static TraceTarget? Create(MethodDefinition method, List<CustomAttribute> attributes, CustomAttribute? versionAttribute, AgentSettings? agent, BuildErrors diagnostics)
        {
            if (method.IsPInvokeImpl || method.IsInternalCall || method.IsRuntime || (method.ImplAttributes & MethodImplAttributes.CodeTypeMask) != MethodImplAttributes.IL)
            {
                diagnostics.Error(DiagnosticCodes.Extern, method, $"[Trace] cannot be applied to the extern method {TraceSettingsReader.Describe(method)}: it has no body to trace. Trace the method that calls it.");
                return null;
            }

            if (method.IsAbstract || !method.HasBody)
            {
                diagnostics.Error(
                    DiagnosticCodes.NoBody,
                    method,
                    $"[Trace] cannot be applied to {TraceSettingsReader.Describe(method)}: it is abstract or an interface method without a body. Put [Trace] on the implementations.");
                return null;
            }

            var runtimeAsync = RuntimeAsync.IsRuntimeAsync(method);
            if (runtimeAsync && !RuntimeAsync.IsWeavable(method))
            {
                diagnostics.Error(
                    DiagnosticCodes.RuntimeAsync,
                    method,
                    $"[Trace] cannot weave {TraceSettingsReader.Describe(method)}: it is marked runtime-async (MethodImplAttributes.Async) but {(RuntimeAsync.ReturnedType(method) is null ? "does not return Task, Task<T>, ValueTask or ValueTask<T>" : "also has a compiler state machine")}, a shape no compiler emits, so what its body returns is unknown.");
                return null;
            }

            if (method.IsConstructor && method.IsStatic)
            {
                diagnostics.Error(
                    DiagnosticCodes.UnsupportedShape,
                    method,
                    $"[Trace] cannot be applied to the static constructor of '{MethodNames.TypeName(method.DeclaringType)}': the runtime decides when it runs. Trace the code it calls.");
                return null;
            }

            var settings = TraceSettingsReader.Read(method, attributes, diagnostics);
            if (settings is null)
            {
                return null;
            }

            var (shape, stateMachine) = runtimeAsync ? (MethodShape.RuntimeAsync, null) : StateMachineShape.Of(method);
            return new TraceTarget(method, shape, stateMachine, settings, versionAttribute, agent);
        }
    }
}
