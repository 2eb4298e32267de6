using Mirascope.Ops.Fody.Emit;
using Mirascope.Ops.Fody.Targets;
using Mono.Cecil;

namespace Mirascope.Ops.Fody.Weavers
{
    /// <summary>
    /// Weaves a runtime-async method (see <see cref="RuntimeAsync"/>) in place, with the synchronous weave:
    /// <code>
    /// descriptor.Start(ref scope); record arguments;
    /// try { try { body: awaits are calls; each 'return r' (the task's result) becomes 'result = r; leave EXIT' }
    ///       filter { TraceScope.Observe(ex, ref scope) /* records, never catches */ } }
    /// fault { TraceScope.End(ref scope) }
    /// EXIT: TraceScope.Complete(result, ref scope); return result;
    /// </code>
    /// The protected regions span the awaits (the runtime suspends and resumes the frame, handlers included), so the
    /// span covers the awaited work; it ends before the body returns, which is before the runtime completes the task and
    /// runs the caller's continuation. The scope is an ordinary local, which the runtime keeps across suspensions like
    /// every other. The span is current inside the body; the runtime restores the caller's ExecutionContext (and with
    /// it <c>Activity.Current</c>) when the body suspends or returns. The output is the result value, never the task,
    /// so a <c>Task&lt;Task&lt;T&gt;&gt;</c> records its inner task and does not wait for it.
    /// </summary>
    internal sealed class RuntimeAsyncMethodWeaver : IMethodWeaver
    {
        private readonly SyncMethodWeaver _body;

        public RuntimeAsyncMethodWeaver(SyncMethodWeaver body) => _body = body;

        public void Weave(TraceTarget target, FieldReference descriptor, RuntimeReferences runtime) =>
            _body.WeaveBody(target, descriptor, runtime, RuntimeAsync.ReturnedType(target.Method)!, completeWhenDone: null);
    }
}
