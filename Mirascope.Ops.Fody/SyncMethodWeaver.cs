using System.Collections.Generic;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;

namespace Mirascope.Ops.Fody
{
    /// <summary>
    /// Weaves a synchronous method (or a constructor, after its base/this call) in place:
    /// <c>descriptor.Start(ref scope); record arguments;</c> then the <see cref="ProtectedBody"/> shape, each return
    /// ending the span with its value (<c>TraceScope.Complete(result, ref scope)</c>) and a fault ending it on errors.
    /// </summary>
    internal sealed class SyncMethodWeaver : IMethodWeaver
    {
        public void Weave(TraceTarget target, FieldReference descriptor, RuntimeReferences runtime)
        {
            var method = target.Method;
            var body = method.Body;
            body.SimplifyMacros();
            var scope = ProtectedBody.AddLocal(body, runtime.TraceScope);
            var emit = new ScopeEmitter(runtime, ScopeSlot.Local(scope));
            var output = OutputPlan.For(method.ReturnType);
            var bodyStart = Constructors.BodyStart(method);

            var prologue = emit.Start(descriptor);
            prologue.AddRange(emit.RecordArguments(target.Arguments, LoadArgument, bodyStart));

            ProtectedBody.Wrap(
                method,
                bodyStart,
                emit,
                prologue,
                result =>
                {
                    var exit = new List<Instruction>();
                    var completeWhenDone = result is null ? null : runtime.CompleteWhenDone(method.ReturnType);
                    if (completeWhenDone is not null)
                    {
                        // Returns a task without being async: the span ends when the task does.
                        exit.Add(Instruction.Create(OpCodes.Ldloc, result));
                        exit.AddRange(emit.Call(completeWhenDone));
                        exit.Add(Instruction.Create(OpCodes.Stloc, result));
                    }
                    else if (result is not null && output.RecordedType is not null)
                    {
                        exit.AddRange(output.LoadRecordedValue(Instruction.Create(OpCodes.Ldloc, result)));
                        exit.AddRange(emit.CompleteWithResult(output.RecordedType));
                    }
                    else if (output.Placeholder is not null)
                    {
                        exit.Add(Instruction.Create(OpCodes.Ldstr, output.Placeholder));
                        exit.AddRange(emit.CompleteWithResult(method.Module.TypeSystem.String));
                    }
                    else
                    {
                        exit.AddRange(emit.Complete());
                    }

                    return exit;
                },
                emit.End());
            BodyOptimizer.Finish(method);
        }

        private static (IEnumerable<Instruction> Load, TypeReference Type) LoadArgument(ArgumentRecording argument)
        {
            var load = new List<Instruction> { Instruction.Create(OpCodes.Ldarg, argument.Parameter) };
            if (argument.IsByReference)
            {
                load.Add(Instruction.Create(OpCodes.Ldobj, argument.ValueType));
            }

            return (load, argument.ValueType);
        }
    }
}
