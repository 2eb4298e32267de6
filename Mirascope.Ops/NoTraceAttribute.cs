using System;

namespace Mirascope.Ops
{
    /// <summary>
    /// Opts a method out of a class-level <see cref="TraceAttribute"/>, or, on a parameter, records
    /// <c>"[redacted]"</c> instead of its value (its type is still recorded).
    /// </summary>
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
    public sealed class NoTraceAttribute : Attribute
    {
    }
}
