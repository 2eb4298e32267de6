using System.Linq;
using System.Net.Http;
using Xunit;
using RuntimeSide = Mirascope.Ops.Weaving;
using WeaverSide = Mirascope.Ops.Fody;

namespace Mirascope.Ops.Tests.Weaving
{
    /// <summary>
    /// The rule of which assemblies are the base class library's (Mirascope.Ops/Weaving/FrameworkAssembly.cs, compiled
    /// into both): the recorder writes the framework's values by ToString or as a placeholder, and the weaver keeps no
    /// trimming roots for them; a user's assembly that only borrows a System name keeps its members recorded.
    /// </summary>
    public class FrameworkAssemblyTests
    {
        [Fact]
        public void The_base_class_library_assemblies_are_the_frameworks_on_both_sides()
        {
            foreach (var assembly in new[] { typeof(object).Assembly, typeof(Enumerable).Assembly, typeof(HttpClient).Assembly, typeof(System.Text.Json.JsonSerializer).Assembly })
            {
                var name = assembly.GetName();
                Assert.True(RuntimeSide.FrameworkAssembly.Is(name.Name, name.GetPublicKeyToken()), name.FullName);
                Assert.True(WeaverSide.FrameworkAssembly.Is(name.Name, name.GetPublicKeyToken()), name.FullName);
            }
        }

        [Fact]
        public void An_assembly_named_like_the_framework_but_not_signed_with_its_key_is_not_the_frameworks()
        {
            // This test assembly is signed with the project's own key.
            var ownKey = typeof(FrameworkAssemblyTests).Assembly.GetName().GetPublicKeyToken();

            Assert.False(RuntimeSide.FrameworkAssembly.Is("System.Foo", ownKey));
            Assert.False(RuntimeSide.FrameworkAssembly.Is("System.Foo", null));
            Assert.False(RuntimeSide.FrameworkAssembly.Is("System.Foo", new byte[0]));
        }

        [Fact]
        public void An_assembly_signed_with_a_framework_key_but_not_named_System_is_not_the_frameworks()
        {
            var frameworkKey = typeof(object).Assembly.GetName().GetPublicKeyToken();

            Assert.False(RuntimeSide.FrameworkAssembly.Is("Microsoft.Extensions.Logging", frameworkKey));
            Assert.False(RuntimeSide.FrameworkAssembly.Is("Systemic", frameworkKey));
            Assert.False(RuntimeSide.FrameworkAssembly.Is(null, frameworkKey));
        }
    }
}
