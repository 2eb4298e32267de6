using Mirascope.Ops.Fody.Emit;
using Mirascope.Ops.Fody.Targets;
using Mono.Cecil;

namespace Mirascope.Ops.Fody.Weavers
{
    /// <summary>Weaves one shape of method; the shapes differ only in where the scope calls go.</summary>
    internal interface IMethodWeaver
    {
        void Weave(TraceTarget target, FieldReference descriptor, RuntimeReferences runtime);
    }
}
