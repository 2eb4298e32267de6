using System;
using System.Linq;
using Mono.Cecil;

namespace Mirascope.Ops.Fody.Versioning
{
    /// <summary>
    /// The packages a versioned function depends on, approximated by the assembly references of its module: name and
    /// assembly version of each one that is not part of the .NET framework. An assembly version is not always its
    /// NuGet package's version (many packages keep <c>x.0.0.0</c>), and a package's other assemblies are not
    /// listed; it is what the build knows without reading the project's assets file.
    /// </summary>
    internal static class AssemblyDependencies
    {
        /// <summary>Newline-separated <c>name version</c> lines, sorted by name.</summary>
        public static string Describe(ModuleDefinition module) =>
            string.Join("\n", module.AssemblyReferences
                .Where(reference => !IsFramework(reference.Name))
                .OrderBy(reference => reference.Name, StringComparer.Ordinal)
                .Select(reference => reference.Name + " " + reference.Version));

        private static bool IsFramework(string name) =>
            name == "mscorlib" || name == "netstandard" || name == "System" || name == "WindowsBase"
            || name.StartsWith("System.", StringComparison.Ordinal)
            || name == "Microsoft.CSharp" || name == "Microsoft.VisualBasic" || name.StartsWith("Microsoft.Win32.", StringComparison.Ordinal);
    }
}
