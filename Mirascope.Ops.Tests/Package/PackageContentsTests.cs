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
    /// <summary>What is inside each package and symbols package, and how each is described to NuGet.</summary>
    [Collection(PackageCollection.Name)]
    [Trait("Category", "Package")]
    public sealed class PackageContentsTests
    {
        private static readonly string[] PackagingParts = { "_rels/", "package/", "[Content_Types].xml" };
        private readonly PackageFeed _feed;
        private readonly ITestOutputHelper _log;

        public PackageContentsTests(PackageFeed feed, ITestOutputHelper log)
        {
            _feed = feed;
            _log = log;
        }

        /// <summary>The packages whose lib/ holds an assembly of ours (all but the weaver's).</summary>
        public static TheoryData<string> LibraryPackages => new TheoryData<string> { "Mirascope.Ops", "Mirascope.Ops.Export", "Mirascope.Ops.Llm" };

        public static TheoryData<string> AllPackages => new TheoryData<string> { "Mirascope.Ops", "Mirascope.Ops.Export", "Mirascope.Ops.Fody", "Mirascope.Ops.Llm" };

        [Fact]
        public void Pack_writes_exactly_the_four_packages_and_the_symbols_of_the_three_with_assemblies()
        {
            _feed.EnsurePacked();
            _log.WriteLine(_feed.Pack.ToString());
            var files = Directory.GetFiles(_feed.FeedDirectory).Select(Path.GetFileName).OrderBy(f => f, StringComparer.Ordinal);
            var expected = PackageFeed.Packages.Keys.Select(id => $"{id}.{_feed.Version}.nupkg")
                .Concat(LibraryPackageIds.Select(id => $"{id}.{_feed.Version}.snupkg"))
                .OrderBy(f => f, StringComparer.Ordinal);
            Assert.Equal(expected, files);
        }

        [Theory]
        [MemberData(nameof(LibraryPackages))]
        public void A_library_package_holds_its_assembly_and_docs_per_target_framework_and_its_readme(string id)
        {
            _feed.EnsurePacked();
            var expected = new List<string> { id + ".md", id + ".nuspec" };
            foreach (var framework in TargetFrameworks(id))
            {
                expected.Add($"lib/{framework}/{id}.dll");
                expected.Add($"lib/{framework}/{id}.xml");
            }

            Assert.Equal(expected.OrderBy(e => e, StringComparer.Ordinal), ContentEntries(_feed.PackageFile(id)));
        }

        [Fact]
        public void The_weaver_package_holds_the_weaver_its_schema_the_props_and_the_readme_and_no_assembly_to_reference()
        {
            _feed.EnsurePacked();
            var expected = new[]
            {
                "Mirascope.Ops.Fody.md", "Mirascope.Ops.Fody.nuspec", "build/Mirascope.Ops.Fody.props", "lib/netstandard2.0/_._",
                "weaver/Mirascope.Ops.Fody.dll", "weaver/Mirascope.Ops.Fody.xcf",
            };
            Assert.Equal(expected.OrderBy(e => e, StringComparer.Ordinal), ContentEntries(_feed.PackageFile("Mirascope.Ops.Fody")));
        }

        [Fact]
        public void Build_props_registers_the_packed_weaver_with_Fody()
        {
            _feed.EnsurePacked();
            var props = XDocument.Parse(ReadEntry(_feed.PackageFile("Mirascope.Ops.Fody"), "build/Mirascope.Ops.Fody.props"));
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
            var fragment = XDocument.Parse(ReadEntry(_feed.PackageFile("Mirascope.Ops.Fody"), "weaver/Mirascope.Ops.Fody.xcf")).Root!;
            Assert.Equal(XName.Get("complexType", "http://www.w3.org/2001/XMLSchema"), fragment.Name);
        }

        [Fact]
        public void The_weaver_package_depends_on_Fody_with_its_build_assets_and_on_exactly_this_runtime()
        {
            _feed.EnsurePacked();
            var nuspec = Nuspec("Mirascope.Ops.Fody");
            var ns = nuspec.Root!.Name.Namespace;
            var group = Assert.Single(nuspec.Descendants(ns + "group"));
            Assert.Equal(".NETStandard2.0", group.Attribute("targetFramework")!.Value);
            var dependencies = group.Elements(ns + "dependency").ToDictionary(d => d.Attribute("id")!.Value);
            Assert.Equal(new[] { "Fody", "Mirascope.Ops" }, dependencies.Keys.OrderBy(k => k, StringComparer.Ordinal));

            // Fody's build targets are what run the weaver in the user's project: they must flow to it.
            var fody = dependencies["Fody"];
            Assert.DoesNotContain("Build", fody.Attribute("exclude")?.Value ?? string.Empty, StringComparison.OrdinalIgnoreCase);
            Assert.Equal("6.9.3", fody.Attribute("version")!.Value);

            // The weaver emits calls into the runtime: any other runtime version is a restore error, not a crash.
            Assert.Equal($"[{_feed.Version}]", dependencies["Mirascope.Ops"].Attribute("version")!.Value);
        }

        [Theory]
        [MemberData(nameof(LibraryPackages))]
        public void A_library_package_declares_exactly_its_projects_package_references_and_our_packages_at_exactly_this_version(string id)
        {
            _feed.EnsurePacked();
            var nuspec = Nuspec(id);
            var ns = nuspec.Root!.Name.Namespace;
            var groups = nuspec.Descendants(ns + "group").ToList();
            Assert.Equal(TargetFrameworks(id).Count, groups.Count);
            foreach (var group in groups)
            {
                var framework = NuGetFolderName(group.Attribute("targetFramework")!.Value);
                var declared = group.Elements(ns + "dependency")
                    .ToDictionary(d => d.Attribute("id")!.Value, d => AsRange(d.Attribute("version")!.Value));
                var expected = ProjectDependencies(id, framework, _feed.Version);
                Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), declared.OrderBy(p => p.Key, StringComparer.Ordinal));
            }
        }

        [Fact]
        public void The_runtime_depends_on_nothing_on_net8_and_only_on_DiagnosticSource_and_its_polyfills_on_netstandard2_0()
        {
            _feed.EnsurePacked();
            var nuspec = Nuspec("Mirascope.Ops");
            var ns = nuspec.Root!.Name.Namespace;
            var groups = nuspec.Descendants(ns + "group").ToDictionary(
                g => NuGetFolderName(g.Attribute("targetFramework")!.Value),
                g => g.Elements(ns + "dependency").ToDictionary(d => d.Attribute("id")!.Value, d => d.Attribute("version")!.Value));

            Assert.Empty(groups["net8.0"]);
            Assert.Equal(
                new Dictionary<string, string> { ["System.Diagnostics.DiagnosticSource"] = "8.0.0", ["System.Threading.Tasks.Extensions"] = "4.5.4" },
                groups["netstandard2.0"]);
        }

        [Theory]
        [MemberData(nameof(AllPackages))]
        public void Nuspec_carries_version_license_readme_and_repository(string id)
        {
            _feed.EnsurePacked();
            var nuspec = Nuspec(id);
            var ns = nuspec.Root!.Name.Namespace;
            var metadata = nuspec.Root.Element(ns + "metadata")!;
            Assert.Equal(id, metadata.Element(ns + "id")!.Value);
            Assert.Equal(_feed.Version, metadata.Element(ns + "version")!.Value);
            var license = metadata.Element(ns + "license")!;
            Assert.Equal(("expression", "MIT"), (license.Attribute("type")!.Value, license.Value));
            Assert.Equal(id + ".md", metadata.Element(ns + "readme")!.Value);
            Assert.False(string.IsNullOrWhiteSpace(metadata.Element(ns + "description")!.Value));
            var repository = metadata.Element(ns + "repository")!;
            Assert.Equal("git", repository.Attribute("type")!.Value);
            Assert.StartsWith("https://", repository.Attribute("url")!.Value, StringComparison.Ordinal);
        }

        [Theory]
        [MemberData(nameof(LibraryPackages))]
        public void Symbols_package_holds_the_pdb_for_each_target_framework(string id)
        {
            _feed.EnsurePacked();
            var expected = TargetFrameworks(id).Select(f => $"lib/{f}/{id}.pdb").Append(id + ".nuspec").OrderBy(e => e, StringComparer.Ordinal);
            Assert.Equal(expected, ContentEntries(_feed.SymbolsFile(id)));
        }

        [Fact]
        public void Packing_the_same_build_again_gives_identical_bytes()
        {
            _feed.EnsurePacked();
            var again = Path.Combine(_feed.Root, "feed-again");
            DotnetCli.Run(_log, RepositoryPaths.Root, new[]
            {
                "pack", PackageFeed.PackagesFilter, "-c", "Release", "-o", again, "--no-build",
                "--artifacts-path", _feed.BuildDirectory, "-p:MirascopeOpsVersion=" + _feed.Version,
            }).EnsureSuccess();

            foreach (var file in Directory.GetFiles(_feed.FeedDirectory))
            {
                Assert.True(
                    File.ReadAllBytes(file).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(again, Path.GetFileName(file)))),
                    Path.GetFileName(file) + " differs when packed again");
            }
        }

        private static IEnumerable<string> LibraryPackageIds => PackageFeed.Packages.Keys.Where(id => id != "Mirascope.Ops.Fody");

        /// <summary>The target frameworks of a package's project: the package must have a lib/ folder for each.</summary>
        internal static IReadOnlyList<string> TargetFrameworks(string id) =>
            XDocument.Load(Path.Combine(RepositoryPaths.Root, PackageFeed.Packages[id]))
                .Descendants("TargetFrameworks").Single().Value
                .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        /// <summary>
        /// A project's direct package references for a framework, as its restore recorded them, plus its references to
        /// our own projects, which become dependencies at exactly <paramref name="version"/>.
        /// </summary>
        private static Dictionary<string, string> ProjectDependencies(string id, string framework, string version)
        {
            var projectDirectory = Path.GetDirectoryName(Path.Combine(RepositoryPaths.Root, PackageFeed.Packages[id]))!;
            using var assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(projectDirectory, "obj", "project.assets.json")));
            var project = assets.RootElement.GetProperty("project");
            var dependencies = project.GetProperty("frameworks").GetProperty(framework).GetProperty("dependencies");
            var result = new Dictionary<string, string>();
            foreach (var dependency in dependencies.EnumerateObject())
            {
                var value = dependency.Value;
                var autoReferenced = value.TryGetProperty("autoReferenced", out var auto) && auto.GetBoolean();
                var privateToProject = value.TryGetProperty("suppressParent", out var suppress) && suppress.GetString() == "All";
                if (value.GetProperty("target").GetString() == "Package" && !autoReferenced && !privateToProject)
                {
                    result.Add(dependency.Name, AsRange(value.GetProperty("version").GetString()!));
                }
            }

            var references = project.GetProperty("restore").GetProperty("frameworks").GetProperty(framework).GetProperty("projectReferences");
            foreach (var reference in references.EnumerateObject())
            {
                result.Add(Path.GetFileNameWithoutExtension(reference.Name), $"[{version}]");
            }

            return result;
        }

        /// <summary>A bare nuspec version means "at least"; restore writes the same as <c>[v, )</c>.</summary>
        private static string AsRange(string version) =>
            version.StartsWith('[') || version.StartsWith('(') ? version.Replace(" ", string.Empty, StringComparison.Ordinal) : $"[{version}, )".Replace(" ", string.Empty, StringComparison.Ordinal);

        private static string NuGetFolderName(string nuspecFramework) => nuspecFramework switch
        {
            ".NETStandard2.0" => "netstandard2.0",
            ".NETStandard2.1" => "netstandard2.1",
            _ => nuspecFramework,
        };

        private XDocument Nuspec(string id) => XDocument.Parse(ReadEntry(_feed.PackageFile(id), id + ".nuspec"));

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
