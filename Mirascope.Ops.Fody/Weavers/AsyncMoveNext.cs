using System;
using System.Collections.Generic;
using Mirascope.Ops.Fody.Emit;
using Mirascope.Ops.Fody.Targets;
using Mono.Cecil.Cil;

namespace Mirascope.Ops.Fody.Weavers
{
    /// <summary>
    /// The part both async weavers (<see cref="AsyncMethodWeaver"/>, <see cref="AsyncIteratorWeaver"/>) share: MoveNext
    /// gets a prologue before its first instruction (each weaver's own entry, then the arguments recorded once), each
    /// completion its snippet (<see cref="AsyncCompletions.Weave"/>), the prologue is hidden from the debugger, and the
    /// machine's body is finished. The weavers keep what differs: how the scope is made and entered, and what a
    /// SetResult records.
    /// </summary>
    internal static class AsyncMoveNext
    {
        /// <param name="machine">The state machine, its scope field already added.</param>
        /// <param name="completions">MoveNext and its SetResult and SetException calls.</param>
        /// <param name="target">The traced method, for its recorded arguments.</param>
        /// <param name="emit">The emitter of the machine's scope.</param>
        /// <param name="loadArgument">Loads a recorded argument from its hoisted field.</param>
        /// <param name="emitEntry">Emits the prologue's start; gets the body's first instruction (where the prologue jumps to skip itself).</param>
        /// <param name="beforeSetResult">Emits the snippet for one SetResult call, its arguments on the stack.</param>
        public static void Weave(
            StateMachine machine,
            AsyncCompletions completions,
            TraceTarget target,
            ScopeEmitter emit,
            ArgumentLoad loadArgument,
            Action<List<Instruction>, Instruction> emitEntry,
            Action<List<Instruction>, Instruction> beforeSetResult)
        {
            var moveNext = completions.MoveNext;
            var body = machine.Edit(moveNext);

            var bodyStart = body.Instructions[0];
            var il = new List<Instruction>(10 + 6 * target.Arguments.Count);
            emitEntry(il, bodyStart);
            emit.RecordArguments(il, target.Arguments, loadArgument, bodyStart);
            var prologueStart = il[0];
            IlEditor.InsertBefore(body, bodyStart, il);

            completions.Weave(body, emit, il, beforeSetResult);

            machine.HidePrologue(moveNext, prologueStart);
            machine.Finish();
        }
    }
}
