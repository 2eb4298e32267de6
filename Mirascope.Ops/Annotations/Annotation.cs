using System.Collections.Generic;
using System.Diagnostics;

namespace Mirascope.Ops.Annotations
{
    /// <summary>One annotation made from code, on its way to the receivers (see <see cref="AnnotationSenders"/>).</summary>
    internal sealed class Annotation
    {
        public Annotation(string traceId, string spanId, Activity? activity, AnnotationLabel? label, string? reasoning, IReadOnlyDictionary<string, string>? metadata, IReadOnlyList<string>? tags)
        {
            TraceId = traceId;
            SpanId = spanId;
            Activity = activity;
            Label = label;
            Reasoning = reasoning;
            Metadata = metadata;
            Tags = tags;
        }

        /// <summary>32 lowercase hex digits.</summary>
        public string TraceId { get; }

        /// <summary>16 lowercase hex digits.</summary>
        public string SpanId { get; }

        /// <summary>The annotated span when the caller had it (a sender uses it to take only the spans its export takes); null for an annotation by id.</summary>
        public Activity? Activity { get; }

        public AnnotationLabel? Label { get; }

        public string? Reasoning { get; }

        public IReadOnlyDictionary<string, string>? Metadata { get; }

        public IReadOnlyList<string>? Tags { get; }
    }
}
