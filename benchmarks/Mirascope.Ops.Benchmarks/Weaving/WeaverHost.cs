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
    /// Sets a <see cref="ModuleWeaver"/> up the way Fody does for one build: the module read by Cecil (symbols too,
    /// when there are any), the type cache, the resolver, the logging delegates and the FodyWeavers.xml element; then
    /// <see cref="ModuleWeaver.Execute"/> can be called on its own, and <see cref="Write"/> saves the woven assembly.
    /// </summary>
    internal sealed class WeaverHost : IDisposable
    {
        private readonly QuietResolver _resolver = new QuietResolver();
        private readonly bool _symbols;

        /// <summary>A generated assembly, woven with the default <c>&lt;Mirascope.Ops /&gt;</c> element.</summary>
        public WeaverHost(GeneratedAssembly assembly, ReadingMode mode = ReadingMode.Immediate)
            : this(assembly.DllPath, new XElement("Mirascope.Ops"), mode, assembly.DocumentationPath)
        {
        }

        /// <summary>
        /// Any assembly: <paramref name="config"/> is its <c>&lt;Mirascope.Ops ... /&gt;</c> element of FodyWeavers.xml.
        /// References resolve from the assembly's folder, the runtime's folder (Mirascope.Ops, as the benchmark process
        /// loads it) and the shared framework. Symbols are read (and written back) when a PDB sits beside the DLL.
        /// </summary>
        public WeaverHost(string dllPath, XElement config, ReadingMode mode = ReadingMode.Immediate, string? documentationPath = null)
        {
            DllPath = dllPath;
            DocumentationPath = documentationPath ?? Path.ChangeExtension(dllPath, ".xml");
            _symbols = File.Exists(Path.ChangeExtension(dllPath, ".pdb"));
            _resolver.AddSearchDirectory(Path.GetDirectoryName(Path.GetFullPath(dllPath))!);
            _resolver.AddSearchDirectory(Path.GetDirectoryName(typeof(TraceAttribute).Assembly.Location)!);
            _resolver.AddSearchDirectory(Path.GetDirectoryName(typeof(object).Assembly.Location)!);
            Module = ModuleDefinition.ReadModule(dllPath, new ReaderParameters(mode)
            {
                AssemblyResolver = _resolver,
                ReadSymbols = _symbols,
            });
            var types = new TypeCache(Resolve);
            Weaver = new ModuleWeaver
            {
                ModuleDefinition = Module,
                Config = config,
                AssemblyFilePath = dllPath,
                DocumentationFilePath = DocumentationPath,
                AssemblyResolver = _resolver,
                ResolveAssembly = Resolve,
                LogDebug = _ => { },
                LogInfo = text => Messages.Add(text),
                LogMessage = (text, _) => Messages.Add(text),
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

        public string DllPath { get; }

        public string DocumentationPath { get; }

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

        /// <summary>What the weaver logged as information or messages (its weaving report among them).</summary>
        public List<string> Messages { get; } = new List<string>();

        public void Execute()
        {
            Weaver.Execute();
            if (Errors.Count > 0)
            {
                throw new InvalidOperationException("the weaver reported errors: " + string.Join("; ", Errors));
            }
        }

        /// <summary>Writes the woven module to <paramref name="path"/> (and its PDB beside it, when it was read with one).</summary>
        public void Write(string path) => Module.Write(path, new WriterParameters { WriteSymbols = _symbols });

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
