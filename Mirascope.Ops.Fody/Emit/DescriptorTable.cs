using System.Collections.Generic;
using System.Linq;
using System.Text;
using Mirascope.Ops.Fody.Targets;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Mirascope.Ops.Fody.Emit
{
    /// <summary>
    /// Holds one static <c>TracedMethod</c> descriptor per woven method, in generated classes of at most
    /// <see cref="ChunkSize"/> fields each. Keeping descriptors out of the traced types means generic types do not
    /// get one descriptor per instantiation, and small static constructors keep first-call start-up cheap.
    /// </summary>
    internal sealed class DescriptorTable
    {
        public const int ChunkSize = 128;
        public const string HolderNamePrefix = "<Mirascope.Ops>TracedMethods";

        private readonly ModuleDefinition _module;
        private readonly RuntimeReferences _runtime;
        private readonly List<(FieldDefinition Field, TraceTarget Target)> _entries = new List<(FieldDefinition, TraceTarget)>();
        private TypeDefinition? _holder;

        public DescriptorTable(ModuleDefinition module, RuntimeReferences runtime)
        {
            _module = module;
            _runtime = runtime;
        }

        public FieldReference Add(TraceTarget target)
        {
            if (_holder is null || _holder.Fields.Count >= ChunkSize)
            {
                _holder = CreateHolder(_module.Types.Count(t => t.Name.StartsWith(HolderNamePrefix, System.StringComparison.Ordinal)));
            }

            var field = new FieldDefinition(
                "<" + target.Method.Name + ">" + _entries.Count,
                FieldAttributes.Assembly | FieldAttributes.Static | FieldAttributes.InitOnly,
                _runtime.TracedMethod);
            _holder.Fields.Add(field);
            _entries.Add((field, target));
            return field;
        }

        /// <summary>Writes each holder's static constructor: build-time constants in, one <c>newobj</c> per method.</summary>
        public void EmitInitializers()
        {
            // Reused for every entry: the argument names, and the argument types' JSON.
            var names = new List<string>();
            var json = new StringBuilder();

            // Each holder is filled before the next is created: its entries are one run of _entries.
            for (var start = 0; start < _entries.Count;)
            {
                var holder = _entries[start].Field.DeclaringType;
                var end = start;
                var size = 1;
                for (; end < _entries.Count && _entries[end].Field.DeclaringType == holder; end++)
                {
                    size += 14 + (4 * _entries[end].Target.Arguments.Count);
                }

                var constructor = new MethodDefinition(
                    ".cctor",
                    MethodAttributes.Private | MethodAttributes.Static | MethodAttributes.HideBySig | MethodAttributes.SpecialName | MethodAttributes.RTSpecialName,
                    _module.TypeSystem.Void);

                // Room for the usual entry up front; the collection would otherwise double its way up to thousands.
                constructor.Body.Instructions.Capacity = size;
                var il = constructor.Body.GetILProcessor();
                for (var e = start; e < end; e++)
                {
                    var (field, target) = _entries[e];
                    var arguments = target.Arguments;
                    il.Emit(OpCodes.Ldstr, target.SpanName);
                    il.Emit(OpCodes.Ldstr, target.QualifiedName);
                    il.Emit(OpCodes.Ldstr, target.Module);
                    il.Emit(OpCodes.Ldstr, target.FunctionName);
                    il.Emit(target.IsAsync ? OpCodes.Ldc_I4_1 : OpCodes.Ldc_I4_0);
                    names.Clear();
                    for (var a = 0; a < arguments.Count; a++)
                    {
                        names.Add(arguments[a].Parameter.Name);
                    }

                    EmitStringArray(il, names);
                    il.Emit(OpCodes.Ldstr, ArgumentPlan.TypesJson(arguments, json));
                    if (target.Settings.Tags.Count > 0)
                    {
                        EmitStringArray(il, target.Settings.Tags);
                    }
                    else
                    {
                        il.Emit(OpCodes.Ldnull);
                    }

                    if (target.Settings.MetadataJson is not null)
                    {
                        il.Emit(OpCodes.Ldstr, target.Settings.MetadataJson);
                    }
                    else
                    {
                        il.Emit(OpCodes.Ldnull);
                    }

                    var valueOptions = ValueOptions(target);
                    if (target.Agent is not null)
                    {
                        // [Version] is never beside [Agent] (MOPS014): no version pairs.
                        il.Emit(OpCodes.Ldnull);
                        il.Emit(OpCodes.Ldc_I4, valueOptions);
                        EmitStringArray(il, target.Agent.Attributes);
                        il.Emit(OpCodes.Newobj, _runtime.AgentMethodConstructor);
                    }
                    else if (valueOptions != 0)
                    {
                        // Only a method that turns values off takes the constructor with options: every other woven
                        // method stays as it was (and runs on an older runtime of the same major version).
                        if (target.VersionTags is not null)
                        {
                            EmitStringArray(il, target.VersionTags);
                        }
                        else
                        {
                            il.Emit(OpCodes.Ldnull);
                        }

                        il.Emit(OpCodes.Ldc_I4, valueOptions);
                        il.Emit(OpCodes.Newobj, _runtime.TracedMethodWithOptionsConstructor);
                    }
                    else if (target.VersionTags is not null)
                    {
                        EmitStringArray(il, target.VersionTags);
                        il.Emit(OpCodes.Newobj, _runtime.VersionedMethodConstructor);
                    }
                    else
                    {
                        il.Emit(OpCodes.Newobj, _runtime.TracedMethodConstructor);
                    }
                    il.Emit(OpCodes.Stsfld, field);
                }

                il.Emit(OpCodes.Ret);
                holder.Methods.Add(constructor);
                start = end;
            }
        }

        /// <summary>
        /// The runtime's value options of a method (<c>TracedMethod.NoValues</c>, <c>TracedMethod.RedactedOutput</c>):
        /// <c>[Trace(RecordValues = false)]</c> at any level, <c>[return: NoTrace]</c>.
        /// </summary>
        private static int ValueOptions(TraceTarget target)
        {
            var options = target.Settings.RecordValues ? 0 : 1;
            foreach (var attribute in target.Method.MethodReturnType.CustomAttributes)
            {
                if (attribute.AttributeType.FullName == RuntimeTypeNames.NoTraceAttribute)
                {
                    options |= 2;
                }
            }

            return options;
        }

        private TypeDefinition CreateHolder(int index)
        {
            var holder = new TypeDefinition(
                string.Empty,
                HolderNamePrefix + index,
                TypeAttributes.NotPublic | TypeAttributes.Abstract | TypeAttributes.Sealed | TypeAttributes.BeforeFieldInit | TypeAttributes.Class,
                _module.TypeSystem.Object);
            holder.CustomAttributes.Add(new CustomAttribute(_runtime.CompilerGeneratedConstructor));
            _module.Types.Add(holder);
            return holder;
        }

        private void EmitStringArray(ILProcessor il, IReadOnlyList<string> values)
        {
            il.Emit(OpCodes.Ldc_I4, values.Count);
            il.Emit(OpCodes.Newarr, _module.TypeSystem.String);
            for (var i = 0; i < values.Count; i++)
            {
                il.Emit(OpCodes.Dup);
                il.Emit(OpCodes.Ldc_I4, i);
                il.Emit(OpCodes.Ldstr, values[i]);
                il.Emit(OpCodes.Stelem_Ref);
            }
        }
    }
}
