using System.Collections.Generic;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Mirascope.Ops.Fody
{
    /// <summary>
    /// Weaves an async iterator (<c>IAsyncEnumerable&lt;T&gt;</c>, <c>IAsyncEnumerator&lt;T&gt;</c>) inside MoveNext. Every
    /// MoveNextAsync runs MoveNext under the builder, which restores the caller's ExecutionContext afterwards, so
    /// making the span current at each entry is enough for the caller to get its own back between items:
    /// <code>
    /// MoveNext:  TraceScope.ResumeAsyncIteration(ref scope, descriptor); first time: record arguments
    ///            promise.SetResult(b)    becomes  TraceScope.StepAsyncIteration(b, ref scope); promise.SetResult(b)
    ///            promise.SetException(e) becomes  TraceScope.Fail(e, ref scope);                promise.SetException(e)
    /// </code>
    /// <c>SetResult(true)</c> is an item; <c>SetResult(false)</c> is the end, also after an early DisposeAsync.
    /// </summary>
    internal sealed class AsyncIteratorWeaver : IMethodWeaver
    {
        private readonly StateMachine _machine;
        private readonly MethodDefinition _moveNext;
        private readonly List<Instruction> _setResults;
        private readonly List<Instruction> _setExceptions;

        private AsyncIteratorWeaver(StateMachine machine, MethodDefinition moveNext, List<Instruction> setResults, List<Instruction> setExceptions)
        {
            _machine = machine;
            _moveNext = moveNext;
            _setResults = setResults;
            _setExceptions = setExceptions;
        }

        public static AsyncIteratorWeaver? TryCreate(TraceTarget target)
        {
            var type = target.StateMachine;
            if (type is null)
            {
                return null;
            }

            var promise = StateMachine.FindField(type, "<>v__promiseOfValueOrEnd");
            var moveNext = StateMachine.FindMoveNext(type, voidWithBody: true);
            if (promise is null || moveNext is null)
            {
                return null;
            }

            var (setResults, setExceptions) = StateMachine.FindCompletions(moveNext, promise.FieldType);
            if (setResults.Count == 0 || setExceptions.Count == 0)
            {
                return null;
            }

            return new AsyncIteratorWeaver(new StateMachine(type, target.Method), moveNext, setResults, setExceptions);
        }

        public void Weave(TraceTarget target, FieldReference descriptor, RuntimeReferences runtime)
        {
            var scope = _machine.AddScope(runtime);
            _machine.ResetScopeOnGetEnumerator(scope, runtime);
            var loadArgument = _machine.ArgumentLoader(target.Arguments);
            var emit = new ScopeEmitter(runtime, ScopeSlot.Field(scope));
            var body = _machine.Edit(_moveNext);

            var bodyStart = body.Instructions[0];
            var il = new List<Instruction>(6 + 6 * target.Arguments.Count);
            emit.ResumeAsyncIteration(il, descriptor);
            emit.RecordArguments(il, target.Arguments, loadArgument, bodyStart);
            var prologueStart = il[0];
            IlEditor.InsertBefore(body, bodyStart, il);

            foreach (var setResult in _setResults)
            {
                il.Clear();
                emit.StepAsyncIteration(il);
                IlEditor.InsertOnPathTo(body, setResult, il);
            }

            foreach (var setException in _setExceptions)
            {
                il.Clear();
                emit.FailKeepingException(il);
                IlEditor.InsertOnPathTo(body, setException, il);
            }

            _machine.HidePrologue(_moveNext, prologueStart);
            _machine.Finish();
        }
    }
}
