using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;

namespace Mirascope.Ops.Fody
{
    /// <summary>
    /// Finds the methods to weave: those marked <c>[Trace]</c>, and the public methods of classes marked
    /// <c>[Trace]</c> (not accessors, constructors or compiler-generated members; <c>[NoTrace]</c> opts out).
    /// Methods that cannot be woven are reported as located build errors and skipped.
    /// </summary>
    internal static class TraceTargets
    {
        private const int RuntimeAsyncFlag = 0x2000;

        public static List<TraceTarget> Find(ModuleDefinition module, WeaverOptions options, RuntimeReferences runtime, Diagnostics diagnostics)
        {
            var targets = new List<TraceTarget>();
            foreach (var type in module.GetTypes().ToList())
            {
                var classAttribute = FindAttribute(type.CustomAttributes, RuntimeReferences.TraceAttributeName);
                foreach (var method in type.Methods.ToList())
                {
                    var methodAttribute = FindAttribute(method.CustomAttributes, RuntimeReferences.TraceAttributeName);
                    var attributes = new List<CustomAttribute>();
                    if (methodAttribute is not null)
                    {
                        if (classAttribute is not null)
                        {
                            attributes.Add(classAttribute);
                        }

                        attributes.Add(methodAttribute);
                    }
                    else if (classAttribute is not null && IsTracedByClass(method))
                    {
                        attributes.Add(classAttribute);
                    }
                    else
                    {
                        continue;
                    }

                    var target = Create(method, attributes, diagnostics);
                    if (target is not null)
                    {
                        targets.Add(target);
                    }
                }
            }

            return targets;
        }

        private static bool IsTracedByClass(MethodDefinition method) =>
            method.IsPublic
            && !method.IsConstructor
            && !method.IsGetter && !method.IsSetter && !method.IsAddOn && !method.IsRemoveOn
            && !method.IsAbstract
            && method.HasBody
            && !method.Name.StartsWith("<", System.StringComparison.Ordinal)
            && !HasAttribute(method.CustomAttributes, "System.Runtime.CompilerServices.CompilerGeneratedAttribute")
            && !HasAttribute(method.CustomAttributes, RuntimeReferences.NoTraceAttributeName);

        private static TraceTarget? Create(MethodDefinition method, List<CustomAttribute> attributes, Diagnostics diagnostics)
        {
            var description = TraceSettingsReader.Describe(method);
            if (method.IsPInvokeImpl || method.IsInternalCall || method.IsRuntime || (method.ImplAttributes & MethodImplAttributes.CodeTypeMask) != MethodImplAttributes.IL)
            {
                diagnostics.Error(DiagnosticCodes.Extern, method, $"[Trace] cannot be applied to the extern method {description}: it has no body to trace. Trace the method that calls it.");
                return null;
            }

            if (method.IsAbstract || !method.HasBody)
            {
                diagnostics.Error(
                    DiagnosticCodes.NoBody,
                    method,
                    $"[Trace] cannot be applied to {description}: it is abstract or an interface method without a body. Put [Trace] on the implementations.");
                return null;
            }

            if (((int)method.ImplAttributes & RuntimeAsyncFlag) != 0)
            {
                diagnostics.Error(
                    DiagnosticCodes.RuntimeAsync,
                    method,
                    $"[Trace] cannot be applied to {description}: it is compiled as a runtime-async method (no state machine). Build it without 'runtime-async' to trace it.");
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

            var (shape, stateMachine) = StateMachineOf(method);
            return new TraceTarget(method, shape, stateMachine, settings);
        }

        private static (MethodShape Shape, TypeDefinition? StateMachine) StateMachineOf(MethodDefinition method)
        {
            foreach (var attribute in method.CustomAttributes)
            {
                var shape = attribute.AttributeType.FullName switch
                {
                    "System.Runtime.CompilerServices.AsyncStateMachineAttribute" => MethodShape.Async,
                    "System.Runtime.CompilerServices.IteratorStateMachineAttribute" => MethodShape.Iterator,
                    "System.Runtime.CompilerServices.AsyncIteratorStateMachineAttribute" => MethodShape.AsyncIterator,
                    _ => (MethodShape?)null,
                };
                if (shape is not null && attribute.ConstructorArguments.Count == 1 && attribute.ConstructorArguments[0].Value is TypeReference type)
                {
                    return (shape.Value, type.Resolve());
                }
            }

            return (MethodShape.Sync, null);
        }

        private static CustomAttribute? FindAttribute(IEnumerable<CustomAttribute> attributes, string fullName) =>
            attributes.FirstOrDefault(a => a.AttributeType.FullName == fullName);

        private static bool HasAttribute(IEnumerable<CustomAttribute> attributes, string fullName) => FindAttribute(attributes, fullName) is not null;
    }
}
