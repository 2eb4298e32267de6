using System.Collections.Generic;
using System.Diagnostics;
using Mirascope.Ops.Annotations;

namespace Mirascope.Ops
{
    public static partial class MirascopeOps
    {
        /// <summary>
        /// Annotates the span <paramref name="spanId"/> of trace <paramref name="traceId"/> on the configured Mirascope
        /// Cloud receiver, as <see cref="TracedCall.Annotate"/> does, for a span known only by its ids (stored, or
        /// received from elsewhere). Never throws.
        /// </summary>
        /// <param name="traceId">The trace id, 32 hex digits.</param>
        /// <param name="spanId">The span id, 16 hex digits.</param>
        /// <param name="label">Pass or fail, or null for none.</param>
        /// <param name="reasoning">Why, or null.</param>
        /// <param name="metadata">Extra key/value pairs, or null.</param>
        /// <param name="tags">Tags (the receiver's project must know them), or null.</param>
        /// <returns>True when a receiver queued it; false when the ids are malformed or no receiver is configured (the annotation is dropped and counted).</returns>
        public static bool Annotate(string traceId, string spanId, AnnotationLabel? label, string? reasoning = null, IReadOnlyDictionary<string, string>? metadata = null, IReadOnlyList<string>? tags = null)
        {
            if (!IsHex(traceId, 32) || !IsHex(spanId, 16))
            {
                AnnotationSenders.Drop("the trace id must be 32 and the span id 16 hex digits");
                return false;
            }

            traceId = traceId.ToLowerInvariant();
            spanId = spanId.ToLowerInvariant();

            // The current span, when those are its ids: then each export takes it only if it took the span.
            var current = Activity.Current;
            var activity = current is not null && current.TraceId.ToHexString() == traceId && current.SpanId.ToHexString() == spanId ? current : null;
            return AnnotationSenders.Submit(new Annotation(traceId, spanId, activity, label, reasoning, metadata, tags));
        }

        private static bool IsHex(string? text, int length)
        {
            if (text is null || text.Length != length) return false;
            foreach (var c in text)
            {
                if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
            }

            return true;
        }
    }
}
