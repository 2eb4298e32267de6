namespace Mirascope.Ops
{
    /// <summary>Which methods an assembly-level <c>[assembly: Trace]</c> covers, by accessibility.</summary>
    public enum TraceVisibility
    {
        /// <summary>Public methods of public types (the default).</summary>
        Public = 0,

        /// <summary>Public and internal methods of public and internal types.</summary>
        Internal = 1,

        /// <summary>Every method, private ones included.</summary>
        All = 2,
    }
}
