using System.Collections.Generic;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Mirascope.Ops.Fody
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
        private readonly MethodDefinition _moveNext;
        private readonly List<Instruction> _setResults;
        private readonly List<Instruction> _setExceptions;

        private AsyncMethodWeaver(StateMachine machine, MethodDefinition moveNext, List<Instruction> setResults, List<Instruction> setExceptions)
        {
            _machine = machine;
            _moveNext = moveNext;
            _setResults = setResults;
            _setExceptions = setExceptions;
        }

        /// <summary>Recognises the compiler's shape before anything is changed; null when it is not one we know.</summary>
        public static AsyncMethodWeaver? TryCreate(TraceTarget target)
        {
            var type = target.StateMachine;
            if (type is null)
            {
                return null;
            }

            var builder = StateMachine.FindField(type, "<>t__builder");
            var moveNext = StateMachine.FindMoveNext(type, voidWithBody: false);
            if (builder is null || StateMachine.FindField(type, "<>1__state") is null || moveNext is null || !moveNext.HasBody)
            {
                return null;
            }

            var (setResults, setExceptions) = StateMachine.FindCompletions(moveNext, builder.FieldType);

            // A body that always throws has no SetResult; one that cannot throw still gets the compiler's catch.
            if (setExceptions.Count == 0)
            {
                return null;
            }

            return new AsyncMethodWeaver(new StateMachine(type, target.Method), moveNext, setResults, setExceptions);
        }

        public void Weave(TraceTarget target, FieldReference descriptor, RuntimeReferences runtime)
        {
            var state = _machine.Inside(_machine.FindField("<>1__state")!);
            var loadArgument = _machine.ArgumentLoader(target.Arguments);
            var emit = new ScopeEmitter(runtime, ScopeSlot.Field(_machine.AddScope(runtime)));
            var body = _machine.Edit(_moveNext);

            var bodyStart = body.Instructions[0];
            var il = new List<Instruction>(10 + 6 * target.Arguments.Count)
            {
                Instruction.Create(OpCodes.Ldarg_0),
                Instruction.Create(OpCodes.Ldfld, state),
                Instruction.Create(OpCodes.Ldc_I4_M1),
                Instruction.Create(OpCodes.Bne_Un, bodyStart),
            };
            emit.Start(il, descriptor);
            emit.RecordArguments(il, target.Arguments, loadArgument, bodyStart);
            var prologueStart = il[0];
            IlEditor.InsertBefore(body, bodyStart, il);

            foreach (var setResult in _setResults)
            {
                il.Clear();
                var callee = (MethodReference)setResult.Operand;
                if (callee.DeclaringType is GenericInstanceType builderOfT && callee.Parameters.Count == 1)
                {
                    var output = OutputPlan.For(builderOfT.GenericArguments[0]);
                    il.Add(Instruction.Create(OpCodes.Dup));
                    emit.CompleteWithResult(il, output.RecordedType ?? builderOfT.GenericArguments[0]);
                }
                else
                {
                    emit.Complete(il);
                }

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
