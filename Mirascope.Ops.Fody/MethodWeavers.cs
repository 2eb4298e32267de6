namespace Mirascope.Ops.Fody
{
    /// <summary>Picks the weaver for a method's shape, or reports why it cannot be woven.</summary>
    internal static class MethodWeavers
    {
        private static IMethodWeaver? Report(IMethodWeaver? weaver, TraceTarget target, Diagnostics diagnostics, string shape, string expected)
        {
            if (weaver is null)
            {
                diagnostics.Error(
                    DiagnosticCodes.UnrecognizedStateMachine,
                    target.Method,
                    $"[Trace] cannot weave the {shape} {TraceSettingsReader.Describe(target.Method)}: its state machine does not have the shape the C# compiler emits ({expected}).");
            }

            return weaver;
        }

        public static IMethodWeaver? For(TraceTarget target, Diagnostics diagnostics)
        {
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
                            $"[Trace] cannot weave the async method {TraceSettingsReader.Describe(target.Method)}: its state machine does not have the shape the C# compiler emits (a '<>t__builder' field with SetResult and SetException calls in MoveNext).");
                    }

                    return weaver;
                case MethodShape.Iterator:
                    return Report(IteratorWeaver.TryCreate(target), target, diagnostics, "iterator", "an IEnumerator MoveNext returning bool and a Dispose");
                case MethodShape.AsyncIterator:
                    return Report(AsyncIteratorWeaver.TryCreate(target), target, diagnostics, "async iterator", "a '<>v__promiseOfValueOrEnd' with SetResult and SetException calls in MoveNext");
                default:
                    return null;
            }
        }
    }
}
