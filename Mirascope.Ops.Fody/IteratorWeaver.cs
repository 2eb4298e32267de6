using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;

namespace Mirascope.Ops.Fody
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
            var moveNext = type?.Methods.FirstOrDefault(m => m.Name == "MoveNext" && m.HasBody && m.ReturnType.MetadataType == MetadataType.Boolean);
            var dispose = type?.Methods.FirstOrDefault(m => m.Name.EndsWith("Dispose", System.StringComparison.Ordinal) && m.HasBody && !m.HasParameters);
            if (type is null || moveNext is null || dispose is null || type.Fields.All(f => f.Name != "<>1__state"))
            {
                return null;
            }

            return new IteratorWeaver(new StateMachine(type, target.Method), moveNext, dispose);
        }

        public void Weave(TraceTarget target, FieldReference descriptor, RuntimeReferences runtime)
        {
            var scope = _machine.AddScope(runtime);
            _machine.ResetScopeOnGetEnumerator(scope, runtime);
            var loadArgument = _machine.ArgumentLoader(target.Arguments);
            var emit = new ScopeEmitter(runtime, ScopeSlot.Field(scope));

            var body = _moveNext.Body;
            body.SimplifyMacros();
            var previous = ProtectedBody.AddLocal(body, runtime.Activity);
            var bodyStart = body.Instructions[0];
            var prologue = emit.ResumeIteration(descriptor, previous);
            prologue.AddRange(emit.RecordArguments(target.Arguments, loadArgument, bodyStart));
            ProtectedBody.Wrap(_moveNext, bodyStart, emit, prologue, result => emit.SuspendIteration(result!, previous), emit.AbortIteration(previous));
            ProtectedBody.Finish(body);

            var dispose = _dispose.Body;
            dispose.SimplifyMacros();
            foreach (var ret in dispose.Instructions.Where(i => i.OpCode == OpCodes.Ret).ToList())
            {
                IlEditor.InsertOnPathTo(dispose, ret, emit.DisposeIteration());
            }

            if (_dispose.DebugInformation.HasSequencePoints)
            {
                DebugInfo.Sort(_dispose);
            }

            dispose.OptimizeMacros();
            _machine.Kickoff.Body.OptimizeMacros();
        }
    }
}
