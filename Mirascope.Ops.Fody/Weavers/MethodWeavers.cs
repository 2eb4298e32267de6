using Mirascope.Ops.Fody.Diagnostics;
using Mirascope.Ops.Fody.Targets;

namespace Mirascope.Ops.Fody.Weavers
{
    /// <summary>Picks the weaver for a method's shape, or reports why it cannot be woven. One per module.</summary>
    internal sealed class MethodWeavers
    {
        private readonly BuildErrors _diagnostics;

        // Synchronous methods are most of an assembly; one weaver serves them all and reuses its lists.
        private readonly SyncMethodWeaver _sync = new SyncMethodWeaver();

        // Runtime-async methods are woven in place too, by the same code (see RuntimeAsyncMethodWeaver).
        private readonly RuntimeAsyncMethodWeaver _runtimeAsync;

        public MethodWeavers(BuildErrors diagnostics)
        {
            _diagnostics = diagnostics;
            _runtimeAsync = new RuntimeAsyncMethodWeaver(_sync);
        }

        private IMethodWeaver? Report(IMethodWeaver? weaver, TraceTarget target, string shape, string expected)
        {
            if (weaver is null)
            {
                _diagnostics.Error(
                    DiagnosticCodes.UnrecognizedStateMachine,
                    target.Method,
                    $"[Trace] cannot weave the {shape} {TraceSettingsReader.Describe(target.Method)}: its state machine does not have the shape the C# compiler emits ({expected}).");
            }

            return weaver;
        }

        public IMethodWeaver? For(TraceTarget target)
        {
            switch (target.Shape)
            {
                case MethodShape.Sync:
                    return _sync;
                case MethodShape.Async:
                    var weaver = AsyncMethodWeaver.TryCreate(target);
                    if (weaver is null)
                    {
                        _diagnostics.Error(
                            DiagnosticCodes.UnrecognizedStateMachine,
                            target.Method,
                            $"[Trace] cannot weave the async method {TraceSettingsReader.Describe(target.Method)}: its state machine does not have the shape the C# compiler emits (a '<>t__builder' field with SetResult and SetException calls in MoveNext).");
                    }

                    return weaver;
                case MethodShape.RuntimeAsync:
                    return _runtimeAsync;
                case MethodShape.Iterator:
                    return Report(IteratorWeaver.TryCreate(target), target, "iterator", "an IEnumerator MoveNext returning bool and a Dispose");
                case MethodShape.AsyncIterator:
                    return Report(AsyncIteratorWeaver.TryCreate(target), target, "async iterator", "a '<>v__promiseOfValueOrEnd' with SetResult and SetException calls in MoveNext");
                default:
                    return null;
            }
        }
    }
}
