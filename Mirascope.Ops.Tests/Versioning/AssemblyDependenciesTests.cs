using System;
using System.IO;
using Mirascope.Ops.Fody.Versioning;
using Mono.Cecil;
using Xunit;

namespace Mirascope.Ops.Tests.Versioning
{
    /// <summary>The dependencies a versioned function registers with: NuGet packages where the build restored them.</summary>
    public class AssemblyDependenciesTests
    {
        [Fact]
        public void A_reference_restored_from_a_package_is_that_package_spelled_as_its_nuspec_and_others_are_assembly_names()
        {
            var root = Path.Combine(Path.GetTempPath(), "mirascope-ops-tests", "packages-" + Guid.NewGuid().ToString("N"));
            var lib = Directory.CreateDirectory(Path.Combine(root, "markdig", "1.6.0", "lib", "net8.0")).FullName;
            File.WriteAllText(Path.Combine(lib, "Markdig.dll"), string.Empty);
            File.WriteAllText(
                Path.Combine(root, "markdig", "1.6.0", "markdig.nuspec"),
                "<?xml version=\"1.0\"?><package xmlns=\"http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd\"><metadata><id>Markdig</id><version>1.6.0</version></metadata></package>");
            var projectDll = Path.Combine(root, "..", "src", "Shop.Core", "bin", "Shop.Core.dll");

            using var module = ModuleDefinition.CreateModule("Shop", ModuleKind.Dll);
            module.AssemblyReferences.Add(new AssemblyNameReference("Markdig", new Version(1, 0, 0, 0)));
            module.AssemblyReferences.Add(new AssemblyNameReference("Shop.Core", new Version(2, 3, 0, 0)));
            module.AssemblyReferences.Add(new AssemblyNameReference("System.Runtime", new Version(10, 0, 0, 0)));

            var described = AssemblyDependencies.Describe(module, new[] { Path.Combine(lib, "Markdig.dll"), projectDll });

            // The package version, not the assembly's 1.0.0.0; the framework left out; a project reference by name.
            Assert.Equal("Markdig 1.6.0\nShop.Core 2.3.0.0", described);
        }
    }
}
