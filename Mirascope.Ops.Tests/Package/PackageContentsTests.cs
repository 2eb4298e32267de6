using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.Json;
using System.Xml.Linq;
using Mirascope.Ops.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Mirascope.Ops.Tests.Package
{
    /// <summary>What is inside Mirascope.Ops.Fody.nupkg and .snupkg, and how it is described to NuGet.</summary>
    [Collection(PackageCollection.Name)]
    [Trait("Category", "Package")]
    public sealed class PackageContentsTests
    {
        private static readonly string[] PackagingParts = { "_rels/", "package/", "[Content_Types].xml", "Mirascope.Ops.Fody.nuspec" };
        private readonly PackageFeed _feed;
        private readonly ITestOutputHelper _log;

        public PackageContentsTests(PackageFeed feed, ITestOutputHelper log)
        {
            _feed = feed;
            _log = log;
        }

        [Fact]
        public void Pack_writes_exactly_the_package_and_its_symbols_package()
        {
            _feed.EnsurePacked();
            _log.WriteLine(_feed.Pack.ToString());
            var files = Directory.GetFiles(_feed.FeedDirectory).Select(Path.GetFileName).OrderBy(f => f, StringComparer.Ordinal);
            Assert.Equal(
                new[] { $"Mirascope.Ops.Fody.{_feed.Version}.nupkg", $"Mirascope.Ops.Fody.{_feed.Version}.snupkg" },
                files);
        }

        [Fact]
        public void Package_holds_the_runtime_per_target_framework_the_weaver_its_schema_the_props_and_the_readme()
        {
            _feed.EnsurePacked();
            var expected = new List<string> { "README.md", "build/Mirascope.Ops.Fody.props", "weaver/Mirascope.Ops.Fody.dll", "weaver/Mirascope.Ops.Fody.xcf" };
            foreach (var framework in RuntimeTargetFrameworks())
            {
                expected.Add($"lib/{framework}/Mirascope.Ops.dll");
                expected.Add($"lib/{framework}/Mirascope.Ops.xml");
            }

            Assert.Equal(expected.OrderBy(e => e, StringComparer.Ordinal), ContentEntries(_feed.PackageFile));
        }

        [Fact]
        public void Build_props_registers_the_packed_weaver_with_Fody()
        {
            _feed.EnsurePacked();
            var props = XDocument.Parse(ReadEntry(_feed.PackageFile, "build/Mirascope.Ops.Fody.props"));
            var weaverFile = Assert.Single(props.Descendants("WeaverFiles")).Attribute("Include")!.Value;

            // NuGet imports the props from build/, and it is named after the package id.
            var resolved = weaverFile
                .Replace("$(MSBuildThisFileDirectory)", "build/", StringComparison.Ordinal)
                .Replace("$(MSBuildThisFileName)", "Mirascope.Ops.Fody", StringComparison.Ordinal)
                .Replace('\\', '/');
            Assert.Equal("weaver/Mirascope.Ops.Fody.dll", Path.GetRelativePath("/pkg", Path.GetFullPath(resolved, "/pkg")).Replace('\\', '/'));
        }

        [Fact]
        public void Weaver_schema_fragment_is_an_xsd_complex_type_as_Fody_expects()
        {
            _feed.EnsurePacked();
            var fragment = XDocument.Parse(ReadEntry(_feed.PackageFile, "weaver/Mirascope.Ops.Fody.xcf")).Root!;
            Assert.Equal(XName.Get("complexType", "http://www.w3.org/2001/XMLSchema"), fragment.Name);
        }

        [Fact]
        public void Nuspec_declares_Fody_with_its_build_assets_and_exactly_the_runtime_dependencies()
        {
            _feed.EnsurePacked();
            var nuspec = Nuspec();
            var ns = nuspec.Root!.Name.Namespace;
            var groups = nuspec.Descendants(ns + "group").ToList();
            Assert.Equal(RuntimeTargetFrameworks().Count, groups.Count);
            foreach (var group in groups)
            {
                var framework = NuGetFolderName(group.Attribute("targetFramework")!.Value);
                var dependencies = group.Elements(ns + "dependency").ToDictionary(d => d.Attribute("id")!.Value);

                // Fody's build targets are what run the weaver in the user's project: they must flow to it.
                var fody = dependencies["Fody"];
                Assert.DoesNotContain("Build", fody.Attribute("exclude")?.Value ?? string.Empty, StringComparison.OrdinalIgnoreCase);
                Assert.Equal("6.9.3", fody.Attribute("version")!.Value);

                var declared = dependencies.Values.Where(d => d.Attribute("id")!.Value != "Fody")
                    .ToDictionary(d => d.Attribute("id")!.Value, d => AsRange(d.Attribute("version")!.Value));
                Assert.Equal(RuntimePackageDependencies(framework).OrderBy(p => p.Key), declared.OrderBy(p => p.Key));
            }
        }

        [Fact]
        public void Nuspec_carries_version_license_readme_and_repository()
        {
            _feed.EnsurePacked();
            var nuspec = Nuspec();
            var ns = nuspec.Root!.Name.Namespace;
            var metadata = nuspec.Root.Element(ns + "metadata")!;
            Assert.Equal("Mirascope.Ops.Fody", metadata.Element(ns + "id")!.Value);
            Assert.Equal(_feed.Version, metadata.Element(ns + "version")!.Value);
            var license = metadata.Element(ns + "license")!;
            Assert.Equal(("expression", "MIT"), (license.Attribute("type")!.Value, license.Value));
            Assert.Equal("README.md", metadata.Element(ns + "readme")!.Value);
            Assert.False(string.IsNullOrWhiteSpace(metadata.Element(ns + "description")!.Value));
            var repository = metadata.Element(ns + "repository")!;
            Assert.Equal("git", repository.Attribute("type")!.Value);
            Assert.StartsWith("https://", repository.Attribute("url")!.Value, StringComparison.Ordinal);
        }

        [Fact]
        public void Symbols_package_holds_the_runtime_pdb_for_each_target_framework()
        {
            _feed.EnsurePacked();
            var expected = RuntimeTargetFrameworks().Select(f => $"lib/{f}/Mirascope.Ops.pdb").OrderBy(e => e, StringComparer.Ordinal);
            Assert.Equal(expected, ContentEntries(_feed.SymbolsFile));
        }

        [Fact]
        public void Packing_the_same_build_again_gives_identical_bytes()
        {
            _feed.EnsurePacked();
            var again = Path.Combine(_feed.Root, "feed-again");
            DotnetCli.Run(_log, RepositoryPaths.Root, new[]
            {
                "pack", PackageFeed.PackageProject, "-c", "Release", "-o", again, "--no-build",
                "--artifacts-path", _feed.BuildDirectory, "-p:MirascopeOpsVersion=" + _feed.Version,
            }).EnsureSuccess();

            Assert.Equal(File.ReadAllBytes(_feed.PackageFile), File.ReadAllBytes(Path.Combine(again, Path.GetFileName(_feed.PackageFile))));
            Assert.Equal(File.ReadAllBytes(_feed.SymbolsFile), File.ReadAllBytes(Path.Combine(again, Path.GetFileName(_feed.SymbolsFile))));
        }

        /// <summary>The target frameworks of the runtime project: the package must have a lib/ folder for each.</summary>
        internal static IReadOnlyList<string> RuntimeTargetFrameworks() =>
            XDocument.Load(Path.Combine(RepositoryPaths.Root, "Mirascope.Ops", "Mirascope.Ops.csproj"))
                .Descendants("TargetFrameworks").Single().Value
                .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        /// <summary>The runtime's own direct package references for a framework, as its restore recorded them.</summary>
        private static Dictionary<string, string> RuntimePackageDependencies(string framework)
        {
            using var assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "Mirascope.Ops", "obj", "project.assets.json")));
            var dependencies = assets.RootElement.GetProperty("project").GetProperty("frameworks").GetProperty(framework).GetProperty("dependencies");
            var result = new Dictionary<string, string>();
            foreach (var dependency in dependencies.EnumerateObject())
            {
                var value = dependency.Value;
                var autoReferenced = value.TryGetProperty("autoReferenced", out var auto) && auto.GetBoolean();
                var privateToRuntime = value.TryGetProperty("suppressParent", out var suppress) && suppress.GetString() == "All";
                if (value.GetProperty("target").GetString() == "Package" && !autoReferenced && !privateToRuntime)
                {
                    result.Add(dependency.Name, AsRange(value.GetProperty("version").GetString()!));
                }
            }

            return result;
        }

        /// <summary>A bare nuspec version means "at least"; restore writes the same as <c>[v, )</c>.</summary>
        private static string AsRange(string version) =>
            version.StartsWith('[') || version.StartsWith('(') ? version.Replace(" ", string.Empty, StringComparison.Ordinal) : $"[{version},)";

        private static string NuGetFolderName(string nuspecFramework) => nuspecFramework switch
        {
            ".NETStandard2.0" => "netstandard2.0",
            ".NETStandard2.1" => "netstandard2.1",
            _ => nuspecFramework,
        };

        private XDocument Nuspec() => XDocument.Parse(ReadEntry(_feed.PackageFile, "Mirascope.Ops.Fody.nuspec"));

        private static IEnumerable<string> ContentEntries(string package)
        {
            using var zip = ZipFile.OpenRead(package);
            return zip.Entries.Select(e => e.FullName)
                .Where(name => !PackagingParts.Any(part => name.StartsWith(part, StringComparison.Ordinal)))
                .OrderBy(name => name, StringComparer.Ordinal)
                .ToList();
        }

        private static string ReadEntry(string package, string entryName)
        {
            using var zip = ZipFile.OpenRead(package);
            using var reader = new StreamReader(zip.GetEntry(entryName)!.Open());
            return reader.ReadToEnd();
        }
    }
}
