using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Mirascope.Ops.Fody.Weavers
{
    /// <summary>
    /// Constructors are traced after their <c>base(...)</c> or <c>this(...)</c> call: before it the object does not
    /// exist yet and field initialisers run, so that part stays outside the span (and outside its try region, which
    /// the runtime forbids around the base call of a struct-less object anyway).
    /// </summary>
    internal static class Constructors
    {
        public static Instruction BodyStart(MethodDefinition method)
        {
            var instructions = method.Body.Instructions;
            if (!method.IsConstructor || method.IsStatic || method.DeclaringType.IsValueType)
            {
                return instructions[0];
            }

            var baseCall = instructions.FirstOrDefault(i =>
                i.OpCode == OpCodes.Call
                && i.Operand is MethodReference callee
                && callee.Name == ".ctor"
                && (TypeIdentity.Same(callee.DeclaringType, method.DeclaringType) || TypeIdentity.Same(callee.DeclaringType, method.DeclaringType.BaseType)));
            return baseCall?.Next ?? instructions[0];
        }
    }
}
