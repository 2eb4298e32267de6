namespace Mirascope.Ops.Fody
{
    /// <summary>Picks the weaver for a method's shape, or reports why it cannot be woven.</summary>
    internal static class MethodWeavers
    {
        public static IMethodWeaver? For(TraceTarget target, Diagnostics diagnostics)
        {
            var description = TraceSettingsReader.Describe(target.Method);
            switch (target.Shape)
            {
                case MethodShape.Sync:
                    return new SyncMethodWeaver();
                case MethodShape.Async:
                    var weaver = AsyncMethodWeaver.TryCreate(target);
                    if (weaver is null)
                    {
                        diagnostics.Error(
                            DiagnosticCodes.UnrecognizedStateMachine,
                            target.Method,
                            $"[Trace] cannot weave the async method {description}: its state machine does not have the shape the C# compiler emits (a '<>t__builder' field with SetResult and SetException calls in MoveNext).");
                    }

                    return weaver;
                default:
                    diagnostics.Error(
                        DiagnosticCodes.UnsupportedShape,
                        target.Method,
                        $"[Trace] on the iterator {description} is not supported yet. Trace the method that enumerates it.");
                    return null;
            }
        }
    }
}
