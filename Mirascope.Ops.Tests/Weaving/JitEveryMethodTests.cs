using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Assembly = System.Reflection.Assembly;
using Mirascope.Ops.Tests.Infrastructure;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Xunit;

namespace Mirascope.Ops.Tests.Weaving
{
    public class JitEveryMethodTests
    {
        public static IEnumerable<object[]> Configurations => WovenAssembly.Configurations;

        [Theory]
        [MemberData(nameof(Configurations))]
        public void Every_method_of_the_woven_assembly_compiles(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);

            var failures = MethodJitter.CompileAll(woven.Assembly, out var compiled);

            Assert.Empty(failures);
            // Woven methods, their state machines' MoveNext and the descriptor holders are all among them.
            Assert.True(compiled > 100, $"only {compiled} bodies compiled");
            Assert.Contains(woven.Assembly.GetTypes(), t => t.Name.StartsWith("<Mirascope.Ops>TracedMethods", StringComparison.Ordinal));
        }

        [Fact]
        public void Negative_control_the_check_catches_broken_il()
        {
            var woven = WovenAssembly.Get("Debug");
            using var module = ModuleDefinition.ReadModule(woven.Result.AssemblyPath);
            module.Assembly.Name.Name = "BrokenOnPurpose";
            module.Name = "BrokenOnPurpose.dll";
            var type = new TypeDefinition("Broken", "Control", TypeAttributes.Public | TypeAttributes.Class | TypeAttributes.Abstract | TypeAttributes.Sealed, module.TypeSystem.Object);
            var method = new MethodDefinition("Underflow", MethodAttributes.Public | MethodAttributes.Static, module.TypeSystem.Int32);
            var il = method.Body.GetILProcessor();
            il.Emit(OpCodes.Pop); // pops from an empty stack: invalid IL
            il.Emit(OpCodes.Ldc_I4_1);
            il.Emit(OpCodes.Ret);
            type.Methods.Add(method);
            module.Types.Add(type);
            using var stream = new MemoryStream();
            module.Write(stream);

            var failures = MethodJitter.CompileAll(Assembly.Load(stream.ToArray()), out _);

            var failure = Assert.Single(failures);
            Assert.Contains("Underflow", failure);
            Assert.Contains("InvalidProgramException", failure);
        }
    }
}
