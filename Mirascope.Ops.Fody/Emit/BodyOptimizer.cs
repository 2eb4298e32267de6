using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Collections.Generic;

namespace Mirascope.Ops.Fody.Emit
{
    /// <summary>
    /// Brackets the edits of a woven body: <see cref="LongBranches"/> before the first, <see cref="Finish"/> once after the
    /// last. Finish gives each long instruction the short form Cecil's <c>OptimizeMacros</c> picks (same macros, same
    /// branches, in the same order), but Cecil recomputes every offset after each branch it shortens, which is
    /// quadratic in a state machine's MoveNext; here offsets are computed once and carried along as branches shrink.
    /// </summary>
    internal static class BodyOptimizer
    {
        private static readonly OpCode[] LdargMacros = { OpCodes.Ldarg_0, OpCodes.Ldarg_1, OpCodes.Ldarg_2, OpCodes.Ldarg_3 };
        private static readonly OpCode[] LdlocMacros = { OpCodes.Ldloc_0, OpCodes.Ldloc_1, OpCodes.Ldloc_2, OpCodes.Ldloc_3 };
        private static readonly OpCode[] StlocMacros = { OpCodes.Stloc_0, OpCodes.Stloc_1, OpCodes.Stloc_2, OpCodes.Stloc_3 };

        /// <summary>
        /// Makes every branch long, so that code inserted between a branch and its target cannot put the target out of
        /// a short branch's reach. The rest of the body keeps its forms: a compiler's short forms are already the
        /// shortest (expanding them all, as Cecil's <c>SimplifyMacros</c> does, only boxes constants and creates the
        /// <c>this</c> parameter, for <see cref="Finish"/> to fold them back).
        /// </summary>
        public static void LongBranches(MethodBody body)
        {
            var instructions = body.Instructions;
            for (var i = 0; i < instructions.Count; i++)
            {
                var instruction = instructions[i];
                if (instruction.OpCode.OperandType == OperandType.ShortInlineBrTarget)
                {
                    instruction.OpCode = LongBranch(instruction.OpCode.Code);
                }
            }
        }

        /// <param name="method">A method whose body had <see cref="LongBranches"/> applied before it was edited.</param>
        public static void Finish(MethodDefinition method)
        {
            var body = method.Body;
            OptimizeMacros(body);
            OptimizeBranches(body.Instructions);
            if (method.DebugInformation.HasSequencePoints)
            {
                DebugInfo.Sort(method);
            }
        }

        private static void OptimizeMacros(MethodBody body)
        {
            var instructions = body.Instructions;
            for (var i = 0; i < instructions.Count; i++)
            {
                var instruction = instructions[i];
                switch (instruction.OpCode.Code)
                {
                    case Code.Ldarg:
                        Shorten(instruction, ArgumentIndex(body, (ParameterDefinition)instruction.Operand), LdargMacros, OpCodes.Ldarg_S);
                        break;
                    case Code.Ldarga:
                        Shorten(instruction, ArgumentIndex(body, (ParameterDefinition)instruction.Operand), null, OpCodes.Ldarga_S);
                        break;
                    case Code.Ldloc:
                        Shorten(instruction, ((VariableDefinition)instruction.Operand).Index, LdlocMacros, OpCodes.Ldloc_S);
                        break;
                    case Code.Stloc:
                        Shorten(instruction, ((VariableDefinition)instruction.Operand).Index, StlocMacros, OpCodes.Stloc_S);
                        break;
                    case Code.Ldloca:
                        Shorten(instruction, ((VariableDefinition)instruction.Operand).Index, null, OpCodes.Ldloca_S);
                        break;
                    case Code.Ldc_I4:
                        OptimizeConstant(instruction, (int)instruction.Operand);
                        break;
                }
            }
        }

        /// <summary>
        /// An argument or local access in its shortest form: the operand-less macro for slots 0-3 where there is one,
        /// else the one-byte-operand form for slots below 256.
        /// </summary>
        private static void Shorten(Instruction instruction, int slot, OpCode[]? macros, OpCode shortForm)
        {
            if (macros is not null && slot >= 0 && slot < macros.Length)
            {
                Macro(instruction, macros[slot]);
            }
            else if (slot < 256)
            {
                instruction.OpCode = shortForm;
            }
        }

        /// <summary>The argument's slot as IL numbers it: <c>this</c> is 0 in an instance method.</summary>
        private static int ArgumentIndex(MethodBody body, ParameterDefinition parameter)
        {
            var index = parameter.Index;
            if (index == -1 && parameter == body.ThisParameter)
            {
                return 0;
            }

            return body.Method.HasThis ? index + 1 : index;
        }

        private static void OptimizeConstant(Instruction instruction, int value)
        {
            if (value >= -1 && value <= 8)
            {
                Macro(instruction, value switch
                {
                    -1 => OpCodes.Ldc_I4_M1,
                    0 => OpCodes.Ldc_I4_0,
                    1 => OpCodes.Ldc_I4_1,
                    2 => OpCodes.Ldc_I4_2,
                    3 => OpCodes.Ldc_I4_3,
                    4 => OpCodes.Ldc_I4_4,
                    5 => OpCodes.Ldc_I4_5,
                    6 => OpCodes.Ldc_I4_6,
                    7 => OpCodes.Ldc_I4_7,
                    _ => OpCodes.Ldc_I4_8,
                });
            }
            else if (value >= -128 && value < 128)
            {
                instruction.OpCode = OpCodes.Ldc_I4_S;
                instruction.Operand = (sbyte)value;
            }
        }

        private static void Macro(Instruction instruction, OpCode opCode)
        {
            instruction.OpCode = opCode;
            instruction.Operand = null;
        }

        /// <summary>
        /// Shortens, in IL order, each branch whose target is within reach while the branch itself is still long
        /// (Cecil's rule). Offsets are computed once with every branch long; walking forward, an instruction's offset
        /// is corrected by what the branches before it saved, so a backward target already holds its final offset and
        /// a forward one is its long-form offset minus the saving so far. Every offset is final at the end.
        /// </summary>
        private static void OptimizeBranches(Collection<Instruction> instructions)
        {
            var offset = 0;
            for (var i = 0; i < instructions.Count; i++)
            {
                var instruction = instructions[i];
                instruction.Offset = offset;
                offset += instruction.GetSize();
            }

            var saved = 0;
            for (var i = 0; i < instructions.Count; i++)
            {
                var instruction = instructions[i];
                instruction.Offset -= saved;
                if (instruction.OpCode.OperandType != OperandType.InlineBrTarget)
                {
                    continue;
                }

                var target = (Instruction)instruction.Operand;
                var targetOffset = target.Offset <= instruction.Offset ? target.Offset : target.Offset - saved;
                var distance = targetOffset - (instruction.Offset + instruction.OpCode.Size + 4);
                if (distance < -128 || distance > 127)
                {
                    continue;
                }

                instruction.OpCode = ShortBranch(instruction.OpCode.Code);
                saved += 3;
            }
        }

        private static OpCode LongBranch(Code code) => code switch
        {
            Code.Br_S => OpCodes.Br,
            Code.Brfalse_S => OpCodes.Brfalse,
            Code.Brtrue_S => OpCodes.Brtrue,
            Code.Beq_S => OpCodes.Beq,
            Code.Bge_S => OpCodes.Bge,
            Code.Bgt_S => OpCodes.Bgt,
            Code.Ble_S => OpCodes.Ble,
            Code.Blt_S => OpCodes.Blt,
            Code.Bne_Un_S => OpCodes.Bne_Un,
            Code.Bge_Un_S => OpCodes.Bge_Un,
            Code.Bgt_Un_S => OpCodes.Bgt_Un,
            Code.Ble_Un_S => OpCodes.Ble_Un,
            Code.Blt_Un_S => OpCodes.Blt_Un,
            _ => OpCodes.Leave,
        };

        private static OpCode ShortBranch(Code code) => code switch
        {
            Code.Br => OpCodes.Br_S,
            Code.Brfalse => OpCodes.Brfalse_S,
            Code.Brtrue => OpCodes.Brtrue_S,
            Code.Beq => OpCodes.Beq_S,
            Code.Bge => OpCodes.Bge_S,
            Code.Bgt => OpCodes.Bgt_S,
            Code.Ble => OpCodes.Ble_S,
            Code.Blt => OpCodes.Blt_S,
            Code.Bne_Un => OpCodes.Bne_Un_S,
            Code.Bge_Un => OpCodes.Bge_Un_S,
            Code.Bgt_Un => OpCodes.Bgt_Un_S,
            Code.Ble_Un => OpCodes.Ble_Un_S,
            Code.Blt_Un => OpCodes.Blt_Un_S,
            _ => OpCodes.Leave_S,
        };
    }
}
