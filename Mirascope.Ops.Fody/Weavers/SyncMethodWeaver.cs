using System.Collections.Generic;
using Mirascope.Ops.Fody.Emit;
using Mirascope.Ops.Fody.Targets;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Mirascope.Ops.Fody.Weavers
{
    /// <summary>
    /// Weaves a synchronous method (or a constructor, after its base/this call) in place:
    /// <c>descriptor.Start(ref scope); record arguments;</c> then the <see cref="ProtectedBody"/> shape, each return
    /// ending the span with its value (<c>TraceScope.Complete(result, ref scope)</c>) and a fault ending it on errors.
    /// </summary>
    internal sealed class SyncMethodWeaver : IMethodWeaver
    {
        // One weaver serves every synchronous method of a module (see MethodWeavers): the code around each body is
        // built in these and copied into the body, so they are reused from one method to the next.
        private readonly List<Instruction> _prologue = new List<Instruction>(32);
        private readonly List<Instruction> _tail = new List<Instruction>(32);

        public void Weave(TraceTarget target, FieldReference descriptor, RuntimeReferences runtime)
        {
            var returnType = target.Method.ReturnType;
            WeaveBody(target, descriptor, runtime, returnType, returnType.MetadataType == MetadataType.Void ? null : runtime.CompleteWhenDone(returnType));
        }

        /// <summary>The weave itself, shared with <see cref="RuntimeAsyncMethodWeaver"/>.</summary>
        /// <param name="target">The method.</param>
        /// <param name="descriptor">Its descriptor.</param>
        /// <param name="runtime">The runtime's members.</param>
        /// <param name="returned">What the body's <c>ret</c> returns (the task's result in a runtime-async method).</param>
        /// <param name="completeWhenDone">
        /// For a method that returns a task without being async, the helper that ends the span when the task does;
        /// null to end it at the return, with the returned value as the output.
        /// </param>
        public void WeaveBody(TraceTarget target, FieldReference descriptor, RuntimeReferences runtime, TypeReference returned, MethodReference? completeWhenDone)
        {
            var method = target.Method;
            var body = method.Body;
            BodyOptimizer.LongBranches(body);
            var scope = ProtectedBody.AddLocal(body, runtime.TraceScope);
            var emit = new ScopeEmitter(runtime, ScopeSlot.Local(scope));
            var output = OutputPlan.For(returned);
            var bodyStart = Constructors.BodyStart(method);

            var prologue = _prologue;
            var tail = _tail;
            prologue.Clear();
            tail.Clear();
            emit.Start(prologue, descriptor);
            emit.RecordArguments(prologue, target.Arguments, LoadArgument, bodyStart);

            ProtectedBody.Wrap(
                method,
                returned,
                bodyStart,
                emit,
                prologue,
                tail,
                (exit, result) =>
                {
                    if (result is not null && completeWhenDone is not null)
                    {
                        // Returns a task without being async: the span ends when the task does.
                        exit.Add(Instruction.Create(OpCodes.Ldloc, result));
                        emit.Call(exit, completeWhenDone);
                        exit.Add(Instruction.Create(OpCodes.Stloc, result));
                    }
                    else if (result is not null && output.RecordedType is not null)
                    {
                        output.LoadRecordedValue(exit, result);
                        emit.CompleteWithResult(exit, output.RecordedType);
                    }
                    else if (output.Placeholder is not null)
                    {
                        exit.Add(Instruction.Create(OpCodes.Ldstr, output.Placeholder));
                        emit.CompleteWithResult(exit, method.Module.TypeSystem.String);
                    }
                    else
                    {
                        emit.Complete(exit);
                    }
                },
                emit.End);
            prologue.Clear();
            tail.Clear();
            BodyOptimizer.Finish(method);
        }

        private static TypeReference LoadArgument(List<Instruction> il, ArgumentRecording argument)
        {
            il.Add(Instruction.Create(OpCodes.Ldarg, argument.Parameter));
            if (argument.IsByReference)
            {
                il.Add(Instruction.Create(OpCodes.Ldobj, argument.ValueType));
            }

            return argument.ValueType;
        }
    }
}
