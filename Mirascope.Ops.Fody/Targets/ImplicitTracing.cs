using System.Collections.Generic;
using Mirascope.Ops.Fody.Emit;
using Mirascope.Ops.Fody.Weavers;
using Mono.Cecil;

namespace Mirascope.Ops.Fody.Targets
{
    /// <summary>
    /// The rules for methods traced because their class or assembly is, not because they carry <c>[Trace]</c>.
    /// Each rule names why a method is left alone; the weaver reports the counts per reason.
    /// </summary>
    internal static class ImplicitTracing
    {
        private static readonly HashSet<string> ObjectOverrides = new HashSet<string> { "ToString", "Equals", "GetHashCode", "Finalize" };

        /// <summary>Why <paramref name="method"/> is not traced implicitly, or null when it is.</summary>
        /// <param name="method">The candidate.</param>
        /// <param name="assembly">Assembly-wide settings, or null when only a class-level [Trace] applies.</param>
        public static string? Exclusion(MethodDefinition method, AssemblyTracing? assembly)
        {
            var type = method.DeclaringType;
            if (IsCompilerGenerated(type) || method.Name.StartsWith("<", System.StringComparison.Ordinal) || Attributes.Has(method, "System.Runtime.CompilerServices.CompilerGeneratedAttribute"))
            {
                return "compiler-generated";
            }

            if (Attributes.Has(method, RuntimeTypeNames.NoTraceAttribute) || Attributes.Has(type, RuntimeTypeNames.NoTraceAttribute))
            {
                return "[NoTrace]";
            }

            if (method.IsAbstract || !method.HasBody)
            {
                return "abstract or extern";
            }

            if (method.IsConstructor)
            {
                return "constructor";
            }

            if (method.IsGetter || method.IsSetter || method.IsAddOn || method.IsRemoveOn || method.IsOther)
            {
                return "property or event accessor";
            }

            if (method.IsSpecialName && method.Name.StartsWith("op_", System.StringComparison.Ordinal))
            {
                return "operator";
            }

            if (method.IsVirtual && ObjectOverrides.Contains(method.Name))
            {
                // Called by collections, formatting and our own recorders: tracing them is noise and can recurse.
                return "object override (ToString, Equals, GetHashCode, Finalize)";
            }

            if (Attributes.Has(method, "System.Runtime.CompilerServices.ModuleInitializerAttribute"))
            {
                return "module initializer";
            }

            if (RuntimeAsync.IsRuntimeAsync(method) && !RuntimeAsync.IsWeavable(method))
            {
                // Only a rewriter's output looks like this (see RuntimeAsync.IsWeavable); explicit [Trace] is MOPS008.
                return "runtime-async of an unknown shape";
            }

            // A class-level [Trace] covers the public methods declared in the class, whatever the class's own accessibility.
            if (assembly is null ? !method.IsPublic : !IsVisible(method, assembly.Visibility))
            {
                return "below the visibility threshold";
            }

            if (assembly is not null)
            {
                if (!assembly.Covers(MethodNames.Namespace(type)))
                {
                    return "namespace filter";
                }

                if (!assembly.IncludeIterators && StateMachineShape.Of(method).Shape is MethodShape.Iterator or MethodShape.AsyncIterator)
                {
                    return "iterator (IncludeIterators is off)";
                }
            }

            return null;
        }

        private static bool IsVisible(MethodDefinition method, Visibility visibility)
        {
            if (visibility >= Visibility.All)
            {
                return true;
            }

            var internalToo = visibility >= Visibility.Internal;
            var methodVisible = method.IsPublic || (internalToo && (method.IsAssembly || method.IsFamilyOrAssembly));
            if (!methodVisible)
            {
                return false;
            }

            for (TypeDefinition? type = method.DeclaringType; type is not null; type = type.DeclaringType)
            {
                var typeVisible = type.IsPublic || type.IsNestedPublic || (internalToo && (type.IsNotPublic || type.IsNestedAssembly || type.IsNestedFamilyOrAssembly));
                if (!typeVisible)
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsCompilerGenerated(TypeDefinition? type)
        {
            for (; type is not null; type = type.DeclaringType)
            {
                if (type.Name.StartsWith("<", System.StringComparison.Ordinal) || Attributes.Has(type, "System.Runtime.CompilerServices.CompilerGeneratedAttribute"))
                {
                    return true;
                }
            }

            return false;
        }

    }
}
