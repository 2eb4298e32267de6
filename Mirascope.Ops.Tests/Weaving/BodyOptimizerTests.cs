using System;
using System.Collections.Generic;
using System.Linq;
using Mirascope.Ops.Fody;
using Mirascope.Ops.Fody.Emit;
using Mirascope.Ops.Tests.Infrastructure;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;
using Xunit;

namespace Mirascope.Ops.Tests.Weaving
{
    /// <summary>
    /// The weaver restores short forms with its own single-pass <see cref="BodyOptimizer"/> instead of Cecil's
    /// <c>OptimizeMacros</c> (which recomputes every offset after each branch it shortens). The woven IL must not
    /// change because of it: on real bodies and on bodies built so that branches sit at the edge of a short branch's
    /// reach, both pick the same form for every instruction and leave the same offsets.
    /// </summary>
    public class BodyOptimizerTests
    {
        [Fact]
        public void Same_forms_and_offsets_as_Cecil_on_every_body_of_the_runtime_and_the_test_assembly()
        {
            var paths = new[] { typeof(TraceAttribute).Assembly.Location, WovenAssembly.Get("Release").OriginalPath, WovenAssembly.Get("Debug").OriginalPath };
            var compared = 0;
            foreach (var path in paths)
            {
                using var module = ModuleDefinition.ReadModule(path);
                foreach (var method in module.GetTypes().SelectMany(t => t.Methods).Where(m => m.HasBody))
                {
                    AssertSameAsCecil(method);
                    compared++;
                }
            }

            Assert.True(compared > 500, $"only {compared} bodies compared");
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        [InlineData(4)]
        [InlineData(5)]
        [InlineData(6)]
        [InlineData(7)]
        [InlineData(8)]
        public void Same_forms_and_offsets_as_Cecil_where_branches_sit_at_the_edge_of_reach(int seed)
        {
            using var module = ModuleDefinition.CreateModule("Synthetic", ModuleKind.Dll);
            var random = new Random(seed);
            var type = new TypeDefinition("Synthetic", "Bodies", TypeAttributes.Public | TypeAttributes.Class, module.TypeSystem.Object);
            module.Types.Add(type);
            var method = new MethodDefinition("Branchy", MethodAttributes.Public | (seed % 2 == 0 ? MethodAttributes.Static : 0), module.TypeSystem.Void);
            type.Methods.Add(method);
            for (var p = 0; p < 260; p++)
            {
                method.Parameters.Add(new ParameterDefinition("p" + p, ParameterAttributes.None, module.TypeSystem.Int32));
            }

            var body = method.Body;
            for (var v = 0; v < 300; v++)
            {
                body.Variables.Add(new VariableDefinition(module.TypeSystem.Int32));
            }

            // Mostly one-byte instructions, some five-byte ones, and about one branch in six: forward and backward
            // distances land on both sides of -128..127 and move as earlier branches shrink.
            var instructions = body.Instructions;
            var count = 400 + random.Next(400);
            for (var i = 0; i < count; i++)
            {
                instructions.Add(random.Next(10) switch
                {
                    0 => Instruction.Create(OpCodes.Ldc_I4, random.Next(-300, 300)),
                    1 => Instruction.Create(OpCodes.Ldarg, random.Next(4) == 0 && method.HasThis ? body.ThisParameter : method.Parameters[random.Next(method.Parameters.Count)]),
                    2 => Instruction.Create(OpCodes.Ldloc, body.Variables[random.Next(body.Variables.Count)]),
                    3 => Instruction.Create(OpCodes.Stloc, body.Variables[random.Next(body.Variables.Count)]),
                    4 => Instruction.Create(OpCodes.Ldloca, body.Variables[random.Next(body.Variables.Count)]),
                    5 => Instruction.Create(OpCodes.Ldarga, method.Parameters[random.Next(method.Parameters.Count)]),
                    _ => Instruction.Create(OpCodes.Nop),
                });
            }

            instructions.Add(Instruction.Create(OpCodes.Ret));
            var branches = new[] { OpCodes.Br, OpCodes.Brtrue, OpCodes.Brfalse, OpCodes.Beq, OpCodes.Blt_Un, OpCodes.Leave };
            for (var b = count / 6; b > 0; b--)
            {
                var at = random.Next(instructions.Count);
                var reach = random.Next(60, 200);
                var target = Math.Clamp(at + (random.Next(2) == 0 ? reach : -reach), 0, instructions.Count - 1);
                instructions.Insert(at, Instruction.Create(branches[random.Next(branches.Length)], instructions[target]));
            }

            AssertSameAsCecil(method);
            Assert.Contains(instructions, i => i.OpCode.OperandType == OperandType.ShortInlineBrTarget);
            Assert.Contains(instructions, i => i.OpCode.OperandType == OperandType.InlineBrTarget);
        }

        /// <summary>Simplifies the body, optimizes it with Cecil, puts the simplified body back, optimizes it with ours, and compares.</summary>
        private static void AssertSameAsCecil(MethodDefinition method)
        {
            var body = method.Body;
            body.SimplifyMacros();
            var simplified = body.Instructions.Select(i => (i.OpCode, i.Operand)).ToList();

            body.OptimizeMacros();
            var cecil = Listing(body);

            for (var i = 0; i < simplified.Count; i++)
            {
                body.Instructions[i].OpCode = simplified[i].OpCode;
                body.Instructions[i].Operand = simplified[i].Operand;
                body.Instructions[i].Offset = -1;
            }

            BodyOptimizer.Finish(method);
            Assert.Equal(cecil, Listing(body));
        }

        // Offset, opcode and operand (a branch shows its target's offset).
        private static List<string> Listing(MethodBody body) => body.Instructions.Select(i => i.ToString()).ToList();
    }
}
