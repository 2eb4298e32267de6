using System;
using System.Collections.Generic;
using Mirascope.Ops.Fody.Emit;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Mirascope.Ops.Fody.Weavers
{
    /// <summary>
    /// Where an async state machine completes: the calls in MoveNext to <c>SetResult</c> and <c>SetException</c> on its
    /// builder (an async method) or its promise (an async iterator). Both async weavers end the span there, the same
    /// way for SetException (<c>TraceScope.Fail(e, ref scope)</c>, the exception kept for the call) and each its own
    /// way for SetResult.
    /// </summary>
    internal sealed class AsyncCompletions
    {
        private AsyncCompletions(MethodDefinition moveNext, List<Instruction> setResults, List<Instruction> setExceptions)
        {
            MoveNext = moveNext;
            SetResults = setResults;
            SetExceptions = setExceptions;
        }

        public MethodDefinition MoveNext { get; }

        /// <summary>The SetResult calls, in IL order.</summary>
        public IReadOnlyList<Instruction> SetResults { get; }

        /// <summary>The SetException calls, in IL order.</summary>
        public IReadOnlyList<Instruction> SetExceptions { get; }

        /// <summary>
        /// The completions of <paramref name="moveNext"/> on the type of <paramref name="completion"/>, the field the
        /// compiler completes through; null when MoveNext has no body to look in.
        /// </summary>
        public static AsyncCompletions? Find(MethodDefinition? moveNext, FieldDefinition? completion)
        {
            if (moveNext is null || !moveNext.HasBody || completion is null)
            {
                return null;
            }

            var setResults = new List<Instruction>(1);
            var setExceptions = new List<Instruction>(1);
            var instructions = moveNext.Body.Instructions;
            for (var i = 0; i < instructions.Count; i++)
            {
                var instruction = instructions[i];
                if (instruction.OpCode.Code != Code.Call || !(instruction.Operand is MethodReference callee))
                {
                    continue;
                }

                var list = callee.Name == "SetResult" ? setResults : callee.Name == "SetException" ? setExceptions : null;
                if (list is not null && TypeIdentity.Same(callee.DeclaringType, completion.FieldType))
                {
                    list.Add(instruction);
                }
            }

            return new AsyncCompletions(moveNext, setResults, setExceptions);
        }

        /// <summary>
        /// Inserts, on the path to each SetResult, what <paramref name="beforeSetResult"/> emits for that call, and on
        /// the path to each SetException <c>TraceScope.Fail(e, ref scope)</c>.
        /// </summary>
        /// <param name="body">MoveNext's body, made ready to edit.</param>
        /// <param name="emit">The emitter of the machine's scope.</param>
        /// <param name="il">A list to build each snippet in (cleared before each).</param>
        /// <param name="beforeSetResult">Emits the snippet for one SetResult call, its arguments on the stack.</param>
        public void Weave(MethodBody body, ScopeEmitter emit, List<Instruction> il, Action<List<Instruction>, Instruction> beforeSetResult)
        {
            foreach (var setResult in SetResults)
            {
                il.Clear();
                beforeSetResult(il, setResult);
                IlEditor.InsertOnPathTo(body, setResult, il);
            }

            foreach (var setException in SetExceptions)
            {
                il.Clear();
                emit.FailKeepingException(il);
                IlEditor.InsertOnPathTo(body, setException, il);
            }
        }
    }
}
