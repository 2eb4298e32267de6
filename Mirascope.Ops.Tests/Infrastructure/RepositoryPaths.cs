using System.Linq;
using System.Reflection;

namespace Mirascope.Ops.Tests.Infrastructure
{
    public static class RepositoryPaths
    {
        /// <summary>The repository root, stamped into the test assembly at build time.</summary>
        public static string Root { get; } = typeof(RepositoryPaths).Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RepositoryRoot").Value!;
    }
}
