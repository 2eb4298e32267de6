using System;
using System.Collections.Concurrent;
using System.Reflection;
using Mirascope.Ops.Weaving;

namespace Mirascope.Ops.Tracing
{
    /// <summary>Which runtime types are the .NET base class library's (the rule itself: <see cref="FrameworkAssembly"/>), cached per assembly.</summary>
    internal static class FrameworkTypes
    {
        /// <summary>
        /// Whether <paramref name="type"/> is the .NET base class library's: CoreLib, or a <c>System.*</c> assembly
        /// signed with one of the framework's keys (a user assembly named <c>System.Foo</c> is not).
        /// </summary>
        public static bool Is(Type type)
        {
            var assembly = type.Assembly;
            if (assembly == typeof(object).Assembly)
            {
                return true;
            }

            return FrameworkAssemblies.GetOrAdd(assembly, IsFrameworkAssembly);
        }

        private static readonly ConcurrentDictionary<Assembly, bool> FrameworkAssemblies = new ConcurrentDictionary<Assembly, bool>();

        private static bool IsFrameworkAssembly(Assembly assembly)
        {
            var name = assembly.GetName();
            return FrameworkAssembly.Is(name.Name, name.GetPublicKeyToken());
        }
    }
}
