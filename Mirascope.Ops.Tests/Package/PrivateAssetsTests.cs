using System.IO;
using System.Linq;
using System.Xml.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Mirascope.Ops.Tests.Package
{
    /// <summary>
    /// MOPS011: a reference with <c>PrivateAssets="all"</c> (what other Fody add-ins' docs suggest) keeps the runtime
    /// out of the published app, which then fails at its first traced call. The build says so.
    /// </summary>
    [Collection(PackageCollection.Name)]
    [Trait("Category", "Package")]
    public sealed class PrivateAssetsTests
    {
        private readonly PackageFeed _feed;
        private readonly ITestOutputHelper _log;

        public PrivateAssetsTests(PackageFeed feed, ITestOutputHelper log)
        {
            _feed = feed;
            _log = log;
        }

        [Fact]
        public void A_private_reference_warns_MOPS011_and_a_plain_one_does_not()
        {
            _feed.EnsurePacked();
            var app = ConsumerProject.Create(_feed, _log, "PrivateShop");
            app.AddPackage().EnsureSuccess();
            app.WriteSource("Program.cs", DependencyFootprintTests.ListenerProgram);
            app.WriteSource("FodyWeavers.xml", "<Weavers><Mirascope.Ops /></Weavers>");

            var plain = app.Build().EnsureSuccess();
            Assert.DoesNotContain(plain.Warnings, w => w.Contains("MOPS011"));

            SetPrivateAssets(app, "All");
            var warned = app.Build().EnsureSuccess();
            var warning = Assert.Single(warned.Warnings, w => w.Contains("MOPS011"));
            Assert.Contains("PrivateAssets", warning);
            Assert.Contains("PrivateShop.csproj", warning);

            // What the warning is about: the published app has no runtime.
            var published = Path.Combine(_feed.Root, "PrivateShop-published");
            app.Publish(published).EnsureSuccess();
            Assert.False(File.Exists(Path.Combine(published, "Mirascope.Ops.dll")), "expected the private reference to leave the runtime out of publish");

            // A direct reference to a package that brings the runtime keeps it published: no warning then.
            app.AddPackage("Mirascope.Ops").EnsureSuccess();
            var kept = app.Build().EnsureSuccess();
            Assert.DoesNotContain(kept.Warnings, w => w.Contains("MOPS011"));
            var republished = Path.Combine(_feed.Root, "PrivateShop-republished");
            app.Publish(republished).EnsureSuccess();
            Assert.True(File.Exists(Path.Combine(republished, "Mirascope.Ops.dll")), "the direct reference did not publish the runtime");
        }

        private static void SetPrivateAssets(ConsumerProject app, string value)
        {
            var project = XDocument.Load(app.ProjectFile);
            var reference = project.Descendants("PackageReference").Single(r => (string?)r.Attribute("Include") == "Mirascope.Ops.Fody");
            reference.SetAttributeValue("PrivateAssets", value);
            project.Save(app.ProjectFile);
        }
    }
}
