using System;

namespace Mirascope.Ops
{
    /// <summary>
    /// Opts a type, a parameter, a property or a field in to being recorded as its <c>ToString()</c> text.
    /// </summary>
    /// <remarks>
    /// Recording never runs the program's code unless it is opted in here (or by a formatter registered with
    /// <c>OpsOptions.AddValueFormatter&lt;T&gt;</c> (Mirascope.Ops.Export)): by default a user type is recorded by its public
    /// auto-properties (read from their backing fields, no getter runs) and public fields. <c>ToString()</c> runs on the
    /// traced call's thread, with tracing suspended on that thread while it runs: a traced method it calls records
    /// nothing, so it can never recurse. An exception it throws is recorded in its place and never reaches the program.
    /// </remarks>
    [AttributeUsage(
        AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Interface | AttributeTargets.Parameter
            | AttributeTargets.ReturnValue | AttributeTargets.Property | AttributeTargets.Field,
        AllowMultiple = false,
        Inherited = true)]
    public sealed class RecordToStringAttribute : Attribute
    {
    }
}
