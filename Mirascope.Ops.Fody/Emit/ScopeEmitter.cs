using System.Collections.Generic;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Mirascope.Ops.Fody.Emit
{
    /// <summary>Pushes one recorded parameter's value (dereferenced for ref/in) and names its type as seen where the snippet runs.</summary>
    internal delegate TypeReference ArgumentLoad(List<Instruction> il, ArgumentRecording argument);

    /// <summary>
    /// The one emitter of scope calls. Every weaver (sync, async, ...) builds its IL from these snippets and only
    /// decides where they go and where the scope lives; all logic stays in the runtime's C#. Each snippet is appended
    /// to the caller's list, so a weave builds its code in a few lists instead of one per snippet.
    /// </summary>
    internal sealed class ScopeEmitter
    {
        private readonly RuntimeReferences _runtime;
        private readonly ScopeSlot _slot;

        public ScopeEmitter(RuntimeReferences runtime, ScopeSlot slot)
        {
            _runtime = runtime;
            _slot = slot;
        }

        /// <summary><c>descriptor.Start(ref scope);</c></summary>
        public void Start(List<Instruction> il, FieldReference descriptor)
        {
            il.Add(Instruction.Create(OpCodes.Ldsfld, descriptor));
            _slot.LoadAddress(il);
            il.Add(Instruction.Create(OpCodes.Call, _runtime.Start));
        }

        /// <summary>
        /// <c>if (scope.NeedsArguments) { scope.Arg(a); ...; scope.CommitArgs(); }</c>, continuing at <paramref name="after"/>.
        /// </summary>
        /// <param name="il">Where the snippet goes.</param>
        /// <param name="arguments">The recorded parameters.</param>
        /// <param name="loadValue">Pushes one parameter's value (dereferenced for ref/in) and names its type as seen where the snippet runs.</param>
        /// <param name="after">The instruction that follows the snippet.</param>
        public void RecordArguments(List<Instruction> il, IReadOnlyList<ArgumentRecording> arguments, ArgumentLoad loadValue, Instruction after)
        {
            if (arguments.Count == 0)
            {
                return;
            }

            _slot.LoadAddress(il);
            il.Add(Instruction.Create(OpCodes.Call, _runtime.NeedsArguments));
            il.Add(Instruction.Create(OpCodes.Brfalse, after));
            for (var i = 0; i < arguments.Count; i++)
            {
                var argument = arguments[i];
                _slot.LoadAddress(il);
                switch (argument.Mode)
                {
                    case ArgumentMode.Value:
                        var type = loadValue(il, argument);
                        il.Add(Instruction.Create(OpCodes.Call, _runtime.Arg(type)));
                        break;
                    case ArgumentMode.Formatted:
                        var formattedType = loadValue(il, argument);
                        il.Add(Instruction.Create(OpCodes.Call, _runtime.ArgFormatted(formattedType)));
                        break;
                    case ArgumentMode.Text when argument.Parameter.ParameterType is not ByReferenceType:
                        il.Add(Instruction.Create(OpCodes.Ldarg, argument.Parameter));
                        il.Add(Instruction.Create(OpCodes.Call, _runtime.ArgText));
                        break;
                    case ArgumentMode.Redacted:
                        il.Add(Instruction.Create(OpCodes.Call, _runtime.ArgRedacted));
                        break;
                    default:
                        il.Add(Instruction.Create(OpCodes.Ldstr, argument.Placeholder));
                        il.Add(Instruction.Create(OpCodes.Call, _runtime.ArgPlaceholder));
                        break;
                }
            }

            _slot.LoadAddress(il);
            il.Add(Instruction.Create(OpCodes.Call, _runtime.CommitArgs));
        }

        /// <summary><c>previous = TraceScope.ResumeIteration(ref scope, descriptor)</c>.</summary>
        public void ResumeIteration(List<Instruction> il, FieldReference descriptor, VariableDefinition previous)
        {
            _slot.LoadAddress(il);
            il.Add(Instruction.Create(OpCodes.Ldsfld, descriptor));
            il.Add(Instruction.Create(OpCodes.Call, _runtime.ResumeIteration));
            il.Add(Instruction.Create(OpCodes.Stloc, previous));
        }

        /// <summary><c>TraceScope.SuspendIteration(result, previous, ref scope)</c>.</summary>
        public void SuspendIteration(List<Instruction> il, VariableDefinition result, VariableDefinition previous)
        {
            il.Add(Instruction.Create(OpCodes.Ldloc, result));
            il.Add(Instruction.Create(OpCodes.Ldloc, previous));
            _slot.LoadAddress(il);
            il.Add(Instruction.Create(OpCodes.Call, _runtime.SuspendIteration));
        }

        /// <summary><c>TraceScope.AbortIteration(previous, ref scope)</c>.</summary>
        public void AbortIteration(List<Instruction> il, VariableDefinition previous)
        {
            il.Add(Instruction.Create(OpCodes.Ldloc, previous));
            _slot.LoadAddress(il);
            il.Add(Instruction.Create(OpCodes.Call, _runtime.AbortIteration));
        }

        /// <summary><c>TraceScope.DisposeIteration(ref scope)</c>.</summary>
        public void DisposeIteration(List<Instruction> il) => Call(il, _runtime.DisposeIteration);

        /// <summary><c>TraceScope.ResumeAsyncIteration(ref scope, descriptor)</c>.</summary>
        public void ResumeAsyncIteration(List<Instruction> il, FieldReference descriptor)
        {
            _slot.LoadAddress(il);
            il.Add(Instruction.Create(OpCodes.Ldsfld, descriptor));
            il.Add(Instruction.Create(OpCodes.Call, _runtime.ResumeAsyncIteration));
        }

        /// <summary>With the promise's bool on the stack (kept): <c>TraceScope.StepAsyncIteration(value, ref scope)</c>.</summary>
        public void StepAsyncIteration(List<Instruction> il)
        {
            il.Add(Instruction.Create(OpCodes.Dup));
            Call(il, _runtime.StepAsyncIteration);
        }

        /// <summary>With the result on the stack: <c>TraceScope.Complete&lt;T&gt;(result, ref scope)</c>.</summary>
        public void CompleteWithResult(List<Instruction> il, TypeReference resultType) => Call(il, _runtime.CompleteWithResult(resultType));

        /// <summary>With its other arguments on the stack: a static scope helper whose last parameter is <c>ref TraceScope</c>.</summary>
        public void Call(List<Instruction> il, MethodReference helper)
        {
            _slot.LoadAddress(il);
            il.Add(Instruction.Create(OpCodes.Call, helper));
        }

        /// <summary><c>TraceScope.Complete(ref scope)</c>: ends the span with no output.</summary>
        public void Complete(List<Instruction> il) => Call(il, _runtime.Complete);

        /// <summary>Before a builder's <c>SetException(e)</c>, keeping <c>e</c> on the stack: <c>TraceScope.Fail(e, ref scope)</c>.</summary>
        public void FailKeepingException(List<Instruction> il)
        {
            il.Add(Instruction.Create(OpCodes.Dup));
            Call(il, _runtime.Fail);
        }

        /// <summary>With the thrown object on the stack: <c>TraceScope.Observe(thrown, ref scope)</c>, leaving 0.</summary>
        public void Observe(List<Instruction> il) => Call(il, _runtime.Observe);

        /// <summary><c>TraceScope.End(ref scope)</c>: ends the span while an exception unwinds.</summary>
        public void End(List<Instruction> il) => Call(il, _runtime.End);
    }
}
