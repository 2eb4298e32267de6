using System.IO;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Mirascope.Ops.Tests.Package
{
    /// <summary>
    /// The whole setup a user does, in a brand-new project: dotnet new console, dotnet add package
    /// Mirascope.Ops.Fody, [Trace] on methods, dotnet build / run / publish.
    /// </summary>
    [Collection(PackageCollection.Name)]
    [Trait("Category", "Package")]
    public sealed class NewConsoleProjectTests
    {
        private readonly PackageFeed _feed;
        private readonly ITestOutputHelper _log;

        public NewConsoleProjectTests(PackageFeed feed, ITestOutputHelper log)
        {
            _feed = feed;
            _log = log;
        }

        [Fact]
        public void New_console_project_traces_its_methods_after_add_package_build_rebuild_and_publish()
        {
            _feed.EnsurePacked();
            var app = ConsumerProject.Create(_feed, _log, "Shop");
            app.AddAppPackages();
            app.WriteSource("Program.cs", SmokePrograms.Program(marker: "first build"));

            // First build: Fody writes FodyWeavers.xml naming our weaver, as for any add-in.
            var firstBuild = app.Build().EnsureSuccess();
            Assert.True(app.HasFile("FodyWeavers.xml"), "The first build did not create FodyWeavers.xml.\n" + firstBuild.Output);
            var weavers = System.Xml.Linq.XDocument.Parse(app.ReadFile("FodyWeavers.xml")).Root!;
            Assert.Equal(new[] { "Mirascope.Ops" }, weavers.Elements().Select(e => e.Name.LocalName).ToArray());
            Assert.Contains("Mirascope.Ops", app.ReadFile("FodyWeavers.xsd"));

            var run = app.RunApp(app.OutputAssembly("net10.0")).EnsureSuccess();
            AssertTracedRun(run, marker: "first build");

            // Edit and build again as a strict project would: the incremental build re-weaves, and warns about nothing.
            app.WriteSource("Program.cs", SmokePrograms.Program(marker: "second build"));
            var rebuild = app.Build("-p:TreatWarningsAsErrors=true").EnsureSuccess();
            Assert.True(rebuild.Warnings.Count == 0, "The incremental build warned:\n" + string.Join("\n", rebuild.Warnings));
            AssertTracedRun(app.RunApp(app.OutputAssembly("net10.0")).EnsureSuccess(), marker: "second build");

            // Publish in Release and run what was published.
            var published = Path.Combine(_feed.Root, "Shop-published");
            app.Publish(published).EnsureSuccess();
            Assert.True(File.Exists(Path.Combine(published, "Mirascope.Ops.dll")), "Mirascope.Ops.dll was not published.");
            AssertTracedRun(app.RunApp(Path.Combine(published, "Shop.dll")).EnsureSuccess(), marker: "second build");
        }

        private void AssertTracedRun(CommandResult run, string marker)
        {
            Assert.Equal(SmokePrograms.ExpectedShape, TraceTreeOutput.Shape(run.Output, SmokePrograms.SpanNames));
            // Tracing changed no result, and the spans come from the ActivitySource of this package version.
            Assert.Contains("total: 14", run.Output);
            Assert.Contains("fetched: order-42", run.Output);
            Assert.Contains("caught: widget is out of stock", run.Output);
            Assert.Contains("version: " + _feed.Version, run.Output);
            Assert.Contains("marker: " + marker, run.Output);
        }
    }
}
