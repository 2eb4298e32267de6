using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using Mirascope.Ops.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Mirascope.Ops.Tests.Package
{
    /// <summary>
    /// `dotnet pack Mirascope.Ops.Weaver.sln` packs one package: every other project of the solution (runtime,
    /// weaver, tests, samples) stays unpackable, whatever it inherits.
    /// </summary>
    [Trait("Category", "Package")]
    public sealed class SolutionPackTests
    {
        private readonly ITestOutputHelper _log;

        public SolutionPackTests(ITestOutputHelper log) => _log = log;

        [Fact]
        public void Only_the_package_project_is_packable_and_it_packs_Mirascope_Ops_Fody()
        {
            var solution = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "Mirascope.Ops.Weaver.sln"));
            var projects = Regex.Matches(solution, @"""([^""]+\.csproj)""").Select(m => m.Groups[1].Value.Replace('\\', '/')).ToList();
            Assert.Contains("nuget/Mirascope.Ops.Fody.Package.csproj", projects);

            var packable = projects.Where(project =>
            {
                var evaluation = DotnetCli.Run(_log, RepositoryPaths.Root, new[] { "msbuild", project, "-getProperty:IsPackable", "-getProperty:PackageId" }).EnsureSuccess();
                var properties = JsonDocument.Parse(evaluation.Output).RootElement.GetProperty("Properties");
                var isPackable = properties.GetProperty("IsPackable").GetString() == "true";
                if (isPackable)
                {
                    Assert.Equal("Mirascope.Ops.Fody", properties.GetProperty("PackageId").GetString());
                }

                return isPackable;
            }).ToList();

            Assert.Equal(new[] { "nuget/Mirascope.Ops.Fody.Package.csproj" }, packable);
        }
    }
}
