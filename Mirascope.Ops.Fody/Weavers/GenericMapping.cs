using Mono.Cecil;

namespace Mirascope.Ops.Fody.Weavers
{
    /// <summary>
    /// Translates a type seen from a method into the same type seen from inside its state machine. The compiler
    /// gives the machine its own generic parameters: first the declaring types', then the method's.
    /// </summary>
    internal static class GenericMapping
    {
        public static TypeReference ToStateMachine(TypeReference type, MethodDefinition method, TypeDefinition machine)
        {
            switch (type)
            {
                case GenericParameter parameter when parameter.Type == GenericParameterType.Method:
                    return machine.GenericParameters[TypeGenericCount(method) + parameter.Position];
                case GenericParameter parameter:
                    return machine.GenericParameters[parameter.Position];
                case GenericInstanceType generic:
                    var instance = new GenericInstanceType(generic.ElementType);
                    foreach (var argument in generic.GenericArguments)
                    {
                        instance.GenericArguments.Add(ToStateMachine(argument, method, machine));
                    }

                    return instance;
                case ArrayType array:
                    return new ArrayType(ToStateMachine(array.ElementType, method, machine), array.Rank);
                case ByReferenceType byReference:
                    return new ByReferenceType(ToStateMachine(byReference.ElementType, method, machine));
                case PointerType pointer:
                    return new PointerType(ToStateMachine(pointer.ElementType, method, machine));
                case RequiredModifierType required:
                    return ToStateMachine(required.ElementType, method, machine);
                case OptionalModifierType optional:
                    return ToStateMachine(optional.ElementType, method, machine);
                default:
                    return type;
            }
        }

        private static int TypeGenericCount(MethodDefinition method) => method.DeclaringType.GenericParameters.Count;
    }
}
