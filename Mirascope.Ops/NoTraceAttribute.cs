using System;

namespace Mirascope.Ops
{
    /// <summary>
    /// Opts a method (or, from an assembly-level <c>[assembly: Trace]</c>, a whole class) out of implicit tracing, or, on a parameter, records
    /// <c>"[redacted]"</c> instead of its value (its type is still recorded); on a property or field of a recorded
    /// object, records <c>"[redacted]"</c> for that member; on a traced method's return value
    /// (<c>[return: NoTrace]</c>), records <c>"[redacted]"</c> as its output.
    /// </summary>
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Parameter | AttributeTargets.ReturnValue | AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
    public sealed class NoTraceAttribute : Attribute
    {
    }
}
