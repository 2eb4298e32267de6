using System;
using Mirascope.Ops.Fody.Targets;
using Mono.Cecil;

namespace Mirascope.Ops.Fody.Weavers
{
    /// <summary>
    /// Recognises a compiler-generated state machine without changing anything: which machine a method has, and the
    /// fields and methods the weavers look for in it. A weaver that does not find the shape it knows leaves the method
    /// alone (MOPS007); editing the machine is <see cref="StateMachine"/>'s.
    /// </summary>
    internal static class StateMachineShape
    {
        /// <summary>The method's shape and, for async methods and iterators, its compiler-generated state machine.</summary>
        public static (MethodShape Shape, TypeDefinition? StateMachine) Of(MethodDefinition method)
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

        public static FieldDefinition? FindField(TypeDefinition type, string name)
        {
            var fields = type.Fields;
            for (var i = 0; i < fields.Count; i++)
            {
                if (fields[i].Name == name)
                {
                    return fields[i];
                }
            }

            return null;
        }

        /// <summary>
        /// The machine's MoveNext (explicitly implemented or not): the first one, or with <paramref name="returnType"/>
        /// the first that returns it and has a body.
        /// </summary>
        public static MethodDefinition? FindMoveNext(TypeDefinition type, MetadataType? returnType)
        {
            var methods = type.Methods;
            for (var i = 0; i < methods.Count; i++)
            {
                var method = methods[i];
                if ((method.Name == "MoveNext" || method.Name.EndsWith(".MoveNext", StringComparison.Ordinal))
                    && (returnType is null || (method.ReturnType.MetadataType == returnType && method.HasBody)))
                {
                    return method;
                }
            }

            return null;
        }

        /// <summary>An iterator's Dispose (<c>System.IDisposable.Dispose</c>): the first parameterless one with a body.</summary>
        public static MethodDefinition? FindDispose(TypeDefinition type)
        {
            var methods = type.Methods;
            for (var i = 0; i < methods.Count; i++)
            {
                var method = methods[i];
                if (method.Name.EndsWith("Dispose", StringComparison.Ordinal) && method.HasBody && !method.HasParameters)
                {
                    return method;
                }
            }

            return null;
        }
    }
}
