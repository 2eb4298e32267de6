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
    /// <summary>AssemblyToProcess, built in Debug or Release and woven once per test run by the real weaver.</summary>
    public sealed class WovenAssembly
    {
        private static readonly Dictionary<string, Lazy<WovenAssembly>> Builds = new Dictionary<string, Lazy<WovenAssembly>>
        {
            ["Debug"] = new Lazy<WovenAssembly>(() => new WovenAssembly("Debug")),
            ["Release"] = new Lazy<WovenAssembly>(() => new WovenAssembly("Release")),
        };

        private WovenAssembly(string configuration)
        {
            Configuration = configuration;
            OriginalPath = Path.Combine(RepositoryPaths.Root, "AssemblyToProcess", "bin", configuration, "net10.0", "AssemblyToProcess.dll");
            Assert.True(File.Exists(OriginalPath), $"AssemblyToProcess was not built in {configuration}: {OriginalPath}");
            Result = new ModuleWeaver().ExecuteTestRun(OriginalPath, runPeVerify: false, writeSymbols: true);
            Assert.Empty(Result.Errors);
        }

        public static IEnumerable<object[]> Configurations => Builds.Keys.Select(k => new object[] { k });

        public string Configuration { get; }

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
