using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using Fody;
using Mirascope.Ops.Fody.Emit;
using Mirascope.Ops.Fody.Targets;
using Mirascope.Ops.Tests.Infrastructure;
using Mirascope.Ops.Tests.Runtime;
using Xunit;
using RuntimeSide = Mirascope.Ops.Weaving;
using WeaverSide = Mirascope.Ops.Fody;

namespace Mirascope.Ops.Tests.Weaving
{
    /// <summary>
    /// The rule of which types are a compiler's anonymous types (Mirascope.Ops/Weaving/AnonymousType.cs, compiled into
    /// both): the weaver roots the ones an assembly creates so a trimmed app keeps their fields, and the recorder records
    /// a value of one by those fields. C# and Visual Basic types are compiled by Roslyn here; the F# anonymous record is
    /// emitted with the names fsc gives one (<c>&lt;&gt;f__AnonymousType&lt;hash&gt;</c>, fields <c>Name@</c>).
    /// </summary>
    public class AnonymousTypeTests
    {
        private const string VisualBasicSource = """
            Imports Mirascope.Ops

            Namespace Anonymous
                Public Class Api
                    <Trace>
                    Public Shared Function Make(name As String) As Object
                        Return New With {.Name = name, Key .Age = 3}
                    End Function
                End Class
            End Namespace
            """;

        private static readonly Lazy<string> VisualBasicDll = new Lazy<string>(() => VisualBasicCompiler.Compile(VisualBasicSource, "AnonymousVb"));

        private static readonly Lazy<Assembly> VisualBasic = new Lazy<Assembly>(() => Assembly.LoadFrom(VisualBasicDll.Value));

        private static Type CSharpAnonymous => new { Name = "cs", Age = 3 }.GetType();

        private static Type VisualBasicAnonymous => VisualBasic.Value.GetTypes().Single(t => t.Name.StartsWith("VB$", StringComparison.Ordinal) && t.IsGenericTypeDefinition);

        [Fact]
        public void Both_copies_of_the_rule_take_the_anonymous_types_csc_and_vbc_compile()
        {
            foreach (var type in new[] { CSharpAnonymous, VisualBasicAnonymous, FSharpShapedAnonymousRecord() })
            {
                Assert.True(RuntimeSide.AnonymousType.Is(type, type.Name, HasAttribute), type.Name);
                Assert.True(WeaverSide.AnonymousType.Is(type, type.Name, HasAttribute), type.Name);
            }

            // The weaver's copy as the weaver calls it: on Cecil's view of the compiled assemblies.
            foreach (var (path, name) in new[] { (typeof(AnonymousTypeTests).Assembly.Location, CSharpAnonymous.Name), (VisualBasicDll.Value, VisualBasicAnonymous.Name) })
            {
                using var module = Mono.Cecil.ModuleDefinition.ReadModule(path);
                var type = module.Types.Single(t => t.Name == name);
                Assert.True(WeaverSide.AnonymousType.Is(type, type.Name, Attributes.Has), name);
            }
        }

        [Fact]
        public void Neither_copy_takes_a_compiler_generated_type_that_only_mentions_the_words_or_a_lookalike_name_without_the_attribute()
        {
            var iterator = AnonymousTypeIds().GetType();
            Assert.StartsWith("<AnonymousTypeIds>", iterator.Name, StringComparison.Ordinal);
            Assert.True(HasAttribute(iterator, typeof(CompilerGeneratedAttribute).FullName!));
            var lookalike = EmitType("VB$AnonymousType_9", compilerGenerated: false, fieldName: "$Age");

            foreach (var type in new[] { iterator, lookalike, typeof(AnonymousTypeTests) })
            {
                Assert.False(RuntimeSide.AnonymousType.Is(type, type.Name, HasAttribute), type.Name);
                Assert.False(WeaverSide.AnonymousType.Is(type, type.Name, HasAttribute), type.Name);
            }
        }

        [Fact]
        public void A_Visual_Basic_anonymous_object_records_its_properties()
        {
            var make = VisualBasic.Value.GetType("Anonymous.Api", throwOnError: true)!.GetMethod("Make")!;
            var value = make.Invoke(null, new object[] { "vb" });

            Assert.Equal("{\"Name\":\"vb\",\"Age\":3}", ValueRecordingTests.Record(value));
        }

        [Fact]
        public void An_FSharp_anonymous_record_records_its_fields()
        {
            var value = Activator.CreateInstance(FSharpShapedAnonymousRecord(), 3);

            Assert.Equal("{\"Age\":3}", ValueRecordingTests.Record(value));
        }

        [Fact]
        public void The_iterator_of_a_method_named_after_anonymous_types_is_a_placeholder_named_by_its_sequence()
        {
            Assert.Equal("\"<IEnumerable<int>>\"", ValueRecordingTests.Record(AnonymousTypeIds()));
        }

        [Fact]
        public void The_weaver_roots_the_Visual_Basic_anonymous_type_a_traced_method_creates()
        {
            var woven = new WeaverSide.ModuleWeaver().ExecuteTestRun(VisualBasicDll.Value, runPeVerify: false);
            Assert.Empty(woven.Errors);
            var holder = woven.Assembly.GetType(RecordedTypeRoots.HolderName, throwOnError: true)!;
            var keep = holder.GetMethod(RecordedTypeRoots.KeepMethodName, BindingFlags.NonPublic | BindingFlags.Static)!;
            var rooted = keep.GetCustomAttributesData()
                .Where(a => a.AttributeType == typeof(DynamicDependencyAttribute))
                .Select(a => ((Type)a.ConstructorArguments[1].Value!).Name)
                .ToList();

            Assert.Contains(VisualBasicAnonymous.Name, rooted);
        }

        private static IEnumerable<int> AnonymousTypeIds()
        {
            yield return 1;
        }

        private static bool HasAttribute(Type type, string fullName) => type.CustomAttributes.Any(a => a.AttributeType.FullName == fullName);

        /// <summary>What fsc 10 emits for <c>{| Age = 3 |}</c> (generic there, in T for Age): a sealed compiler-generated class, field <c>Age@</c>.</summary>
        private static Type FSharpShapedAnonymousRecord() => EmitType("<>f__AnonymousType4095251809", compilerGenerated: true, fieldName: "Age@");

        private static Type EmitType(string name, bool compilerGenerated, string fieldName)
        {
            var assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("Shaped" + Guid.NewGuid().ToString("N")), AssemblyBuilderAccess.Run);
            var type = assembly.DefineDynamicModule("Shaped").DefineType(name, TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Class);
            if (compilerGenerated)
            {
                type.SetCustomAttribute(new CustomAttributeBuilder(typeof(CompilerGeneratedAttribute).GetConstructor(Type.EmptyTypes)!, Array.Empty<object>()));
            }

            var field = type.DefineField(fieldName, typeof(int), FieldAttributes.Assembly);
            var constructor = type.DefineConstructor(MethodAttributes.Public, CallingConventions.Standard, new[] { typeof(int) });
            var il = constructor.GetILGenerator();
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Call, typeof(object).GetConstructor(Type.EmptyTypes)!);
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Stfld, field);
            il.Emit(OpCodes.Ret);

            var getter = type.DefineMethod("get_Age", MethodAttributes.Public | MethodAttributes.SpecialName | MethodAttributes.HideBySig, typeof(int), Type.EmptyTypes);
            il = getter.GetILGenerator();
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldfld, field);
            il.Emit(OpCodes.Ret);
            type.DefineProperty("Age", PropertyAttributes.None, typeof(int), null).SetGetMethod(getter);
            return type.CreateType();
        }
    }
}
