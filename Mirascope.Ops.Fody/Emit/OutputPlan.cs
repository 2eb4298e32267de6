using System.Collections.Generic;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Mirascope.Ops.Fody.Emit
{
    /// <summary>How a method's result reaches <c>mirascope.trace.output</c>.</summary>
    internal sealed class OutputPlan
    {
        private OutputPlan(TypeReference? recordedType, bool dereference, string? placeholder = null)
        {
            RecordedType = recordedType;
            Dereference = dereference;
            Placeholder = placeholder;
        }

        /// <summary>For a result that cannot leave the stack (a ref struct, a pointer): the text recorded instead.</summary>
        public string? Placeholder { get; }

        /// <summary>The type handed to <c>Complete&lt;T&gt;</c>, or null when the result is not recorded.</summary>
        public TypeReference? RecordedType { get; }

        /// <summary>A <c>ref</c> return: the value is read through the reference first.</summary>
        public bool Dereference { get; }

        public static OutputPlan For(TypeReference returnType)
        {
            if (returnType.MetadataType == MetadataType.Void)
            {
                return new OutputPlan(null, false);
            }

            if (returnType is ByReferenceType byReference)
            {
                var element = byReference.ElementType;
                return Recordable(element) ? new OutputPlan(element, true) : Unrecordable(element);
            }

            return Recordable(returnType) ? new OutputPlan(returnType, false) : Unrecordable(returnType);
        }

        /// <summary>Pushes the value to record from the result local (a copy through a <c>ref</c> return).</summary>
        public void LoadRecordedValue(List<Instruction> il, VariableDefinition result)
        {
            il.Add(Instruction.Create(OpCodes.Ldloc, result));
            if (Dereference)
            {
                il.Add(Instruction.Create(OpCodes.Ldobj, RecordedType));
            }
        }

        private static OutputPlan Unrecordable(TypeReference type) => new OutputPlan(null, false, "<" + CSharpTypeName.Format(type) + ">");

        private static bool Recordable(TypeReference type) =>
            !(type is PointerType) && !(type is FunctionPointerType) && !ArgumentPlan.IsByRefLike(type);
    }
}
