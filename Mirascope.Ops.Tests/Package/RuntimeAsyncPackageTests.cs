using System.Collections.Generic;
using System.Xml.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Mirascope.Ops.Tests.Package
{
    /// <summary>
    /// A brand-new project compiled with .NET 11's runtime-async on (here: the .NET 10 SDK's preview switch) and the
    /// package from the local feed: its async [Trace] methods build without MOPS008 and run traced.
    /// </summary>
    [Collection(PackageCollection.Name)]
    [Trait("Category", "Package")]
    public sealed class RuntimeAsyncPackageTests
    {
        private static readonly string Program = """
            using System.Diagnostics;
            using System.Reflection;
            using Mirascope.Ops;

            """ + SmokePrograms.SpanPrinter(true, ("async", "mirascope.fn.is_async"), ("output", "mirascope.trace.output")) + """

            var flags = typeof(Shop).GetMethod(nameof(Shop.TotalAsync))!.MethodImplementationFlags;
            Console.WriteLine($"runtime-async: {((int)flags & 0x2000) != 0}");
            Console.WriteLine($"total: {await Shop.TotalAsync(new[] { 3, 4 })}");
            Console.WriteLine($"current after: {Activity.Current?.DisplayName ?? "none"}");

            public static class Shop
            {
                [Trace]
                public static async Task<int> TotalAsync(int[] items)
                {
                    var total = 0;
                    foreach (var item in items) total += await PriceAsync(item);
                    return total;
                }

                [Trace]
                public static async ValueTask<int> PriceAsync(int item)
                {
                    await Task.Delay(5);
                    return item * 2;
                }
            }
            """;

        private readonly PackageFeed _feed;
        private readonly ITestOutputHelper _log;

        public RuntimeAsyncPackageTests(PackageFeed feed, ITestOutputHelper log)
        {
            _feed = feed;
            _log = log;
        }

        [Fact]
        public void A_new_runtime_async_project_builds_without_MOPS008_and_its_spans_nest_and_end_before_the_caller_resumes()
        {
            _feed.EnsurePacked();
            var app = ConsumerProject.Create(_feed, _log, "AsyncShop");
            var project = XDocument.Load(app.ProjectFile);
            project.Root!.Element("PropertyGroup")!.Add(
                new XElement("EnablePreviewFeatures", "true"),
                new XElement("Features", "$(Features);runtime-async=on"),
                new XElement("NoWarn", "$(NoWarn);SYSLIB5007"));
            project.Save(app.ProjectFile);
            app.AddPackage().EnsureSuccess();
            app.WriteSource("Program.cs", Program);
            app.WriteSource("FodyWeavers.xml", "<Weavers><Mirascope.Ops /></Weavers>");
            var build = app.Build("-p:TreatWarningsAsErrors=true").EnsureSuccess();
            Assert.DoesNotContain("MOPS008", build.Output);

            // .NET 10 runs runtime-async code only when asked (.NET 11 always does).
            var run = app.RunApp(app.OutputAssembly("net10.0"), new Dictionary<string, string> { ["DOTNET_RuntimeAsync"] = "1" }).EnsureSuccess();

            Assert.Contains("runtime-async: True", run.Output);
            Assert.Contains("span Shop.PriceAsync parent=Shop.TotalAsync async=True output=6 status=Unset", run.Output);
            Assert.Contains("span Shop.PriceAsync parent=Shop.TotalAsync async=True output=8 status=Unset", run.Output);
            Assert.Contains("span Shop.TotalAsync parent=- async=True output=14 status=Unset", run.Output);
            // The span ended before the caller's continuation ran, and did not leak into it.
            Assert.True(run.Output.IndexOf("span Shop.TotalAsync", System.StringComparison.Ordinal) < run.Output.IndexOf("total: 14", System.StringComparison.Ordinal));
            Assert.Contains("current after: none", run.Output);
        }
    }
}
