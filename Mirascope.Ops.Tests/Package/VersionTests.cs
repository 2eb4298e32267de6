using Mirascope.Ops.Tracing;
using Xunit;

namespace Mirascope.Ops.Tests.Package
{
    /// <summary>One version, set once (Directory.Build.props), reported by the spans' ActivitySource.</summary>
    public sealed class VersionTests
    {
        [Fact]
        public void ActivitySource_reports_the_version_set_in_Directory_Build_props()
        {
            var version = PackageFeed.ReadBaseVersion();

            Assert.Equal(version, OpsActivitySource.Version);
            Assert.Equal(version, OpsActivitySource.Source.Version);
        }
    }
}
