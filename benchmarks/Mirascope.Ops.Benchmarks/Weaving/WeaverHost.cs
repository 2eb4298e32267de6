using System;
using System.Collections.Generic;
using System.IO;
using System.Xml.Linq;
using Fody;
using Mirascope.Ops.Fody;
using Mono.Cecil;

// The host sets the delegates Fody itself sets; FodyHelpers marks them obsolete only for weaver authors.
#pragma warning disable CS0618

namespace Mirascope.Ops.Benchmarks.Weaving
{
    /// <summary>
    /// Sets a <see cref="ModuleWeaver"/> up the way Fody does for one build: the module read by Cecil (symbols too),
    /// the type cache, the resolver, the logging delegates and the FodyWeavers.xml element; then
    /// <see cref="ModuleWeaver.Execute"/> can be called on its own.
    /// </summary>
    internal sealed class WeaverHost : IDisposable
    {
        private readonly QuietResolver _resolver = new QuietResolver();

        public WeaverHost(GeneratedAssembly assembly, ReadingMode mode = ReadingMode.Immediate)
        {
            Assembly = assembly;
            _resolver.AddSearchDirectory(assembly.Directory);
            _resolver.AddSearchDirectory(Path.GetDirectoryName(typeof(object).Assembly.Location)!);
            Module = ModuleDefinition.ReadModule(assembly.DllPath, new ReaderParameters(mode)
            {
                AssemblyResolver = _resolver,
                ReadSymbols = true,
            });
            var types = new TypeCache(Resolve);
            Weaver = new ModuleWeaver
            {
                ModuleDefinition = Module,
                Config = new XElement("Mirascope.Ops"),
                AssemblyFilePath = assembly.DllPath,
                DocumentationFilePath = assembly.DocumentationPath,
                AssemblyResolver = _resolver,
                ResolveAssembly = Resolve,
                LogDebug = _ => { },
                LogInfo = _ => { },
                LogMessage = (_, _) => { },
                LogWarning = text => Warnings.Add(text),
                LogWarningPoint = (text, _) => Warnings.Add(text),
                LogError = text => Errors.Add(text),
                LogErrorPoint = (text, _) => Errors.Add(text),
            };
            types.BuildAssembliesToScan(Weaver);
            Weaver.FindType = types.FindType;
            Weaver.TryFindType = types.TryFindType;
            Weaver.TypeSystem = new global::Fody.TypeSystem(types.FindType, Module);
        }

        public GeneratedAssembly Assembly { get; }

        private AssemblyDefinition? Resolve(string name)
        {
            try
            {
                return _resolver.Resolve(AssemblyNameReference.Parse(name));
            }
            catch (AssemblyResolutionException)
            {
                return null;
            }
        }

        public ModuleDefinition Module { get; }

        public ModuleWeaver Weaver { get; }

        public List<string> Warnings { get; } = new List<string>();

        public List<string> Errors { get; } = new List<string>();

        public void Execute()
        {
            Weaver.Execute();
            if (Errors.Count > 0)
            {
                throw new InvalidOperationException("the weaver reported errors: " + string.Join("; ", Errors));
            }
        }

        public void Dispose()
        {
            Module.Dispose();
            _resolver.Dispose();
        }

        /// <summary>Like Fody's resolver: an assembly that is not there resolves to null instead of throwing.</summary>
        private sealed class QuietResolver : DefaultAssemblyResolver
        {
            public override AssemblyDefinition? Resolve(AssemblyNameReference name)
            {
                try
                {
                    return base.Resolve(name);
                }
                catch (AssemblyResolutionException)
                {
                    return null;
                }
            }
        }
    }
}
