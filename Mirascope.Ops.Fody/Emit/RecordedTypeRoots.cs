using System.Collections.Generic;
using System.Linq;
using Mirascope.Ops.Fody.Targets;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Mirascope.Ops.Fody.Emit
{
    /// <summary>
    /// Keeps, in a trimmed or native AOT publish of the woven app, the reflection metadata the recorder reads: the
    /// fields and public properties of every type whose values woven methods can be seen to record at build time.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The recorder never runs the program's code: it reads a value's fields by reflection over its runtime type. The
    /// trimmer (ILLink, and ILC for native AOT) keeps a type's member metadata only when it can see reflection ask for
    /// it, and the recorder's reflection works on <c>value.GetType()</c>, which it cannot follow: under native AOT the
    /// program's types came out as <c>"&lt;TypeName&gt;"</c> placeholders.
    /// </para>
    /// <para>
    /// Why roots emitted here rather than <c>[DynamicallyAccessedMembers]</c> on the T of <c>TraceScope.Arg&lt;T&gt;</c>
    /// and <c>Complete&lt;T&gt;</c>: an annotation there keeps the members of T only, not of the types T's fields hold
    /// (a customer's address, a cart's lines, a list's elements, a task's result), and it makes the trimmer warn
    /// (IL2091) in every woven generic method whose own T is not annotated, which fails a build that treats warnings
    /// as errors. The weaver sees the whole closure at build time instead: the parameter and return types of each
    /// woven method (their generic arguments too: <c>Task&lt;Order&gt;</c>, <c>List&lt;Line&gt;</c>), the instance
    /// field types of those types and their base types, recursively, the types of this assembly that derive from or
    /// implement a type found so (a value is often a subclass of its declared type), and the anonymous types this
    /// assembly creates (they reach a traced method only as <c>object</c> or a generic T), with the type arguments they
    /// are created with. BCL types are left to the runtime, which roots the few BCL members it reads by name itself.
    /// </para>
    /// <para>
    /// All roots are <c>[DynamicDependency]</c> attributes on one generated method, and every woven method points at it
    /// with one more: a kept woven method keeps them all, a trimmed-away one costs nothing, and each root is written
    /// once whatever the number of woven methods (the blob heap shares the pointer's bytes). Nothing runs at run time.
    /// Not reached: a value whose runtime type no signature, field or creation of this assembly names (an
    /// <c>object</c> parameter given another assembly's type), the instantiation of a woven generic method's own T, and
    /// types of assemblies this one does not reference directly (rooting them would add references). Those stay
    /// placeholders in a native build, as before. Assemblies whose target framework has no
    /// <c>DynamicDependencyAttribute</c> (netstandard2.0, .NET Framework) get no roots.
    /// </para>
    /// </remarks>
    internal sealed class RecordedTypeRoots
    {
        // No dot: a [DynamicDependency] names the type in a string, where a dot would split off a namespace.
        public const string HolderName = "<MirascopeOps>RecordedTypes";
        public const string KeepMethodName = "Keep";
        private const string DynamicDependencyName = "System.Diagnostics.CodeAnalysis.DynamicDependencyAttribute";
        private const string MemberTypesName = "System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes";

        // DynamicallyAccessedMemberTypes.PublicFields | NonPublicFields: public fields, and the backing and
        // conventional fields the recorder reads for properties.
        private const int Fields = 0x0020 | 0x0040;

        // | PublicProperties: the public properties whose backing fields are recorded (their getters never run).
        private const int FieldsAndProperties = Fields | 0x0200;

        private readonly ModuleDefinition _module;
        private readonly HashSet<string> _referencedAssemblies;
        private readonly HashSet<TypeDefinition> _seen = new HashSet<TypeDefinition>();
        private readonly List<TypeDefinition> _roots = new List<TypeDefinition>();

        // Non-sealed classes and interfaces found in the closure: a value of one may be any type deriving from it.
        private readonly HashSet<TypeDefinition> _open = new HashSet<TypeDefinition>();

        private RecordedTypeRoots(ModuleDefinition module)
        {
            _module = module;
            // By full name (version and key too): importing a type of any other assembly would add a reference.
            _referencedAssemblies = new HashSet<string>(module.AssemblyReferences.Select(a => a.FullName)) { module.Assembly.Name.FullName };
        }

        /// <summary>Adds the roots for <paramref name="targets"/>; nothing when the framework has no DynamicDependencyAttribute.</summary>
        public static void Emit(ModuleDefinition module, IReadOnlyCollection<TraceTarget> targets, System.Func<string, TypeDefinition?> tryFindType)
        {
            var dynamicDependency = tryFindType(DynamicDependencyName);
            var memberTypes = tryFindType(MemberTypesName);
            var systemType = tryFindType("System.Type");
            if (targets.Count == 0 || dynamicDependency is null || memberTypes is null || systemType is null)
            {
                return;
            }

            var closure = new RecordedTypeRoots(module);
            foreach (var target in targets)
            {
                foreach (var parameter in target.Method.Parameters)
                {
                    closure.Visit(parameter.ParameterType);
                }

                closure.Visit(target.Method.ReturnType);
            }

            closure.AddAnonymousTypes();
            closure.AddDerivedTypes();
            if (closure._roots.Count == 0)
            {
                return;
            }

            var typeReference = module.ImportReference(systemType);
            var byMembers = module.ImportReference(dynamicDependency.Methods.Single(m => m.IsConstructor && m.Parameters.Count == 2
                && m.Parameters[0].ParameterType.FullName == MemberTypesName && m.Parameters[1].ParameterType.FullName == "System.Type"));
            var bySignature = module.ImportReference(dynamicDependency.Methods.Single(m => m.IsConstructor && m.Parameters.Count == 2
                && m.Parameters[0].ParameterType.FullName == "System.String" && m.Parameters[1].ParameterType.FullName == "System.Type"));
            var memberTypesReference = module.ImportReference(memberTypes);

            var keep = CreateHolder(module);
            foreach (var root in closure._roots)
            {
                var rootReference = module.ImportReference(root);

                // PublicProperties takes inherited ones too: on a type deriving from a BCL class other than object
                // (an exception, EventArgs) it would pull in BCL properties marked [RequiresUnreferencedCode]
                // (Exception.TargetSite) and the trimmer would warn in the user's build. There the type's own
                // properties are rooted by name instead; the recorder reads no BCL base's members anyway.
                var inheritsFramework = HasFrameworkBase(root);
                var guarded = HasGuardedMembers(root);
                if (!guarded)
                {
                    var attribute = new CustomAttribute(byMembers);
                    attribute.ConstructorArguments.Add(new CustomAttributeArgument(memberTypesReference, inheritsFramework ? Fields : FieldsAndProperties));
                    attribute.ConstructorArguments.Add(new CustomAttributeArgument(typeReference, rootReference));
                    keep.CustomAttributes.Add(attribute);
                    if (!inheritsFramework)
                    {
                        continue;
                    }
                }
                else
                {
                    // A member the trimmer guards ([DynamicallyAccessedMembers] on a field, a property or an accessor;
                    // [RequiresUnreferencedCode]/[RequiresDynamicCode] on an accessor) reached through a root of all
                    // fields or properties is "accessed via reflection": ILC warns (IL2110, IL2111, IL2026), which fails
                    // the library's own AOT publish. So such a type's other members are rooted one by one, and the
                    // guarded ones are not rooted at all (a native build records them only if the app keeps them).
                    foreach (var field in root.Fields)
                    {
                        if (!field.IsStatic && !IsGuarded(field))
                        {
                            var byName = new CustomAttribute(bySignature);
                            byName.ConstructorArguments.Add(new CustomAttributeArgument(module.TypeSystem.String, field.Name));
                            byName.ConstructorArguments.Add(new CustomAttributeArgument(typeReference, rootReference));
                            keep.CustomAttributes.Add(byName);
                        }
                    }
                }

                foreach (var property in root.Properties)
                {
                    if (property.GetMethod is { IsPublic: true, IsStatic: false } && !property.HasParameters && !IsGuarded(property))
                    {
                        var byName = new CustomAttribute(bySignature);
                        byName.ConstructorArguments.Add(new CustomAttributeArgument(module.TypeSystem.String, property.Name));
                        byName.ConstructorArguments.Add(new CustomAttributeArgument(typeReference, rootReference));
                        keep.CustomAttributes.Add(byName);
                    }
                }
            }

            foreach (var target in targets)
            {
                var pointer = new CustomAttribute(bySignature);
                pointer.ConstructorArguments.Add(new CustomAttributeArgument(module.TypeSystem.String, KeepMethodName));
                pointer.ConstructorArguments.Add(new CustomAttributeArgument(typeReference, keep.DeclaringType));
                target.Method.CustomAttributes.Add(pointer);
            }
        }

        private static readonly HashSet<string> GuardAttributes = new HashSet<string>
        {
            "System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembersAttribute",
            "System.Diagnostics.CodeAnalysis.RequiresUnreferencedCodeAttribute",
            "System.Diagnostics.CodeAnalysis.RequiresDynamicCodeAttribute",
            "System.Diagnostics.CodeAnalysis.RequiresAssemblyFilesAttribute",
        };

        /// <summary>Whether the type declares a field or property the trimmer guards (see <see cref="IsGuarded(FieldDefinition)"/>).</summary>
        private static bool HasGuardedMembers(TypeDefinition type) =>
            type.Fields.Any(f => !f.IsStatic && IsGuarded(f)) || type.Properties.Any(IsGuarded);

        /// <summary>A field with <c>[DynamicallyAccessedMembers]</c>: reflection over it makes ILC warn IL2110.</summary>
        private static bool IsGuarded(FieldDefinition field) => HasGuard(field.CustomAttributes);

        /// <summary>A property, or an accessor (its return value or parameters included), with a trimming annotation or requirement.</summary>
        private static bool IsGuarded(PropertyDefinition property) =>
            HasGuard(property.CustomAttributes) || IsGuarded(property.GetMethod) || IsGuarded(property.SetMethod);

        private static bool IsGuarded(MethodDefinition? accessor) =>
            accessor is not null
            && (HasGuard(accessor.CustomAttributes) || HasGuard(accessor.MethodReturnType.CustomAttributes)
                || accessor.Parameters.Any(p => HasGuard(p.CustomAttributes)));

        private static bool HasGuard(Mono.Collections.Generic.Collection<CustomAttribute> attributes) =>
            attributes.Any(a => GuardAttributes.Contains(a.AttributeType.FullName));

        private static MethodDefinition CreateHolder(ModuleDefinition module)
        {
            var holder = new TypeDefinition(
                string.Empty,
                HolderName,
                TypeAttributes.NotPublic | TypeAttributes.Abstract | TypeAttributes.Sealed | TypeAttributes.BeforeFieldInit | TypeAttributes.Class,
                module.TypeSystem.Object);
            module.Types.Add(holder);
            var keep = new MethodDefinition(KeepMethodName, MethodAttributes.Private | MethodAttributes.Static | MethodAttributes.HideBySig, module.TypeSystem.Void);
            keep.Body.GetILProcessor().Emit(OpCodes.Ret);
            holder.Methods.Add(keep);
            return keep;
        }

        private void Visit(TypeReference? type)
        {
            while (type is TypeSpecification specification && type is not GenericInstanceType)
            {
                // ref/out/in, pointers, arrays, modifiers: the element type is what gets recorded (a function
                // pointer has none).
                type = specification.ElementType;
            }

            if (type is null || type is GenericParameter)
            {
                return;
            }

            if (type is GenericInstanceType instance)
            {
                foreach (var argument in instance.GenericArguments)
                {
                    Visit(argument);
                }
            }

            var definition = TryResolve(type);
            if (definition is null || !_seen.Add(definition) || IsFramework(definition) || definition.IsEnum || IsDelegate(definition))
            {
                return;
            }

            if (!definition.IsSealed || definition.IsInterface)
            {
                _open.Add(definition);
            }

            if (!definition.IsInterface && _referencedAssemblies.Contains(definition.Module.Assembly.Name.FullName))
            {
                _roots.Add(definition);
            }

            foreach (var field in definition.Fields)
            {
                if (!field.IsStatic)
                {
                    Visit(field.FieldType);
                }
            }

            if (definition.BaseType is not null)
            {
                Visit(definition.BaseType);
            }
        }

        /// <summary>
        /// Anonymous types, and the type arguments this assembly creates them with: they reach a traced method only as
        /// <c>object</c> or a generic T, so no signature names them.
        /// </summary>
        private void AddAnonymousTypes()
        {
            var anonymous = _module.Types.Where(IsAnonymous).ToList();
            if (anonymous.Count == 0)
            {
                return;
            }

            foreach (var type in anonymous)
            {
                Visit(type);
            }

            foreach (var type in _module.GetTypes())
            {
                foreach (var method in type.Methods)
                {
                    if (!method.HasBody)
                    {
                        continue;
                    }

                    foreach (var instruction in method.Body.Instructions)
                    {
                        if (instruction.OpCode.Code == Code.Newobj && instruction.Operand is MethodReference constructor
                            && constructor.DeclaringType is GenericInstanceType created && AnonymousType.HasAnonymousName(created.ElementType.Name))
                        {
                            Visit(created);
                        }
                    }
                }
            }
        }

        /// <summary>The types of this assembly deriving from, or implementing, an open type of the closure (until none is added).</summary>
        private void AddDerivedTypes()
        {
            var candidates = _module.GetTypes().Where(t => !t.IsInterface && !t.IsEnum && !IsDelegate(t)).ToList();
            bool added;
            do
            {
                added = false;
                foreach (var type in candidates)
                {
                    if (!_seen.Contains(type) && DerivesFromOpen(type))
                    {
                        Visit(type);
                        added = true;
                    }
                }
            }
            while (added);
        }

        private bool DerivesFromOpen(TypeDefinition type)
        {
            foreach (var implemented in type.Interfaces)
            {
                var face = TryResolve(implemented.InterfaceType);
                if (face is not null && _open.Contains(face))
                {
                    return true;
                }
            }

            var baseType = type.BaseType is null ? null : TryResolve(type.BaseType);
            return baseType is not null && (_open.Contains(baseType) || (!IsFramework(baseType) && DerivesFromOpen(baseType)));
        }

        /// <summary>Whether a base class of <paramref name="type"/> is the BCL's, other than <c>object</c> and <c>ValueType</c>.</summary>
        private static bool HasFrameworkBase(TypeDefinition type)
        {
            for (var baseType = type.BaseType; baseType is not null; baseType = TryResolve(baseType)?.BaseType)
            {
                if (baseType.FullName is "System.Object" or "System.ValueType")
                {
                    return false;
                }

                var definition = TryResolve(baseType);
                if (definition is null || IsFramework(definition))
                {
                    return true;
                }
            }

            return false;
        }

        private static TypeDefinition? TryResolve(TypeReference type)
        {
            try
            {
                return type.Resolve();
            }
            catch (AssemblyResolutionException)
            {
                // A type whose assembly the build does not have: not rooted, recorded as its placeholder natively.
                return null;
            }
        }

        /// <summary>A C#, Visual Basic or F# anonymous type (the rule shared with the runtime: <see cref="AnonymousType"/>).</summary>
        private static bool IsAnonymous(TypeDefinition type) => AnonymousType.Is(type, type.Name, Attributes.Has);

        private static bool IsDelegate(TypeDefinition type) => type.BaseType?.FullName is "System.MulticastDelegate" or "System.Delegate";

        /// <summary>The runtime's rule (FrameworkTypes.Is), shared with it: <see cref="FrameworkAssembly"/>.</summary>
        private static bool IsFramework(TypeDefinition type)
        {
            var name = type.Module.Assembly.Name;
            return FrameworkAssembly.Is(name.Name, name.PublicKeyToken);
        }
    }
}
