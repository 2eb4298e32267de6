using System.Collections.Generic;
using Xunit;
using Xunit.Abstractions;

namespace Mirascope.Ops.Tests.Package
{
    /// <summary>Projects unlike the template's default that must work with the package all the same.</summary>
    [Collection(PackageCollection.Name)]
    [Trait("Category", "Package")]
    public sealed class ConsumerCompatibilityTests
    {
        private readonly PackageFeed _feed;
        private readonly ITestOutputHelper _log;

        public ConsumerCompatibilityTests(PackageFeed feed, ITestOutputHelper log)
        {
            _feed = feed;
            _log = log;
        }

        [Fact]
        public void Net8_project_gets_the_net8_runtime_and_traces_when_run_on_a_newer_runtime()
        {
            _feed.EnsurePacked();
            var app = ConsumerProject.Create(_feed, _log, "ShopNet8");
            app.SetTargetFramework("net8.0"); // the targeting pack restores from NuGet
            app.AddAppPackages();
            app.WriteSource("Program.cs", SmokePrograms.Program(marker: "net8.0"));
            app.Build().EnsureSuccess();

            // Only a newer runtime is installed here; roll forward, as a net8.0 app does on such a machine.
            var run = app.RunApp(
                app.OutputAssembly("net8.0"),
                new Dictionary<string, string> { ["DOTNET_ROLL_FORWARD"] = "Major" }).EnsureSuccess();

            Assert.Equal(SmokePrograms.ExpectedShape, TraceTreeOutput.Shape(run.Output, SmokePrograms.SpanNames));
            Assert.Contains("marker: net8.0", run.Output);
            Assert.Contains("version: " + _feed.Version, run.Output);
        }

        [Fact]
        public void Project_using_System_Diagnostics_everywhere_still_binds_Trace_attribute_to_Mirascope_Ops()
        {
            _feed.EnsurePacked();
            var app = ConsumerProject.Create(_feed, _log, "ShopDiagnostics");
            app.AddAppPackages();
            app.WriteSource("GlobalUsings.cs", SmokePrograms.DiagnosticsGlobalUsings);
            app.WriteSource("Program.cs", SmokePrograms.DiagnosticsProgram);
            app.Build().EnsureSuccess();

            var run = app.RunApp(app.OutputAssembly("net10.0")).EnsureSuccess();

            Assert.Equal(SmokePrograms.ExpectedShape, TraceTreeOutput.Shape(run.Output, SmokePrograms.SpanNames));
            Assert.Contains("diagnostics: System.Diagnostics.Trace still writes", run.Output);
            Assert.Contains("marker: diagnostics", run.Output);
        }
    }
}
