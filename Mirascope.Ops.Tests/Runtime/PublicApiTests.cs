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
    /// Each package's public surface is tracked in its project's PublicAPI.txt (Mirascope.Ops, Mirascope.Ops.Export,
    /// Mirascope.Ops.Llm): a member made public by accident fails this test; an intended one is added to the file (MIRASCOPE_UPDATE_DOCS=1 rewrites it). Every public member must
    /// have XML docs (the build enforces it with warnings as errors).
    /// </summary>
    public class PublicApiTests
    {
        public static TheoryData<string> Packages => new TheoryData<string> { "Mirascope.Ops", "Mirascope.Ops.Export", "Mirascope.Ops.Llm" };

        [Theory]
        [MemberData(nameof(Packages))]
        public void Public_surface_matches_the_tracked_list(string package)
        {
            var assembly = new[] { typeof(TraceAttribute).Assembly, typeof(OpsExport).Assembly, typeof(OpsLlm).Assembly }
                .Single(a => a.GetName().Name == package);
            var surface = assembly.GetExportedTypes()
                .OrderBy(t => t.FullName, StringComparer.Ordinal)
                .SelectMany(Describe)
                .ToList();
            var path = Path.Combine(RepositoryPaths.Root, package, "PublicAPI.txt");
            var expected = string.Join("\n", surface) + "\n";
            if (Environment.GetEnvironmentVariable("MIRASCOPE_UPDATE_DOCS") == "1")
            {
                File.WriteAllText(path, expected);
            }

            Assert.Equal(File.ReadAllText(path).Replace("\r\n", "\n"), expected);
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

        private static System.Collections.Generic.IEnumerable<string> Describe(Type type)
        {
            var kind = type.IsEnum ? "enum" : type.IsValueType ? "struct" : type.IsInterface ? "interface" : typeof(Delegate).IsAssignableFrom(type) ? "delegate" : "class";
            yield return $"{kind} {type.FullName}";
            const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            foreach (var member in type.GetMembers(flags).Where(m => m is not MethodInfo { IsSpecialName: true }).Select(m => "  " + m.MemberType + " " + m).OrderBy(m => m, StringComparer.Ordinal))
            {
                yield return member;
            }
        }
    }
}
