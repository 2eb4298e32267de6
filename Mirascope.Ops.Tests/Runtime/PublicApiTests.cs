using System;
using System.ComponentModel;
using System.IO;
using System.Linq;
using System.Reflection;
using Mirascope.Ops.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Runtime
{
    /// <summary>
    /// Each package's public surface is tracked by Microsoft.CodeAnalysis.PublicApiAnalyzers in its project's
    /// PublicAPI.Shipped.txt and PublicAPI.Unshipped.txt (nuget/Mirascope.Ops.Packaging.targets): the build fails on a
    /// public symbol not listed (RS0016) or a listed one gone (RS0017). These tests check that the files the analyzer
    /// reads are the ones next to the projects and agree with the compiled assemblies, and what the analyzer cannot see.
    /// </summary>
    public class PublicApiTests
    {
        public static TheoryData<string> Packages => new TheoryData<string> { "Mirascope.Ops", "Mirascope.Ops.Export", "Mirascope.Ops.Llm" };

        [Theory]
        [MemberData(nameof(Packages))]
        public void Every_exported_type_is_declared_in_the_packages_public_API_files_and_nothing_else_is(string package)
        {
            var assembly = new[] { typeof(TraceAttribute).Assembly, typeof(OpsExport).Assembly, typeof(OpsLlm).Assembly }
                .Single(a => a.GetName().Name == package);
            var declared = new[] { "PublicAPI.Shipped.txt", "PublicAPI.Unshipped.txt" }
                .SelectMany(file => File.ReadAllLines(Path.Combine(RepositoryPaths.Root, package, file)))
                .Where(line => line.Length > 0 && !line.StartsWith('#'))
                .ToList();
            Assert.Equal(declared.Count, declared.Distinct(StringComparer.Ordinal).Count());

            // A type's own line is its name alone (members carry "(...)" or " -> type"): the declared types are the exported ones.
            var declaredTypes = declared.Where(line => !line.Contains(' ', StringComparison.Ordinal)).OrderBy(t => t, StringComparer.Ordinal);
            var exportedTypes = assembly.GetExportedTypes().Select(Display).OrderBy(t => t, StringComparer.Ordinal);
            Assert.Equal(exportedTypes, declaredTypes);
        }

        [Fact]
        public void The_entry_points_bind_from_code_in_another_Mirascope_namespace()
        {
            // A type named like its namespace (the class was Mirascope.Ops.Ops) is found as the namespace from inside any
            // other Mirascope.* namespace, and `Ops.Wrapped(...)` did not compile there (CS0234).
            var path = SourceCompiler.Compile("""
                using Mirascope.Ops;

                namespace Mirascope.Shop
                {
                    public static class Checkout
                    {
                        public static int Total() => MirascopeOps.Wrapped(() => 2 + 3).Result;
                    }
                }
                """, "OtherMirascopeNamespace");

            Assert.True(File.Exists(path));
        }

        [Fact]
        public void Weaving_infrastructure_is_hidden_from_IntelliSense()
        {
            foreach (var type in new[] { typeof(Mirascope.Ops.Weaving.TracedMethod), typeof(Mirascope.Ops.Weaving.TraceScope) })
            {
                var browsable = type.GetCustomAttribute<EditorBrowsableAttribute>();
                Assert.Equal(EditorBrowsableState.Never, browsable?.State);
            }
        }

        /// <summary>A type as the analyzer writes it: <c>Mirascope.Ops.Trace&lt;T&gt;</c>.</summary>
        private static string Display(Type type)
        {
            var name = type.FullName!.Replace('+', '.');
            if (!type.IsGenericTypeDefinition) return name;
            var tick = name.IndexOf('`', StringComparison.Ordinal);
            return name[..tick] + "<" + string.Join(", ", type.GetGenericArguments().Select(a => a.Name)) + ">";
        }
    }
}
