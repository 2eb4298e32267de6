using System;
using System.Reflection;
using System.Runtime.Loader;

namespace Mirascope.Ops.Tests.Infrastructure
{
    /// <summary>
    /// The same build of AssemblyToProcess before weaving, loaded into a collectible context of its own (it has the woven
    /// assembly's name): the control a differential test compares the woven behaviour with.
    /// </summary>
    internal sealed class UnwovenAssembly : IDisposable
    {
        private readonly AssemblyLoadContext _context;

        public UnwovenAssembly(WovenAssembly woven)
        {
            _context = new AssemblyLoadContext("unwoven-" + woven.Configuration, isCollectible: true);
            Assembly = _context.LoadFromAssemblyPath(woven.OriginalPath);
        }

        public Assembly Assembly { get; }

        /// <summary>Calls an instance method of a new <c>AssemblyToProcess.{type}</c>, exceptions unwrapped.</summary>
        public object? Call(string type, string method, params object?[] arguments)
        {
            var instance = Activator.CreateInstance(Assembly.GetType("AssemblyToProcess." + type, throwOnError: true)!)!;
            return instance.GetType().GetMethod(method)!.Invoke(instance, BindingFlags.DoNotWrapExceptions, null, arguments, null);
        }

        public void Dispose() => _context.Unload();
    }
}
