using System.Collections.Generic;
using System.Diagnostics;

namespace Mirascope.Ops
{
    /// <summary>
    /// The identity of the span of a traced call made directly inside <see cref="MirascopeOps.Wrapped(System.Action)"/>.
    /// </summary>
    public class TracedCall
    {
        internal TracedCall(Activity? activity)
        {
            Activity = activity;
        }

        /// <summary>The span, or <c>null</c> when tracing was off or no traced method ran.</summary>
        public Activity? Activity { get; }

        /// <summary>The span id as 16 lowercase hex digits, or an empty string.</summary>
        public string SpanId => Activity?.SpanId.ToHexString() ?? string.Empty;

        /// <summary>The trace id as 32 lowercase hex digits, or an empty string.</summary>
        public string TraceId => Activity?.TraceId.ToHexString() ?? string.Empty;

        /// <summary>
        /// Annotates this call's span on the configured Mirascope Cloud receiver (<c>POST {BaseUrl}/annotations</c>),
        /// off the caller's path: it returns at once, and the annotation is sent after the span was exported, so it
        /// works after the span ended. Never throws; failures are counted and reported through the export's
        /// diagnostics. See docs/configuration.md.
        /// </summary>
        /// <param name="label">Pass or fail, or null for none.</param>
        /// <param name="reasoning">Why, or null.</param>
        /// <param name="metadata">Extra key/value pairs, or null.</param>
        /// <param name="tags">Tags (the receiver's project must know them), or null.</param>
        /// <returns>True when a receiver queued it; false when there was no span or no receiver (the annotation is dropped and counted).</returns>
        public bool Annotate(AnnotationLabel? label, string? reasoning = null, IReadOnlyDictionary<string, string>? metadata = null, IReadOnlyList<string>? tags = null)
        {
            if (Activity is not { } activity)
            {
                Annotations.AnnotationSenders.Drop("the call has no span (tracing was off or no traced method ran)");
                return false;
            }

            return Annotations.AnnotationSenders.Submit(new Annotations.Annotation(TraceId, SpanId, activity, label, reasoning, metadata, tags));
        }
    }

    /// <summary>
    /// The result of a call together with the span of the first traced call made directly inside it
    /// (see <see cref="MirascopeOps.Wrapped{T}(System.Func{T})"/>).
    /// </summary>
    /// <typeparam name="T">The result type.</typeparam>
    public sealed class Trace<T> : TracedCall
    {
        internal Trace(T result, Activity? activity)
            : base(activity)
        {
            Result = result;
        }

        /// <summary>What the wrapped delegate returned.</summary>
        public T Result { get; }
    }
}
