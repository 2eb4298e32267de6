using System;
using System.Collections.Generic;
using Mirascope.Ops.Fody.Emit;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Mirascope.Ops.Fody.Weavers
{
    /// <summary>
    /// A compiler-generated state machine (async method, iterator, async iterator) being woven: its bodies made ready
    /// to edit and finished once each, its fields referenced from inside itself, the scope field, and the parameters
    /// it hoisted (added where the compiler left them out). Recognising the shape before any edit is
    /// <see cref="StateMachineShape"/>'s.
    /// </summary>
    internal sealed class StateMachine
    {
        private readonly TypeReference _self;
        private readonly List<MethodDefinition> _edited = new List<MethodDefinition>(4);

        public StateMachine(TypeDefinition type, MethodDefinition kickoff)
        {
            Type = type;
            Kickoff = kickoff;
            _self = type.HasGenericParameters ? MakeSelf(type) : type;
        }

        public TypeDefinition Type { get; }

        public MethodDefinition Kickoff { get; }

        public FieldDefinition? FindField(string name) => StateMachineShape.FindField(Type, name);

        /// <summary>
        /// The body of <paramref name="method"/> (one of the machine's, or the kickoff) ready to edit: branches made long
        /// the first time it is asked for (<see cref="BodyOptimizer.LongBranches"/>). <see cref="Finish"/> restores
        /// the short forms of every body edited, once each.
        /// </summary>
        public MethodBody Edit(MethodDefinition method)
        {
            var body = method.Body;
            if (!_edited.Contains(method))
            {
                BodyOptimizer.LongBranches(body);
                _edited.Add(method);
            }

            return body;
        }

        /// <summary>Puts the woven prologue of <paramref name="method"/> behind a hidden sequence point.</summary>
        public void HidePrologue(MethodDefinition method, Instruction prologueStart)
        {
            if (method.DebugInformation.HasSequencePoints)
            {
                DebugInfo.Hide(method, prologueStart);
            }
        }

        /// <summary>Ends the weave: short forms and sequence-point order restored in each body edited.</summary>
        public void Finish()
        {
            foreach (var method in _edited)
            {
                BodyOptimizer.Finish(method);
            }
        }

        /// <summary>A reference to one of the machine's fields usable inside the machine (instantiated over its own generic parameters).</summary>
        public FieldReference Inside(FieldDefinition field) =>
            ReferenceEquals(_self, Type) ? field : new FieldReference(field.Name, field.FieldType, _self);

        /// <summary>Adds the field that holds the call's <c>TraceScope</c> for the machine's whole life.</summary>
        public FieldReference AddScope(RuntimeReferences runtime) => Inside(AddField("<>mops__scope", runtime.TraceScope));

        /// <summary>
        /// Loads each recorded argument from the machine's hoisted fields (adding the ones the compiler left out), typed
        /// as seen inside the machine.
        /// </summary>
        public ArgumentLoad ArgumentLoader(IReadOnlyList<ArgumentRecording> arguments)
        {
            var fields = new FieldReference?[arguments.Count];
            for (var i = 0; i < arguments.Count; i++)
            {
                if (arguments[i].Mode == ArgumentMode.Value || arguments[i].Mode == ArgumentMode.Formatted)
                {
                    fields[i] = Inside(HoistedParameter(arguments[i].Parameter));
                }
            }

            return (il, argument) =>
            {
                var field = fields[IndexOf(arguments, argument)]!;
                il.Add(Instruction.Create(OpCodes.Ldarg_0));
                il.Add(Instruction.Create(OpCodes.Ldfld, field));
                return field.FieldType;
            };
        }

        private static int IndexOf(IReadOnlyList<ArgumentRecording> arguments, ArgumentRecording argument)
        {
            for (var i = 0; i < arguments.Count; i++)
            {
                if (ReferenceEquals(arguments[i], argument))
                {
                    return i;
                }
            }

            throw new ArgumentException($"{argument.Parameter.Name} is not one of the recorded arguments.", nameof(argument));
        }

        /// <summary>
        /// Roslyn hands out an enumerable iterator itself again once its enumeration is disposed: each enumeration is a
        /// new span, so the enumerator GetEnumerator returns starts with an empty scope.
        /// </summary>
        public void ResetScopeOnGetEnumerator(FieldReference scope, RuntimeReferences runtime) =>
            BeforeGetEnumeratorReturns(il =>
            {
                il.Add(Instruction.Create(OpCodes.Dup));
                il.Add(Instruction.Create(OpCodes.Ldflda, scope));
                il.Add(Instruction.Create(OpCodes.Initobj, runtime.TraceScope));
            });

        public FieldDefinition AddField(string name, TypeReference type)
        {
            var field = new FieldDefinition(name, FieldAttributes.Public, type);
            Type.Fields.Add(field);
            return field;
        }

        /// <summary>
        /// The field that holds a parameter's value inside the machine. Release builds hoist only the parameters the
        /// body uses; for the others a field is added and the kickoff method stores the argument into it.
        /// </summary>
        public FieldDefinition HoistedParameter(ParameterDefinition parameter)
        {
            var existing = FindField(parameter.Name);
            if (existing is not null)
            {
                return existing;
            }

            var field = AddField("<>mops__" + parameter.Name, GenericMapping.ToStateMachine(parameter.ParameterType, Kickoff, Type));
            var construction = FindOwnConstruction();
            if (construction is not null)
            {
                StoreAfterConstruction(construction, parameter, field);
                CopyInGetEnumerator(field);
            }
            else
            {
                StoreFromKickoff(parameter, field);
            }

            return field;
        }

        /// <summary>The kickoff's 'newobj' of the machine, when the machine is a class; null for a struct machine.</summary>
        private Instruction? FindOwnConstruction()
        {
            var instructions = Kickoff.Body.Instructions;
            for (var i = 0; i < instructions.Count; i++)
            {
                var instruction = instructions[i];
                if (instruction.OpCode.Code == Code.Newobj
                    && instruction.Operand is MethodReference constructor
                    && constructor.Name == ".ctor"
                    && TypeIdentity.Same(constructor.DeclaringType, Type))
                {
                    return instruction;
                }
            }

            return null;
        }

        /// <summary>Iterators (and Debug-build async methods) create a class machine: store right after 'newobj'.</summary>
        private void StoreAfterConstruction(Instruction construction, ParameterDefinition parameter, FieldDefinition field)
        {
            var body = Edit(Kickoff);
            var machineInKickoff = ((MethodReference)construction.Operand).DeclaringType;
            IlEditor.InsertAfter(body, construction, new[]
            {
                Instruction.Create(OpCodes.Dup),
                Instruction.Create(OpCodes.Ldarg, parameter),
                Instruction.Create(OpCodes.Stfld, new FieldReference(field.Name, field.FieldType, machineInKickoff)),
            });
        }

        /// <summary>
        /// An enumerable iterator hands out a fresh machine from GetEnumerator when the first one is taken or another
        /// thread asks; the compiler copies the parameters into it, and so must we.
        /// </summary>
        private void CopyInGetEnumerator(FieldDefinition field)
        {
            var inside = Inside(field);
            BeforeGetEnumeratorReturns(il =>
            {
                il.Add(Instruction.Create(OpCodes.Dup));
                il.Add(Instruction.Create(OpCodes.Ldarg_0));
                il.Add(Instruction.Create(OpCodes.Ldfld, inside));
                il.Add(Instruction.Create(OpCodes.Stfld, inside));
            });
        }

        /// <summary>
        /// Inserts <paramref name="snippet"/> before each return of the generic GetEnumerator / GetAsyncEnumerator,
        /// with the enumerator being returned on the stack (the snippet must leave it there).
        /// </summary>
        public void BeforeGetEnumeratorReturns(Action<List<Instruction>> snippet)
        {
            var methods = Type.Methods;
            for (var m = 0; m < methods.Count; m++)
            {
                var getEnumerator = methods[m];
                if (!getEnumerator.HasBody || !getEnumerator.ReturnType.IsGenericInstance
                    || !(getEnumerator.Name.EndsWith("GetEnumerator", StringComparison.Ordinal) || getEnumerator.Name.EndsWith("GetAsyncEnumerator", StringComparison.Ordinal)))
                {
                    continue;
                }

                IlEditor.BeforeEachReturn(Edit(getEnumerator), snippet);
            }
        }

        private void StoreFromKickoff(ParameterDefinition parameter, FieldDefinition field)
        {
            // Every kickoff method sets '<>1__state = -1' on the machine before starting it; store right after that,
            // loading the machine the same way the compiler did ('ldloca sm' for structs, 'ldloc sm' for classes).
            var body = Edit(Kickoff);
            var setState = FindStateStore(body);
            var loadMachine = setState.Previous.Previous;
            var machineInKickoff = ((FieldReference)setState.Operand).DeclaringType;
            var load = Instruction.Create(OpCodes.Nop);
            load.OpCode = loadMachine.OpCode;
            load.Operand = loadMachine.Operand;
            var store = new[]
            {
                load,
                Instruction.Create(OpCodes.Ldarg, parameter),
                Instruction.Create(OpCodes.Stfld, new FieldReference(field.Name, field.FieldType, machineInKickoff)),
            };
            IlEditor.InsertAfter(body, setState, store);
        }

        private Instruction FindStateStore(MethodBody body)
        {
            var instructions = body.Instructions;
            for (var i = 0; i < instructions.Count; i++)
            {
                if (instructions[i].OpCode.Code == Code.Stfld && instructions[i].Operand is FieldReference { Name: "<>1__state" })
                {
                    return instructions[i];
                }
            }

            throw new InvalidOperationException($"The kickoff method {Kickoff.FullName} does not set '<>1__state'.");
        }

        private static TypeReference MakeSelf(TypeDefinition type)
        {
            var self = new GenericInstanceType(type);
            foreach (var parameter in type.GenericParameters)
            {
                self.GenericArguments.Add(parameter);
            }

            return self;
        }
    }
}
