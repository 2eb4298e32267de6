using System.Collections.Generic;
using Mirascope.Ops.Fody.Emit;
using Mirascope.Ops.Fody.Targets;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Mirascope.Ops.Fody.Weavers
{
    /// <summary>
    /// Weaves an iterator (<c>IEnumerable&lt;T&gt;</c>, <c>IEnumerator&lt;T&gt;</c>) inside its state machine. The span opens
    /// at the first MoveNext and closes when the enumeration ends, throws, or is disposed early; its output is the
    /// number of items. A synchronous iterator has no ExecutionContext guard, so each MoveNext makes the span current
    /// while the body runs and puts the caller's back before returning:
    /// <code>
    /// MoveNext:  previous = TraceScope.ResumeIteration(ref scope, descriptor); first time: record arguments
    ///            ProtectedBody(original MoveNext) with exit TraceScope.SuspendIteration(result, previous, ref scope)
    ///                                              and fault TraceScope.AbortIteration(previous, ref scope)
    /// Dispose:   TraceScope.DisposeIteration(ref scope) before each return
    /// </code>
    /// </summary>
    internal sealed class IteratorWeaver : IMethodWeaver
    {
        private readonly StateMachine _machine;
        private readonly MethodDefinition _moveNext;
        private readonly MethodDefinition _dispose;

        private IteratorWeaver(StateMachine machine, MethodDefinition moveNext, MethodDefinition dispose)
        {
            _machine = machine;
            _moveNext = moveNext;
            _dispose = dispose;
        }

        public static IteratorWeaver? TryCreate(TraceTarget target)
        {
            var type = target.StateMachine;
            if (type is null || StateMachineShape.FindField(type, "<>1__state") is null)
            {
                return null;
            }

            var moveNext = StateMachineShape.FindMoveNext(type, MetadataType.Boolean);
            var dispose = StateMachineShape.FindDispose(type);
            return moveNext is null || dispose is null ? null : new IteratorWeaver(new StateMachine(type, target.Method), moveNext, dispose);
        }

        public void Weave(TraceTarget target, FieldReference descriptor, RuntimeReferences runtime)
        {
            var scope = _machine.AddScope(runtime);
            _machine.ResetScopeOnGetEnumerator(scope, runtime);
            var loadArgument = _machine.ArgumentLoader(target.Arguments);
            var emit = new ScopeEmitter(runtime, ScopeSlot.Field(scope));

            var body = _machine.Edit(_moveNext);
            var previous = ProtectedBody.AddLocal(body, runtime.Activity);
            var bodyStart = body.Instructions[0];
            var prologue = new List<Instruction>(8 + 6 * target.Arguments.Count);
            emit.ResumeIteration(prologue, descriptor, previous);
            emit.RecordArguments(prologue, target.Arguments, loadArgument, bodyStart);
            ProtectedBody.Wrap(
                _moveNext,
                _moveNext.ReturnType,
                bodyStart,
                emit,
                prologue,
                new List<Instruction>(24),
                (exit, result) => emit.SuspendIteration(exit, result!, previous),
                fault => emit.AbortIteration(fault, previous));

            IlEditor.BeforeEachReturn(_machine.Edit(_dispose), emit.DisposeIteration);
            _machine.Finish();
        }
    }
}
