using System;
using System.Collections.Generic;
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
    /// `dotnet pack Mirascope.Ops.Weaver.sln` packs exactly the four packages (runtime, weaver, export, LLM): every other
    /// project of the solution (tests, samples, viewer, benchmarks) stays unpackable, whatever it inherits, and the
    /// solution filter the package tests pack lists exactly the packable projects.
    /// </summary>
    [Trait("Category", "Package")]
    public sealed class SolutionPackTests
    {
        private readonly ITestOutputHelper _log;

        public SolutionPackTests(ITestOutputHelper log) => _log = log;

        [Fact]
        public void The_packable_projects_are_exactly_the_four_packages_and_the_packages_filter_lists_them()
        {
            var solution = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "Mirascope.Ops.Weaver.sln"));
            var projects = Regex.Matches(solution, @"""([^""]+\.csproj)""").Select(m => m.Groups[1].Value.Replace('\\', '/')).ToList();

            var packable = new Dictionary<string, string>();
            foreach (var project in projects)
            {
                var evaluation = DotnetCli.Run(_log, RepositoryPaths.Root, new[] { "msbuild", project, "-getProperty:IsPackable", "-getProperty:PackageId" }).EnsureSuccess();
                var properties = JsonDocument.Parse(evaluation.Output).RootElement.GetProperty("Properties");
                if (properties.GetProperty("IsPackable").GetString() == "true")
                {
                    packable.Add(properties.GetProperty("PackageId").GetString()!, project);
                }
            }

            Assert.Equal(PackageFeed.Packages.OrderBy(p => p.Key, StringComparer.Ordinal), packable.OrderBy(p => p.Key, StringComparer.Ordinal));

            using var filter = JsonDocument.Parse(File.ReadAllText(PackageFeed.PackagesFilter));
            var filtered = filter.RootElement.GetProperty("solution").GetProperty("projects").EnumerateArray().Select(p => p.GetString()!.Replace('\\', '/'));
            Assert.Equal(PackageFeed.Packages.Values.OrderBy(p => p, StringComparer.Ordinal), filtered.OrderBy(p => p, StringComparer.Ordinal));
        }
    }
}
