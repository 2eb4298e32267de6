using System;
using System.Collections.Generic;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Mirascope.Ops.Fody.Emit
{
    /// <summary>
    /// Wraps a method body, from <c>bodyStart</c> to its end, in the shape every synchronous weave shares:
    /// <code>
    /// prologue
    /// try { try { body, each 'return x' becoming 'result = x; leave EXIT' }
    ///       filter { TraceScope.Observe(ex, ref scope) /* records, returns 0: never catches */ } }
    /// fault { onFault }
    /// EXIT: onExit(result); return result;
    /// </code>
    /// The filter records the exception without catching it, so it propagates untouched: same object, same stack
    /// trace, and the debugger still sees it as unhandled where it was. Everything added is behind hidden sequence
    /// points (in IL order once the weave ends with <see cref="BodyOptimizer.Finish"/>).
    /// </summary>
    internal static class ProtectedBody
    {
        /// <param name="method">The method to wrap; its body must have had <see cref="BodyOptimizer.LongBranches"/> applied.</param>
        /// <param name="returned">
        /// What the body's <c>ret</c> instructions return: the declared return type, except in a runtime-async method,
        /// whose IL returns the task's result (see <see cref="RuntimeAsync.ReturnedType"/>).
        /// </param>
        /// <param name="bodyStart">The first instruction to protect (after a constructor's base call).</param>
        /// <param name="emit">The scope emitter (for the filter).</param>
        /// <param name="prologue">Runs before the protected region.</param>
        /// <param name="tail">An empty list to build the code after the body in (the caller may reuse it afterwards).</param>
        /// <param name="onExit">Given the result local (null for void), appends the code that runs on every normal return.</param>
        /// <param name="onFault">Appends what runs while an exception unwinds the method.</param>
        public static void Wrap(
            MethodDefinition method,
            TypeReference returned,
            Instruction bodyStart,
            ScopeEmitter emit,
            IReadOnlyList<Instruction> prologue,
            List<Instruction> tail,
            Action<List<Instruction>, VariableDefinition?> onExit,
            Action<List<Instruction>> onFault)
        {
            var body = method.Body;
            var result = returned.MetadataType != MetadataType.Void ? new VariableDefinition(returned) : null;
            if (result is not null)
            {
                body.Variables.Add(result);
            }

            // Everything after the body, in order: filter, handler, fault, exit.
            emit.Observe(tail);
            tail.Add(Instruction.Create(OpCodes.Endfilter));
            var filterStart = tail[0];
            var handlerStart = Instruction.Create(OpCodes.Pop);
            tail.Add(handlerStart);
            tail.Add(Instruction.Create(OpCodes.Rethrow));
            var faultIndex = tail.Count;
            onFault(tail);
            tail.Add(Instruction.Create(OpCodes.Endfinally));
            var faultStart = tail[faultIndex];
            var exitIndex = tail.Count;
            onExit(tail, result);
            if (result is not null)
            {
                tail.Add(Instruction.Create(OpCodes.Ldloc, result));
            }

            tail.Add(Instruction.Create(OpCodes.Ret));
            var exitStart = tail[exitIndex];

            var instructions = body.Instructions;
            var returns = 0;
            for (var i = 0; i < instructions.Count; i++)
            {
                returns += instructions[i].OpCode.Code == Code.Ret ? 1 : 0;
            }

            IlEditor.Reserve(body, prologue.Count + (result is null ? 0 : returns) + tail.Count);

            // Backwards, so that inserting after a 'ret' leaves the ones before it where they are.
            for (var i = instructions.Count - 1; i >= 0; i--)
            {
                var ret = instructions[i];
                if (ret.OpCode.Code != Code.Ret)
                {
                    continue;
                }

                if (result is not null)
                {
                    // Reuse the 'ret' instruction itself, so branches to it and its sequence point stay valid.
                    ret.OpCode = OpCodes.Stloc;
                    ret.Operand = result;
                    instructions.Insert(i + 1, Instruction.Create(OpCodes.Leave, exitStart));
                }
                else
                {
                    ret.OpCode = OpCodes.Leave;
                    ret.Operand = exitStart;
                }
            }

            IlEditor.InsertBefore(body, bodyStart, prologue);
            IlEditor.Append(body, tail);

            body.ExceptionHandlers.Add(new ExceptionHandler(ExceptionHandlerType.Filter)
            {
                TryStart = bodyStart,
                TryEnd = filterStart,
                FilterStart = filterStart,
                HandlerStart = handlerStart,
                HandlerEnd = faultStart,
            });
            body.ExceptionHandlers.Add(new ExceptionHandler(ExceptionHandlerType.Fault)
            {
                TryStart = bodyStart,
                TryEnd = faultStart,
                HandlerStart = faultStart,
                HandlerEnd = exitStart,
            });

            if (method.DebugInformation.HasSequencePoints)
            {
                if (prologue.Count > 0)
                {
                    DebugInfo.Hide(method, prologue[0]);
                }

                DebugInfo.Hide(method, filterStart);
            }
        }

        /// <summary>
        /// Adds a local the weaver writes before it reads. Zero-initialisation is turned on only where the method had
        /// no locals, keeping a <c>[SkipLocalsInit]</c> method's choice.
        /// </summary>
        public static VariableDefinition AddLocal(MethodBody body, TypeReference type)
        {
            if (!body.HasVariables)
            {
                body.InitLocals = true;
            }

            var variable = new VariableDefinition(type);
            body.Variables.Add(variable);
            return variable;
        }
    }
}
