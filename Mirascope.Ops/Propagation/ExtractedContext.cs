using System.Diagnostics;

namespace Mirascope.Ops
{
    /// <summary>
    /// What <see cref="MirascopeOps.ExtractContext{TValue}(System.Collections.Generic.IEnumerable{System.Collections.Generic.KeyValuePair{string, TValue}})"/>
    /// found in incoming headers: the remote parent span and the session id. Empty when the headers hold neither
    /// (or are malformed).
    /// </summary>
    public readonly struct ExtractedContext
    {
        /// <summary>Creates a context, e.g. to hand a parent received some other way to <see cref="MirascopeOps.PropagatedContext(ExtractedContext)"/>.</summary>
        /// <param name="activityContext">The remote parent span; <c>default</c> for none.</param>
        /// <param name="sessionId">The session id, or null.</param>
        public ExtractedContext(ActivityContext activityContext, string? sessionId)
        {
            ActivityContext = activityContext;
            SessionId = string.IsNullOrEmpty(sessionId) ? null : sessionId;
        }

        /// <summary>The remote parent span (trace id, span id, sampled flag, trace state); <c>default</c> when none was found.</summary>
        public ActivityContext ActivityContext { get; }

        /// <summary>The <c>Mirascope-Session-Id</c> header's value, or null.</summary>
        public string? SessionId { get; }

        /// <summary>Whether a valid remote parent span was found.</summary>
        public bool HasParent => ActivityContext.TraceId != default && ActivityContext.SpanId != default;

        /// <summary>Whether neither a parent nor a session id was found.</summary>
        public bool IsEmpty => !HasParent && SessionId is null;
    }
}
