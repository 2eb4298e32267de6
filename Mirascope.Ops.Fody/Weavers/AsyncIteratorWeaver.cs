using Mirascope.Ops.Fody.Emit;
using Mirascope.Ops.Fody.Targets;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Mirascope.Ops.Fody.Weavers
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
        private readonly AsyncCompletions _completions;

        private AsyncIteratorWeaver(StateMachine machine, AsyncCompletions completions)
        {
            _machine = machine;
            _completions = completions;
        }

        public static AsyncIteratorWeaver? TryCreate(TraceTarget target)
        {
            var type = target.StateMachine;
            if (type is null)
            {
                return null;
            }

            var completions = AsyncCompletions.Find(StateMachineShape.FindMoveNext(type, MetadataType.Void), StateMachineShape.FindField(type, "<>v__promiseOfValueOrEnd"));
            if (completions is null || completions.SetResults.Count == 0 || completions.SetExceptions.Count == 0)
            {
                return null;
            }

            return new AsyncIteratorWeaver(new StateMachine(type, target.Method), completions);
        }

        public void Weave(TraceTarget target, FieldReference descriptor, RuntimeReferences runtime)
        {
            var scope = _machine.AddScope(runtime);
            _machine.ResetScopeOnGetEnumerator(scope, runtime);
            var loadArgument = _machine.ArgumentLoader(target.Arguments);
            var emit = new ScopeEmitter(runtime, ScopeSlot.Field(scope));
            AsyncMoveNext.Weave(_machine, _completions, target, emit, loadArgument,
                (il, _) => emit.ResumeAsyncIteration(il, descriptor),
                (snippet, _) => emit.StepAsyncIteration(snippet));
        }
    }
}
