using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using Mono.Cecil;

namespace Mirascope.Ops.Fody.Versioning
{
    /// <summary>
    /// The NuGet packages a versioned function's assembly depends on, for its registration (<c>dependencies</c>):
    /// each non-framework assembly the module references, named by the package it was restored from. A reference whose
    /// file sits in a NuGet packages folder (<c>&lt;root&gt;/&lt;id&gt;/&lt;version&gt;/lib/...</c>, the layout of the global
    /// packages folder) is that package at that version, its id spelled as its nuspec spells it; any other reference (a
    /// project reference, or no paths given, as in the weaver's unit tests) is listed by assembly name and version.
    /// </summary>
    internal static class AssemblyDependencies
    {
        /// <summary>Newline-separated <c>name version</c> lines, sorted by name, each package once.</summary>
        public static string Describe(ModuleDefinition module, IReadOnlyList<string> referencePaths)
        {
            var byAssembly = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var path in referencePaths)
            {
                byAssembly[Path.GetFileNameWithoutExtension(path)] = path;
            }

            var lines = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var reference in module.AssemblyReferences.Where(r => !IsFramework(r.Name)))
            {
                lines.Add(byAssembly.TryGetValue(reference.Name, out var path) && Package(path) is { } package
                    ? package.Id + " " + package.Version
                    : reference.Name + " " + reference.Version);
            }

            return string.Join("\n", lines);
        }

        /// <summary>The package a restored assembly's path lies in: the folder two above <c>lib</c> (or <c>ref</c>).</summary>
        private static (string Id, string Version)? Package(string path)
        {
            try
            {
                var directory = new DirectoryInfo(Path.GetDirectoryName(path)!);
                while (directory.Parent is { } parent && !(directory.Name is "lib" or "ref"))
                {
                    directory = parent;
                }

                var versionFolder = directory.Parent;
                var idFolder = versionFolder?.Parent;
                if (!(directory.Name is "lib" or "ref") || versionFolder is null || idFolder is null)
                {
                    return null;
                }

                var nuspec = versionFolder.GetFiles("*.nuspec").FirstOrDefault();
                if (nuspec is null)
                {
                    return null;
                }

                var id = XDocument.Load(nuspec.FullName).Root?.Elements().FirstOrDefault(e => e.Name.LocalName == "metadata")?
                    .Elements().FirstOrDefault(e => e.Name.LocalName == "id")?.Value;
                return (string.IsNullOrEmpty(id) ? idFolder.Name : id!, versionFolder.Name);
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException || exception is System.Xml.XmlException)
            {
                return null;
            }
        }

        private static bool IsFramework(string name) =>
            name == "mscorlib" || name == "netstandard" || name == "System" || name == "WindowsBase"
            || name.StartsWith("System.", StringComparison.Ordinal)
            || name == "Microsoft.CSharp" || name == "Microsoft.VisualBasic" || name.StartsWith("Microsoft.Win32.", StringComparison.Ordinal);
    }
}
