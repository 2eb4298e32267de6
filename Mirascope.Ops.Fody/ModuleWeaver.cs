using System.Collections.Generic;
using Fody;
using Mirascope.Ops.Fody.Diagnostics;
using Mirascope.Ops.Fody.Emit;
using Mirascope.Ops.Fody.Targets;
using Mirascope.Ops.Fody.Versioning;
using Mirascope.Ops.Fody.Weavers;

namespace Mirascope.Ops.Fody
{
    /// <summary>
    /// The Fody entry point. Each step lives in its own file; this class only reads like their table of contents.
    /// </summary>
    public sealed class ModuleWeaver : BaseModuleWeaver
    {
        public override void Execute()
        {
            var options = WeaverOptions.Read(Config);
            var runtime = RuntimeReferences.TryImport(ModuleDefinition, FindTypeDefinition, required: options.TraceAssembly);
            if (runtime is null)
            {
                WriteInfo("Mirascope.Ops: the assembly does not reference Mirascope.Ops; nothing to weave.");
                return;
            }

            var diagnostics = new BuildErrors(this);
            var report = new WeavingReport();
            var targets = TraceTargets.Find(ModuleDefinition, options, diagnostics, report);
            targets = VersionStamp.Apply(targets, ModuleDefinition, DocumentationFilePath, ReferencePaths(), message => WriteMessage(message, MessageImportance.Normal));
            WeaveAll(targets, runtime, diagnostics, report);
            RecordedTypeRoots.Emit(ModuleDefinition, targets, name => TryFindTypeDefinition(name, out var type) ? type : null);
            WriteMessage(report.ToString(), MessageImportance.Normal);
        }

        /// <summary>Weaves each target by its shape, a failure located at its method, then emits the descriptors' initializers.</summary>
        private void WeaveAll(List<TraceTarget> targets, RuntimeReferences runtime, BuildErrors diagnostics, WeavingReport report)
        {
            var descriptors = new DescriptorTable(ModuleDefinition, runtime);
            var weavers = new MethodWeavers(diagnostics);
            var guard = new GuardedWeave(diagnostics);
            foreach (var target in targets)
            {
                var weaver = weavers.For(target);
                if (weaver is not null && guard.Run(target, () => weaver.Weave(target, descriptors.Add(target), runtime)))
                {
                    report.Wove();
                }
            }

            descriptors.EmitInitializers();
        }

        /// <summary>The paths of the compilation's references (Fody passes them ';'-separated; empty in unit tests).</summary>
        private IReadOnlyList<string> ReferencePaths() =>
            string.IsNullOrEmpty(References) ? new string[0] : References.Split(new[] { ';' }, System.StringSplitOptions.RemoveEmptyEntries);

        public override IEnumerable<string> GetAssembliesForScanning()
        {
            yield return "netstandard";
            yield return "mscorlib";
            yield return "System.Runtime";
        }

        public override bool ShouldCleanReference => false;
    }
}
