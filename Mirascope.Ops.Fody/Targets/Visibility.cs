namespace Mirascope.Ops.Fody.Targets
{
    /// <summary>
    /// Which methods assembly-wide tracing covers, by accessibility: the weaver's copy of the runtime's
    /// <c>Mirascope.Ops.TraceVisibility</c> (the weaver cannot reference the runtime). <c>[assembly: Trace(Visibility = ...)]</c>
    /// stores the runtime enum's underlying value, so names and values must stay equal (a test compares them).
    /// </summary>
    internal enum Visibility
    {
        /// <summary>Public methods of public types (the default).</summary>
        Public = 0,

        /// <summary>Public and internal methods of public and internal types.</summary>
        Internal = 1,

        /// <summary>Every method, private ones included.</summary>
        All = 2,
    }
}
