using System.Collections.Generic;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Mirascope.Ops.Fody.Emit
{
    /// <summary>Where a woven method keeps its <c>TraceScope</c>: a local, or a field of its state machine.</summary>
    internal abstract class ScopeSlot
    {
        /// <summary>Appends the instructions that push the scope's address.</summary>
        public abstract void LoadAddress(List<Instruction> il);

        public static ScopeSlot Local(VariableDefinition variable) => new LocalSlot(variable);

        public static ScopeSlot Field(FieldReference field) => new FieldSlot(field);

        private sealed class LocalSlot : ScopeSlot
        {
            private readonly VariableDefinition _variable;

            public LocalSlot(VariableDefinition variable) => _variable = variable;

            public override void LoadAddress(List<Instruction> il) => il.Add(Instruction.Create(OpCodes.Ldloca, _variable));
        }

        private sealed class FieldSlot : ScopeSlot
        {
            private readonly FieldReference _field;

            public FieldSlot(FieldReference field) => _field = field;

            public override void LoadAddress(List<Instruction> il)
            {
                il.Add(Instruction.Create(OpCodes.Ldarg_0));
                il.Add(Instruction.Create(OpCodes.Ldflda, _field));
            }
        }
    }
}
