using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Mirascope.Ops.Tests.Package
{
    /// <summary>
    /// What tracing costs a project's dependency graph: a project that adds Mirascope.Ops.Fody (a library author, or
    /// an app that exports with its own OpenTelemetry setup) gets exactly one more file on net8.0 and later,
    /// Mirascope.Ops.dll, and restores next to the old package versions a library pins on purpose.
    /// </summary>
    [Collection(PackageCollection.Name)]
    [Trait("Category", "Package")]
    public sealed class DependencyFootprintTests
    {
        /// <summary>
        /// A program that traces with nothing but the runtime: its own ActivityListener prints each span, parent first.
        /// </summary>
        internal static readonly string ListenerProgram = """
            using System.Diagnostics;
            using Mirascope.Ops;

            """ + SmokePrograms.SpanPrinter(false, ("args", "mirascope.trace.arg_values"), ("output", "mirascope.trace.output")) + """

            Console.WriteLine($"total: {Shop.Checkout(new[] { 3, 4 })}");
            Console.WriteLine($"fetched: {await Shop.FetchAsync("42")}");

            public static class Shop
            {
                [Trace]
                public static int Checkout(int[] items) => items.Sum(Price);

                [Trace]
                public static int Price(int item) => item * 2;

                [Trace]
                public static async Task<string> FetchAsync(string id)
                {
                    await Task.Delay(10);
                    return "order-" + id;
                }
            }
            """;

        /// <summary>The versions a conservative library pins: the .NET 8 floor of each dependency we could bring.</summary>
        private static readonly IReadOnlyDictionary<string, string> PinnedOldVersions = new Dictionary<string, string>
        {
            ["System.Diagnostics.DiagnosticSource"] = "8.0.0",
            ["System.Text.Json"] = "8.0.5",
            ["Microsoft.Bcl.AsyncInterfaces"] = "8.0.0",
            ["System.Threading.Tasks.Extensions"] = "4.5.4",
            ["System.Memory"] = "4.5.5",
        };

        private readonly PackageFeed _feed;
        private readonly ITestOutputHelper _log;

        public DependencyFootprintTests(PackageFeed feed, ITestOutputHelper log)
        {
            _feed = feed;
            _log = log;
        }

        [Fact]
        public void Weaving_adds_exactly_Mirascope_Ops_dll_to_a_net_app_output_and_it_traces_with_no_SDK()
        {
            _feed.EnsurePacked();
            var app = ConsumerProject.Create(_feed, _log, "Lean");
            app.AddPackage().EnsureSuccess();
            app.WriteSource("Program.cs", ListenerProgram);
            app.WriteSource("FodyWeavers.xml", "<Weavers><Mirascope.Ops /></Weavers>");
            app.Build("-p:TreatWarningsAsErrors=true").EnsureSuccess();

            var output = Path.GetDirectoryName(app.OutputAssembly("net10.0"))!;
            var assemblies = Directory.GetFiles(output, "*.dll").Select(Path.GetFileName).OrderBy(f => f, StringComparer.Ordinal).ToList();
            _log.WriteLine("net10.0 output: " + string.Join(", ", assemblies) + $" ({new FileInfo(Path.Combine(output, "Mirascope.Ops.dll")).Length} bytes of Mirascope.Ops.dll)");
            Assert.Equal(new[] { "Lean.dll", "Mirascope.Ops.dll" }, assemblies);

            var run = app.RunApp(app.OutputAssembly("net10.0")).EnsureSuccess();
            AssertTraced(run.Output);
        }

        [Fact]
        public void A_net8_app_pinning_the_old_versions_restores_with_no_downgrade_builds_strict_and_traces()
        {
            _feed.EnsurePacked();
            var app = ConsumerProject.Create(_feed, _log, "Pinned");
            app.SetTargetFramework("net8.0");
            Pin(app, PinnedOldVersions);

            // NU1605 (a package downgrade) is an error by default: it is what failed before the runtime was split.
            var added = app.AddPackage().EnsureSuccess();
            Assert.DoesNotContain("NU1605", added.Output, StringComparison.Ordinal);
            app.WriteSource("Program.cs", ListenerProgram);
            app.WriteSource("FodyWeavers.xml", "<Weavers><Mirascope.Ops /></Weavers>");
            var build = app.Build("-p:TreatWarningsAsErrors=true").EnsureSuccess();
            Assert.Empty(build.Warnings);

            var run = app.RunApp(app.OutputAssembly("net8.0"), new Dictionary<string, string> { ["DOTNET_ROLL_FORWARD"] = "Major" }).EnsureSuccess();
            AssertTraced(run.Output);
        }

        [Fact]
        public void A_netstandard_library_pinning_the_old_versions_builds_strict_and_its_net472_consumer_gets_no_SDK()
        {
            _feed.EnsurePacked();
            var library = ConsumerProject.Create(_feed, _log, "PinnedLibrary");
            library.SetTargetFramework("netstandard2.0");
            var project = XDocument.Load(library.ProjectFile);
            project.Descendants("OutputType").Remove();
            project.Descendants("ImplicitUsings").Remove();
            project.Descendants("Nullable").Remove(); // C# 7.3, the language version of a netstandard2.0 project
            project.Save(library.ProjectFile);
            Pin(library, PinnedOldVersions);
            var added = library.AddPackage().EnsureSuccess();
            Assert.DoesNotContain("NU1605", added.Output, StringComparison.Ordinal);
            library.WriteSource("Program.cs", """
                using Mirascope.Ops;

                namespace PinnedLibrary
                {
                    public static class Prices
                    {
                        [Trace]
                        public static int Price(int item) => item * 2;
                    }
                }
                """);
            library.WriteSource("FodyWeavers.xml", "<Weavers><Mirascope.Ops /></Weavers>");
            var build = library.Build("-p:TreatWarningsAsErrors=true").EnsureSuccess();
            Assert.Empty(build.Warnings);

            // What a .NET Framework app gets in its output for the woven library (built, not run: no Framework here).
            var consumer = ConsumerProject.Create(_feed, _log, "FrameworkConsumer");
            consumer.SetTargetFramework("net472");
            var consumerProject = XDocument.Load(consumer.ProjectFile);
            consumerProject.Descendants("ImplicitUsings").Remove();
            consumerProject.Descendants("Nullable").Remove();
            consumerProject.Root!.Add(new XElement("ItemGroup", new XElement("ProjectReference", new XAttribute("Include", library.ProjectFile))));
            consumerProject.Save(consumer.ProjectFile);
            // C# 7.3, the language version of a net472 project.
            consumer.WriteSource("Program.cs", "static class Program { static void Main() => System.Console.WriteLine(PinnedLibrary.Prices.Price(2)); }\n");
            consumer.Build().EnsureSuccess();
            var output = Path.GetDirectoryName(consumer.OutputAssembly("net472"))!;
            var assemblies = Directory.GetFiles(output, "*.dll").Select(Path.GetFileName).OrderBy(f => f, StringComparer.Ordinal).ToList();
            _log.WriteLine("net472 output: " + string.Join(", ", assemblies) + $" ({assemblies.Sum(a => new FileInfo(Path.Combine(output, a!)).Length)} bytes)");
            Assert.Contains("Mirascope.Ops.dll", assemblies);
            Assert.DoesNotContain(assemblies, a => a!.StartsWith("OpenTelemetry", StringComparison.Ordinal) || a.StartsWith("Microsoft.Extensions", StringComparison.Ordinal));
        }

        private static void AssertTraced(string output)
        {
            Assert.Contains("span Shop.Price parent=Shop.Checkout args={\"item\":3} output=6", output);
            Assert.Contains("span Shop.Checkout parent=- args={\"items\":[3,4]} output=14", output);
            Assert.Contains("span Shop.FetchAsync parent=- args={\"id\":\"42\"} output=order-42", output);
            Assert.Contains("total: 14", output);
            Assert.Contains("fetched: order-42", output);
        }

        private static void Pin(ConsumerProject project, IReadOnlyDictionary<string, string> versions)
        {
            var document = XDocument.Load(project.ProjectFile);
            document.Root!.Add(new XElement("ItemGroup", versions.Select(v =>
                new XElement("PackageReference", new XAttribute("Include", v.Key), new XAttribute("Version", v.Value)))));
            document.Save(project.ProjectFile);
        }
    }
}
