using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Fody;
using Mirascope.Ops.Fody;
using Xunit;

namespace Mirascope.Ops.Tests.Infrastructure
{
    /// <summary>
    /// AssemblyToProcess, built in Debug or Release and woven once per test run by the real weaver; and the same source
    /// compiled with .NET 11 runtime-async on (AssemblyToProcess.RuntimeAsync: its async methods have no state
    /// machine), as the configurations "RuntimeAsync.Debug" and "RuntimeAsync.Release".
    /// </summary>
    public sealed class WovenAssembly
    {
        public const string RuntimeAsyncPrefix = "RuntimeAsync.";

        private static readonly Dictionary<string, Lazy<WovenAssembly>> Builds = new Dictionary<string, Lazy<WovenAssembly>>
        {
            ["Debug"] = new Lazy<WovenAssembly>(() => new WovenAssembly("Debug")),
            ["Release"] = new Lazy<WovenAssembly>(() => new WovenAssembly("Release")),
            [RuntimeAsyncPrefix + "Debug"] = new Lazy<WovenAssembly>(() => new WovenAssembly(RuntimeAsyncPrefix + "Debug")),
            [RuntimeAsyncPrefix + "Release"] = new Lazy<WovenAssembly>(() => new WovenAssembly(RuntimeAsyncPrefix + "Release")),
        };

        private WovenAssembly(string configuration)
        {
            Configuration = configuration;
            IsRuntimeAsync = configuration.StartsWith(RuntimeAsyncPrefix, StringComparison.Ordinal);
            var project = IsRuntimeAsync ? "AssemblyToProcess.RuntimeAsync" : "AssemblyToProcess";
            var build = IsRuntimeAsync ? configuration.Substring(RuntimeAsyncPrefix.Length) : configuration;
            OriginalPath = Path.Combine(RepositoryPaths.Root, project, "bin", build, "net10.0", project + ".dll");
            Assert.True(File.Exists(OriginalPath), $"{project} was not built in {build}: {OriginalPath}");
            if (IsRuntimeAsync)
            {
                // The .NET 10 runtime refuses to load runtime-async methods without it (TypeLoadException).
                Assert.True(
                    Environment.GetEnvironmentVariable("DOTNET_RuntimeAsync") == "1",
                    "The runtime-async build needs DOTNET_RuntimeAsync=1 in the test host's environment (Mirascope.Ops.Tests/runtime-async.runsettings sets it for 'dotnet test'; pass --settings with it when you give other run settings).");
            }

            Result = new ModuleWeaver().ExecuteTestRun(OriginalPath, runPeVerify: false, writeSymbols: true);
            Assert.Empty(Result.Errors);
        }

        public static IEnumerable<object[]> Configurations => Builds.Keys.Select(k => new object[] { k });

        public string Configuration { get; }

        /// <summary>The build of AssemblyToProcess.RuntimeAsync (its async methods are runtime-async).</summary>
        public bool IsRuntimeAsync { get; }

        public string OriginalPath { get; }

        public TestResult Result { get; }

        public Assembly Assembly => Result.Assembly;

        public static WovenAssembly Get(string configuration) => Builds[configuration].Value;

        public Type Type(string name) => Assembly.GetType("AssemblyToProcess." + name, throwOnError: true)!;

        public object New(string typeName, params object?[] arguments) => Activator.CreateInstance(Type(typeName), arguments)!;

        /// <summary>Calls a woven method; exceptions come out as thrown (not wrapped), so identity can be asserted.</summary>
        public object? Call(object instance, string method, params object?[] arguments) =>
            Invoke(instance.GetType().GetMethod(method)!, instance, arguments);

        public object? CallGeneric(object instance, string method, Type typeArgument, params object?[] arguments) =>
            Invoke(instance.GetType().GetMethod(method)!.MakeGenericMethod(typeArgument), instance, arguments);

        private static object? Invoke(MethodInfo method, object instance, object?[] arguments) =>
            method.Invoke(instance, BindingFlags.DoNotWrapExceptions, null, arguments, null);
    }
}
