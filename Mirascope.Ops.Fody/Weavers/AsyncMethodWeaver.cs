using Mirascope.Ops.Fody.Emit;
using Mirascope.Ops.Fody.Targets;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Mirascope.Ops.Fody.Weavers
{
    /// <summary>
    /// Weaves an async method (Task, Task&lt;T&gt;, ValueTask, ValueTask&lt;T&gt;, async void, custom builders) inside
    /// its state machine's MoveNext, where both span parenting and timing come out right:
    /// <code>
    /// MoveNext:  if (&lt;&gt;1__state == -1) { descriptor.Start(ref scope); record arguments from the hoisted fields; }
    ///            ... builder.SetResult(r)    becomes  TraceScope.Complete(r, ref scope); builder.SetResult(r)
    ///            ... builder.SetException(e) becomes  TraceScope.Fail(e, ref scope);     builder.SetException(e)
    /// </code>
    /// The first MoveNext runs inside the builder's Start, which restores the caller's ExecutionContext afterwards,
    /// so the caller's <c>Activity.Current</c> comes back by itself; the span ends before SetResult runs the caller's
    /// continuation, so its duration covers exactly the awaited work.
    /// </summary>
    internal sealed class AsyncMethodWeaver : IMethodWeaver
    {
        private readonly StateMachine _machine;
        private readonly AsyncCompletions _completions;

        private AsyncMethodWeaver(StateMachine machine, AsyncCompletions completions)
        {
            _machine = machine;
            _completions = completions;
        }

        /// <summary>Recognises the compiler's shape before anything is changed; null when it is not one we know.</summary>
        public static AsyncMethodWeaver? TryCreate(TraceTarget target)
        {
            var type = target.StateMachine;
            if (type is null)
            {
                return null;
            }

            var completions = AsyncCompletions.Find(StateMachineShape.FindMoveNext(type, returnType: null), StateMachineShape.FindField(type, "<>t__builder"));

            // A body that always throws has no SetResult; one that cannot throw still gets the compiler's catch.
            if (completions is null || StateMachineShape.FindField(type, "<>1__state") is null || completions.SetExceptions.Count == 0)
            {
                return null;
            }

            return new AsyncMethodWeaver(new StateMachine(type, target.Method), completions);
        }

        public void Weave(TraceTarget target, FieldReference descriptor, RuntimeReferences runtime)
        {
            var state = _machine.Inside(_machine.FindField("<>1__state")!);
            var loadArgument = _machine.ArgumentLoader(target.Arguments);
            var emit = new ScopeEmitter(runtime, ScopeSlot.Field(_machine.AddScope(runtime)));
            AsyncMoveNext.Weave(_machine, _completions, target, emit, loadArgument,
                (il, bodyStart) =>
                {
                    il.Add(Instruction.Create(OpCodes.Ldarg_0));
                    il.Add(Instruction.Create(OpCodes.Ldfld, state));
                    il.Add(Instruction.Create(OpCodes.Ldc_I4_M1));
                    il.Add(Instruction.Create(OpCodes.Bne_Un, bodyStart));
                    emit.Start(il, descriptor);
                },
                (snippet, setResult) =>
                {
                    var callee = (MethodReference)setResult.Operand;
                    if (callee.DeclaringType is GenericInstanceType builderOfT && callee.Parameters.Count == 1)
                    {
                        var output = OutputPlan.For(builderOfT.GenericArguments[0]);
                        snippet.Add(Instruction.Create(OpCodes.Dup));
                        emit.CompleteWithResult(snippet, output.RecordedType ?? builderOfT.GenericArguments[0]);
                    }
                    else
                    {
                        emit.Complete(snippet);
                    }
                });
        }
    }
}
