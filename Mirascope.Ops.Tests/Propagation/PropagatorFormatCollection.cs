using Xunit;

namespace Mirascope.Ops.Tests.Propagation
{
    /// <summary>Tests that change the process-wide propagator format (or MIRASCOPE_PROPAGATOR) run alone.</summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class PropagatorFormatCollection
    {
        public const string Name = "Process-wide propagator format";
    }
}
