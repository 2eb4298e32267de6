using System;
using Mirascope.Ops.Propagation;

namespace Mirascope.Ops
{
    /// <summary>
    /// The scope opened by <see cref="MirascopeOps.PropagatedContext(ExtractedContext)"/>: Mirascope.Ops spans started in it are
    /// children of the remote parent, inside the propagated session. Disposing it restores what was current before.
    /// </summary>
    public sealed class PropagatedContextScope : IDisposable
    {
        private readonly PropagatedParent.Frame? _parent;
        private readonly SessionScope? _session;

        internal PropagatedContextScope(ExtractedContext context, PropagatedParent.Frame? parent, SessionScope? session)
        {
            Context = context;
            _parent = parent;
            _session = session;
        }

        /// <summary>The parent and session id this scope applies.</summary>
        public ExtractedContext Context { get; }

        /// <summary>Ends the scope.</summary>
        public void Dispose()
        {
            _parent?.Dispose();
            _session?.Dispose();
        }
    }
}
