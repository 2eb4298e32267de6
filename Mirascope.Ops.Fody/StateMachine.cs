using System;
using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;

namespace Mirascope.Ops.Fody
{
    /// <summary>
    /// A compiler-generated state machine (async method, iterator, async iterator) as the weaver sees it: its fields
    /// referenced from inside itself, its kickoff method, and the parameters it hoisted.
    /// </summary>
    internal sealed class StateMachine
    {
        private readonly TypeReference _self;

        public StateMachine(TypeDefinition type, MethodDefinition kickoff)
        {
            Type = type;
            Kickoff = kickoff;
            _self = type.HasGenericParameters ? MakeSelf(type) : type;
        }

        public TypeDefinition Type { get; }

        public MethodDefinition Kickoff { get; }

        public MethodDefinition Method(string name) => Type.Methods.Single(m => m.Name == name || m.Name.EndsWith("." + name, System.StringComparison.Ordinal));

        public FieldDefinition? FindField(string name) => Type.Fields.FirstOrDefault(f => f.Name == name);

        /// <summary>A reference to one of the machine's fields usable inside the machine (instantiated over its own generic parameters).</summary>
        public FieldReference Inside(FieldDefinition field) =>
            ReferenceEquals(_self, Type) ? field : new FieldReference(field.Name, field.FieldType, _self);

        /// <summary>Adds the field that holds the call's <c>TraceScope</c> for the machine's whole life.</summary>
        public FieldReference AddScope(RuntimeReferences runtime) => Inside(AddField("<>mops__scope", runtime.TraceScope));

        /// <summary>
        /// Loads each recorded argument from the machine's hoisted fields (adding the ones the compiler left out), typed
        /// as seen inside the machine.
        /// </summary>
        public Func<ArgumentRecording, (IEnumerable<Instruction> Load, TypeReference Type)> ArgumentLoader(IReadOnlyList<ArgumentRecording> arguments)
        {
            var fields = arguments.Where(a => a.Mode == ArgumentMode.Value).ToDictionary(a => a, a => Inside(HoistedParameter(a.Parameter)));
            return a => (new[] { Instruction.Create(OpCodes.Ldarg_0), Instruction.Create(OpCodes.Ldfld, fields[a]) }, fields[a].FieldType);
        }

        /// <summary>
        /// Roslyn hands out an enumerable iterator itself again once its enumeration is disposed: each enumeration is a
        /// new span, so the enumerator GetEnumerator returns starts with an empty scope.
        /// </summary>
        public void ResetScopeOnGetEnumerator(FieldReference scope, RuntimeReferences runtime) =>
            BeforeGetEnumeratorReturns(() => new[]
            {
                Instruction.Create(OpCodes.Dup),
                Instruction.Create(OpCodes.Ldflda, scope),
                Instruction.Create(OpCodes.Initobj, runtime.TraceScope),
            });

        /// <summary>Hides the woven prologue of <paramref name="method"/>, restores short branches, and finishes the kickoff method.</summary>
        public void Finish(MethodDefinition method, Instruction prologueStart)
        {
            if (method.DebugInformation.HasSequencePoints)
            {
                DebugInfo.Hide(method, prologueStart);
                DebugInfo.Sort(method);
            }

            method.Body.OptimizeMacros();
            Kickoff.Body.OptimizeMacros();
        }

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
            if (Kickoff.Body.Instructions.Any(i => i.OpCode == OpCodes.Newobj && IsOwnConstructor(i.Operand)))
            {
                StoreAfterConstruction(parameter, field);
                CopyInGetEnumerator(field);
            }
            else
            {
                StoreFromKickoff(parameter, field);
            }

            return field;
        }

        private bool IsOwnConstructor(object operand) =>
            operand is MethodReference constructor && constructor.Name == ".ctor" && constructor.DeclaringType.GetElementType().FullName == Type.FullName;

        /// <summary>Iterators (and Debug-build async methods) create a class machine: store right after 'newobj'.</summary>
        private void StoreAfterConstruction(ParameterDefinition parameter, FieldDefinition field)
        {
            var body = Kickoff.Body;
            var construction = body.Instructions.First(i => i.OpCode == OpCodes.Newobj && IsOwnConstructor(i.Operand));
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
            BeforeGetEnumeratorReturns(() => new[]
            {
                Instruction.Create(OpCodes.Dup),
                Instruction.Create(OpCodes.Ldarg_0),
                Instruction.Create(OpCodes.Ldfld, inside),
                Instruction.Create(OpCodes.Stfld, inside),
            });
        }

        /// <summary>
        /// Inserts <paramref name="snippet"/> before each return of the generic GetEnumerator / GetAsyncEnumerator,
        /// with the enumerator being returned on the stack (the snippet must leave it there).
        /// </summary>
        public void BeforeGetEnumeratorReturns(System.Func<Instruction[]> snippet)
        {
            foreach (var getEnumerator in Type.Methods.Where(m => m.HasBody && m.ReturnType.IsGenericInstance
                && (m.Name.EndsWith("GetEnumerator", System.StringComparison.Ordinal) || m.Name.EndsWith("GetAsyncEnumerator", System.StringComparison.Ordinal))))
            {
                var body = getEnumerator.Body;
                body.SimplifyMacros();
                foreach (var ret in body.Instructions.Where(i => i.OpCode == OpCodes.Ret).ToList())
                {
                    IlEditor.InsertOnPathTo(body, ret, snippet());
                }

                body.OptimizeMacros();
            }
        }

        private void StoreFromKickoff(ParameterDefinition parameter, FieldDefinition field)
        {
            // Every kickoff method sets '<>1__state = -1' on the machine before starting it; store right after that,
            // loading the machine the same way the compiler did ('ldloca sm' for structs, 'ldloc sm' for classes).
            var body = Kickoff.Body;
            var setState = body.Instructions.First(i =>
                (i.OpCode == OpCodes.Stfld) && i.Operand is FieldReference f && f.Name == "<>1__state");
            var loadMachine = setState.Previous.Previous;
            var machineInKickoff = ((FieldReference)setState.Operand).DeclaringType;
            var store = new[]
            {
                Instruction.Create(loadMachine.OpCode, (VariableDefinition)loadMachine.Operand),
                Instruction.Create(OpCodes.Ldarg, parameter),
                Instruction.Create(OpCodes.Stfld, new FieldReference(field.Name, field.FieldType, machineInKickoff)),
            };
            IlEditor.InsertAfter(body, setState, store);
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
