using System;
using System.Collections.Generic;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Mirascope.Ops.Fody
{
    /// <summary>
    /// The one emitter of scope calls. Every weaver (sync, async, ...) builds its IL from these snippets and only
    /// decides where they go and where the scope lives; all logic stays in the runtime's C#.
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
        public List<Instruction> Start(FieldReference descriptor)
        {
            var il = new List<Instruction> { Instruction.Create(OpCodes.Ldsfld, descriptor) };
            il.AddRange(_slot.LoadAddress());
            il.Add(Instruction.Create(OpCodes.Call, _runtime.Start));
            return il;
        }

        /// <summary>
        /// <c>if (scope.NeedsArguments) { scope.Arg(a); ...; scope.CommitArgs(); }</c>, continuing at <paramref name="after"/>.
        /// </summary>
        /// <param name="arguments">The recorded parameters.</param>
        /// <param name="loadValue">Pushes one parameter's value (dereferenced for ref/in) and names its type as seen where the snippet runs.</param>
        /// <param name="after">The instruction that follows the snippet.</param>
        public List<Instruction> RecordArguments(
            IReadOnlyList<ArgumentRecording> arguments,
            Func<ArgumentRecording, (IEnumerable<Instruction> Load, TypeReference Type)> loadValue,
            Instruction after)
        {
            var il = new List<Instruction>();
            if (arguments.Count == 0)
            {
                return il;
            }

            il.AddRange(_slot.LoadAddress());
            il.Add(Instruction.Create(OpCodes.Call, _runtime.NeedsArguments));
            il.Add(Instruction.Create(OpCodes.Brfalse, after));
            foreach (var argument in arguments)
            {
                il.AddRange(_slot.LoadAddress());
                switch (argument.Mode)
                {
                    case ArgumentMode.Value:
                        var (load, type) = loadValue(argument);
                        il.AddRange(load);
                        il.Add(Instruction.Create(OpCodes.Call, _runtime.Arg(type)));
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

            il.AddRange(_slot.LoadAddress());
            il.Add(Instruction.Create(OpCodes.Call, _runtime.CommitArgs));
            return il;
        }

        /// <summary><c>previous = TraceScope.ResumeIteration(ref scope, descriptor)</c>.</summary>
        public List<Instruction> ResumeIteration(FieldReference descriptor, VariableDefinition previous)
        {
            var il = new List<Instruction>(_slot.LoadAddress());
            il.Add(Instruction.Create(OpCodes.Ldsfld, descriptor));
            il.Add(Instruction.Create(OpCodes.Call, _runtime.ResumeIteration));
            il.Add(Instruction.Create(OpCodes.Stloc, previous));
            return il;
        }

        /// <summary><c>TraceScope.SuspendIteration(result, previous, ref scope)</c>.</summary>
        public List<Instruction> SuspendIteration(VariableDefinition result, VariableDefinition previous)
        {
            var il = new List<Instruction> { Instruction.Create(OpCodes.Ldloc, result), Instruction.Create(OpCodes.Ldloc, previous) };
            il.AddRange(_slot.LoadAddress());
            il.Add(Instruction.Create(OpCodes.Call, _runtime.SuspendIteration));
            return il;
        }

        /// <summary><c>TraceScope.AbortIteration(previous, ref scope)</c>.</summary>
        public List<Instruction> AbortIteration(VariableDefinition previous)
        {
            var il = new List<Instruction> { Instruction.Create(OpCodes.Ldloc, previous) };
            il.AddRange(_slot.LoadAddress());
            il.Add(Instruction.Create(OpCodes.Call, _runtime.AbortIteration));
            return il;
        }

        /// <summary><c>TraceScope.DisposeIteration(ref scope)</c>.</summary>
        public List<Instruction> DisposeIteration()
        {
            var il = new List<Instruction>(_slot.LoadAddress());
            il.Add(Instruction.Create(OpCodes.Call, _runtime.DisposeIteration));
            return il;
        }

        /// <summary><c>TraceScope.ResumeAsyncIteration(ref scope, descriptor)</c>.</summary>
        public List<Instruction> ResumeAsyncIteration(FieldReference descriptor)
        {
            var il = new List<Instruction>(_slot.LoadAddress());
            il.Add(Instruction.Create(OpCodes.Ldsfld, descriptor));
            il.Add(Instruction.Create(OpCodes.Call, _runtime.ResumeAsyncIteration));
            return il;
        }

        /// <summary>With the promise's bool on the stack (kept): <c>TraceScope.StepAsyncIteration(value, ref scope)</c>.</summary>
        public List<Instruction> StepAsyncIteration()
        {
            var il = new List<Instruction> { Instruction.Create(OpCodes.Dup) };
            il.AddRange(_slot.LoadAddress());
            il.Add(Instruction.Create(OpCodes.Call, _runtime.StepAsyncIteration));
            return il;
        }

        /// <summary>With the result on the stack: <c>TraceScope.Complete&lt;T&gt;(result, ref scope)</c>.</summary>
        public List<Instruction> CompleteWithResult(TypeReference resultType)
        {
            var il = new List<Instruction>(_slot.LoadAddress());
            il.Add(Instruction.Create(OpCodes.Call, _runtime.CompleteWithResult(resultType)));
            return il;
        }

        /// <summary>With its other arguments on the stack: a static scope helper whose last parameter is <c>ref TraceScope</c>.</summary>
        public List<Instruction> Call(MethodReference helper)
        {
            var il = new List<Instruction>(_slot.LoadAddress());
            il.Add(Instruction.Create(OpCodes.Call, helper));
            return il;
        }

        /// <summary><c>TraceScope.Complete(ref scope)</c>: ends the span with no output.</summary>
        public List<Instruction> Complete()
        {
            var il = new List<Instruction>(_slot.LoadAddress());
            il.Add(Instruction.Create(OpCodes.Call, _runtime.Complete));
            return il;
        }

        /// <summary>With an exception on the stack: <c>TraceScope.Fail(exception, ref scope)</c>.</summary>
        public List<Instruction> Fail()
        {
            var il = new List<Instruction>(_slot.LoadAddress());
            il.Add(Instruction.Create(OpCodes.Call, _runtime.Fail));
            return il;
        }

        /// <summary>Before a builder's <c>SetException(e)</c>, keeping <c>e</c> on the stack: <c>TraceScope.Fail(e, ref scope)</c>.</summary>
        public List<Instruction> FailKeepingException()
        {
            var il = new List<Instruction> { Instruction.Create(OpCodes.Dup) };
            il.AddRange(Fail());
            return il;
        }

        /// <summary>With the thrown object on the stack: <c>TraceScope.Observe(thrown, ref scope)</c>, leaving 0.</summary>
        public List<Instruction> Observe()
        {
            var il = new List<Instruction>(_slot.LoadAddress());
            il.Add(Instruction.Create(OpCodes.Call, _runtime.Observe));
            return il;
        }

        /// <summary><c>TraceScope.End(ref scope)</c>: ends the span while an exception unwinds.</summary>
        public List<Instruction> End()
        {
            var il = new List<Instruction>(_slot.LoadAddress());
            il.Add(Instruction.Create(OpCodes.Call, _runtime.End));
            return il;
        }
    }
}
