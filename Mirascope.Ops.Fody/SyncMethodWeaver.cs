using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;

namespace Mirascope.Ops.Fody
{
    /// <summary>
    /// Weaves a synchronous method in place:
    /// <code>
    /// scope = descriptor.Start(); if (scope.IsRecording) { scope.Arg(..); scope.CommitArgs(); }
    /// try { try { body, each 'return x' becoming 'result = x; leave END' }
    ///       filter { TraceScope.Observe(ex, ref scope) /* records, returns 0: never catches */ } }
    /// fault { TraceScope.End(ref scope); }
    /// END: TraceScope.Complete(result, ref scope); return result;
    /// </code>
    /// The filter records the exception without catching it, so it propagates untouched: same object, same stack
    /// trace, and the debugger still sees it as unhandled where it was.
    /// </summary>
    internal sealed class SyncMethodWeaver : IMethodWeaver
    {
        public void Weave(TraceTarget target, FieldReference descriptor, RuntimeReferences runtime)
        {
            var method = target.Method;
            var body = method.Body;
            body.SimplifyMacros();
            var hadLocals = body.HasVariables;
            var scope = new VariableDefinition(runtime.TraceScope);
            body.Variables.Add(scope);
            var emit = new ScopeEmitter(runtime, ScopeSlot.Local(scope));
            var output = OutputPlan.For(method.ReturnType);
            var hasResult = method.ReturnType.MetadataType != MetadataType.Void;
            var result = hasResult ? new VariableDefinition(method.ReturnType) : null;
            if (result is not null)
            {
                body.Variables.Add(result);
            }

            var bodyStart = body.Instructions[0];
            var epilogue = new List<Instruction>();
            if (output.RecordedType is not null)
            {
                epilogue.AddRange(output.LoadRecordedValue(Instruction.Create(OpCodes.Ldloc, result)));
                epilogue.AddRange(emit.CompleteWithResult(output.RecordedType));
            }
            else
            {
                epilogue.AddRange(emit.Complete());
            }

            if (result is not null)
            {
                epilogue.Add(Instruction.Create(OpCodes.Ldloc, result));
            }

            epilogue.Add(Instruction.Create(OpCodes.Ret));
            var end = epilogue[0];

            foreach (var ret in body.Instructions.Where(i => i.OpCode == OpCodes.Ret).ToList())
            {
                if (result is not null)
                {
                    ret.OpCode = OpCodes.Stloc;
                    ret.Operand = result;
                    IlEditor.InsertAfter(body, ret, new[] { Instruction.Create(OpCodes.Leave, end) });
                }
                else
                {
                    ret.OpCode = OpCodes.Leave;
                    ret.Operand = end;
                }
            }

            var prologue = emit.Start(descriptor);
            prologue.AddRange(emit.RecordArguments(target.Arguments, LoadArgument, bodyStart));
            IlEditor.InsertBefore(body, bodyStart, prologue);

            var filter = emit.Observe();
            filter.Add(Instruction.Create(OpCodes.Endfilter));
            var handler = new[] { Instruction.Create(OpCodes.Pop), Instruction.Create(OpCodes.Rethrow) };
            var fault = emit.End();
            fault.Add(Instruction.Create(OpCodes.Endfinally));
            IlEditor.Append(body, filter);
            IlEditor.Append(body, handler);
            IlEditor.Append(body, fault);
            IlEditor.Append(body, epilogue);

            body.ExceptionHandlers.Add(new ExceptionHandler(ExceptionHandlerType.Filter)
            {
                TryStart = bodyStart,
                TryEnd = filter[0],
                FilterStart = filter[0],
                HandlerStart = handler[0],
                HandlerEnd = fault[0],
            });
            body.ExceptionHandlers.Add(new ExceptionHandler(ExceptionHandlerType.Fault)
            {
                TryStart = bodyStart,
                TryEnd = fault[0],
                HandlerStart = fault[0],
                HandlerEnd = end,
            });

            if (method.DebugInformation.HasSequencePoints)
            {
                DebugInfo.Hide(method, prologue[0]);
                DebugInfo.Hide(method, filter[0]);
                DebugInfo.Sort(method);
            }

            if (!hadLocals)
            {
                // The locals we add are always written before read; zero-init only where the method had no locals to
                // keep a [SkipLocalsInit] method's choice.
                body.InitLocals = true;
            }

            body.OptimizeMacros();
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
