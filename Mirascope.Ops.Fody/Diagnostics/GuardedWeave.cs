using System;
using Fody;
using Mirascope.Ops.Fody.Targets;

namespace Mirascope.Ops.Fody.Diagnostics
{
    /// <summary>
    /// Weaves one target at a time so that a failure is located (as Rougamo guards each target): an unexpected
    /// exception while weaving a method becomes build error MOPS012 at that method's line, with the exception's
    /// message, and the other methods are still woven, so one build shows every problem. The build fails either way,
    /// so a half-woven method is never shipped.
    /// </summary>
    internal sealed class GuardedWeave
    {
        private readonly BuildErrors _diagnostics;

        public GuardedWeave(BuildErrors diagnostics)
        {
            _diagnostics = diagnostics;
        }

        /// <summary>Runs <paramref name="weave"/> for <paramref name="target"/>; false when it failed (and was reported).</summary>
        public bool Run(TraceTarget target, Action weave)
        {
            try
            {
                weave();
                return true;
            }
            catch (WeavingException)
            {
                // Deliberate, already worded for the user (a mismatched runtime, MOPS013): not one method's problem.
                throw;
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                _diagnostics.Error(
                    DiagnosticCodes.WeaverFailed,
                    target.Method,
                    $"the weaver failed on '{MethodNames.QualifiedName(target.Method)}' ({exception.GetType().Name}: {exception.Message}). " +
                    "The other methods were woven; remove [Trace] from this one to build, and please report it with the method's source.");
                return false;
            }
        }
    }
}
