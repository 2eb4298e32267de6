using System.Collections.Generic;
using Mono.Cecil.Cil;

namespace Mirascope.Ops.Fody
{
    /// <summary>Inserts snippets into a method body without disturbing branches, handlers or sequence points.</summary>
    internal static class IlEditor
    {
        /// <summary>Inserts before <paramref name="target"/>; branches to it keep skipping the snippet.</summary>
        public static void InsertBefore(MethodBody body, Instruction target, IReadOnlyList<Instruction> snippet)
        {
            var index = body.Instructions.IndexOf(target);
            for (var i = 0; i < snippet.Count; i++)
            {
                body.Instructions.Insert(index + i, snippet[i]);
            }
        }

        /// <summary>
        /// Inserts so that the snippet runs whenever <paramref name="target"/> would: the target instruction object
        /// becomes the snippet's first instruction (so branches, handler bounds and sequence points that named it now
        /// reach the snippet) and a copy of the original instruction follows the snippet.
        /// </summary>
        public static void InsertOnPathTo(MethodBody body, Instruction target, IReadOnlyList<Instruction> snippet)
        {
            if (snippet.Count == 0)
            {
                return;
            }

            var original = Instruction.Create(OpCodes.Nop);
            original.OpCode = target.OpCode;
            original.Operand = target.Operand;
            target.OpCode = snippet[0].OpCode;
            target.Operand = snippet[0].Operand;
            var index = body.Instructions.IndexOf(target);
            for (var i = 1; i < snippet.Count; i++)
            {
                body.Instructions.Insert(index + i, snippet[i]);
            }

            body.Instructions.Insert(index + snippet.Count, original);
        }

        public static void InsertAfter(MethodBody body, Instruction anchor, IReadOnlyList<Instruction> snippet)
        {
            var index = body.Instructions.IndexOf(anchor) + 1;
            for (var i = 0; i < snippet.Count; i++)
            {
                body.Instructions.Insert(index + i, snippet[i]);
            }
        }

        public static void Append(MethodBody body, IEnumerable<Instruction> snippet)
        {
            foreach (var instruction in snippet)
            {
                body.Instructions.Add(instruction);
            }
        }
    }
}
