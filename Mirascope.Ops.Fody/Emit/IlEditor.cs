using System;
using System.Collections.Generic;
using Mono.Cecil.Cil;
using Mono.Collections.Generic;

namespace Mirascope.Ops.Fody.Emit
{
    /// <summary>Inserts snippets into a method body without disturbing branches, handlers or sequence points.</summary>
    internal static class IlEditor
    {
        /// <summary>
        /// Makes room for <paramref name="extra"/> more instructions at once, for a weave that knows what it will add:
        /// Cecil's collection otherwise doubles its array as the instructions go in, one copy per doubling.
        /// </summary>
        public static void Reserve(MethodBody body, int extra)
        {
            var instructions = body.Instructions;
            var needed = instructions.Count + extra;
            if (instructions.Capacity < needed)
            {
                instructions.Capacity = needed;
            }
        }

        /// <summary>Inserts before <paramref name="target"/>; branches to it keep skipping the snippet.</summary>
        public static void InsertBefore(MethodBody body, Instruction target, IReadOnlyList<Instruction> snippet) =>
            InsertAt(body.Instructions, body.Instructions.IndexOf(target), snippet, 0, 0);

        /// <summary>
        /// Inserts so that the snippet runs whenever <paramref name="target"/> would: the target instruction object
        /// becomes the snippet's first instruction (so branches, handler bounds and sequence points that named it now
        /// reach the snippet) and a copy of the original instruction follows the snippet.
        /// </summary>
        public static void InsertOnPathTo(MethodBody body, Instruction target, IReadOnlyList<Instruction> snippet) =>
            InsertOnPathTo(body.Instructions, body.Instructions.IndexOf(target), snippet);

        /// <summary>
        /// <see cref="InsertOnPathTo(MethodBody, Instruction, IReadOnlyList{Instruction})"/> before every <c>ret</c>,
        /// with a fresh snippet each (an instruction object can appear only once in a body).
        /// </summary>
        /// <param name="body">The body to edit.</param>
        /// <param name="snippet">Appends the snippet's instructions to the list it is given.</param>
        public static void BeforeEachReturn(MethodBody body, Action<List<Instruction>> snippet)
        {
            var instructions = body.Instructions;
            List<Instruction>? il = null;

            // Backwards: what is inserted after index i leaves the instructions before it where they are.
            for (var i = instructions.Count - 1; i >= 0; i--)
            {
                if (instructions[i].OpCode.Code == Code.Ret)
                {
                    il ??= new List<Instruction>(8);
                    il.Clear();
                    snippet(il);
                    InsertOnPathTo(instructions, i, il);
                }
            }
        }

        public static void InsertAfter(MethodBody body, Instruction anchor, IReadOnlyList<Instruction> snippet) =>
            InsertAt(body.Instructions, body.Instructions.IndexOf(anchor) + 1, snippet, 0, 0);

        public static void Append(MethodBody body, IReadOnlyList<Instruction> snippet) =>
            InsertAt(body.Instructions, body.Instructions.Count, snippet, 0, 0);

        private static void InsertOnPathTo(Collection<Instruction> instructions, int index, IReadOnlyList<Instruction> snippet)
        {
            if (snippet.Count == 0)
            {
                return;
            }

            var target = instructions[index];
            var original = Instruction.Create(OpCodes.Nop);
            original.OpCode = target.OpCode;
            original.Operand = target.Operand;
            target.OpCode = snippet[0].OpCode;
            target.Operand = snippet[0].Operand;
            InsertAt(instructions, index + 1, snippet, 1, 1);
            instructions.Insert(index + snippet.Count, original);
        }

        /// <summary>
        /// Inserts <c>snippet[from..]</c> at <paramref name="index"/>, growing Cecil's array at most once (with room for
        /// <paramref name="more"/> instructions the caller adds next).
        /// </summary>
        private static void InsertAt(Collection<Instruction> instructions, int index, IReadOnlyList<Instruction> snippet, int from, int more)
        {
            var count = snippet.Count - from;
            var needed = instructions.Count + count + more;
            if (instructions.Capacity < needed)
            {
                instructions.Capacity = Math.Max(needed, instructions.Capacity * 2);
            }

            for (var i = 0; i < count; i++)
            {
                instructions.Insert(index + i, snippet[from + i]);
            }
        }
    }
}
