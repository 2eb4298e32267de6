using System.Diagnostics;
using System.Reflection;

namespace Mirascope.Ops.Tracing
{
    /// <summary>The one <see cref="ActivitySource"/> every Mirascope.Ops span comes from.</summary>
    internal static class OpsActivitySource
    {
        /// <summary>The source name to subscribe to (<c>AddSource("Mirascope.Ops")</c>).</summary>
        public const string Name = "Mirascope.Ops";

        /// <summary>The package version, read from the assembly metadata the build stamps from the one version property.</summary>
        public static readonly string Version = ReadVersion();

        public static readonly ActivitySource Source = new ActivitySource(Name, Version);

        private static string ReadVersion()
        {
            foreach (var attribute in typeof(OpsActivitySource).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>())
            {
                if (attribute.Key == "MirascopeOpsVersion" && !string.IsNullOrEmpty(attribute.Value))
                {
                    return attribute.Value!;
                }
            }

            return "0.0.0";
        }
    }
}
