using System;
using System.Reflection;

namespace Mirascope.Ops
{
    public static partial class MirascopeOps
    {
        /// <summary>The build-time version of a <see cref="VersionAttribute"/> method, or null when it is not versioned.</summary>
        /// <param name="method">The method.</param>
        /// <returns>Its version info.</returns>
        public static VersionInfo? VersionOf(MethodInfo method)
        {
            if (method is null) throw new ArgumentNullException(nameof(method));
            var attribute = method.GetCustomAttribute<VersionAttribute>();
            return attribute is null ? null : VersionInfo.From(attribute);
        }

        /// <summary>The build-time version of the method a delegate calls (<c>MirascopeOps.VersionOf(recommender.Recommend)</c>).</summary>
        /// <param name="method">A delegate to the method.</param>
        /// <returns>Its version info, or null when it is not versioned.</returns>
        public static VersionInfo? VersionOf(Delegate method)
        {
            if (method is null) throw new ArgumentNullException(nameof(method));
            return VersionOf(method.Method);
        }
    }
}
