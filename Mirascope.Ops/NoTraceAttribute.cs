using System;

namespace Mirascope.Ops
{
    /// <summary>
    /// Opts a method (or, from an assembly-level <c>[assembly: Trace]</c>, a whole class) out of implicit tracing, or, on a parameter, records
    /// <c>"[redacted]"</c> instead of its value (its type is still recorded).
    /// </summary>
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Parameter | AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
    public sealed class NoTraceAttribute : Attribute
    {
    }
}
