using System.Collections.Generic;
using Fody;

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
            var runtime = RuntimeReferences.TryImport(ModuleDefinition, FindTypeDefinition);
            if (runtime is null)
            {
                WriteInfo("Mirascope.Ops: the assembly does not reference Mirascope.Ops; nothing to weave.");
                return;
            }

            var diagnostics = new Diagnostics(this);
            var targets = TraceTargets.Find(ModuleDefinition, options, runtime, diagnostics);
            var descriptors = new DescriptorTable(ModuleDefinition, runtime);
            var woven = 0;
            foreach (var target in targets)
            {
                var weaver = MethodWeavers.For(target, diagnostics);
                if (weaver is null)
                {
                    continue;
                }

                var descriptor = descriptors.Add(target);
                weaver.Weave(target, descriptor, runtime);
                woven++;
            }

            descriptors.EmitInitializers();
            WriteMessage($"Mirascope.Ops: wove {woven} method(s); {diagnostics.ErrorCount} error(s).", MessageImportance.Normal);
        }

        public override IEnumerable<string> GetAssembliesForScanning()
        {
            yield return "netstandard";
            yield return "mscorlib";
            yield return "System.Runtime";
        }

        public override bool ShouldCleanReference => false;
    }
}
