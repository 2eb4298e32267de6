using Mirascope.Ops.Viewer.Ingest;
using Mirascope.Ops.Viewer.Storage;
using System.Collections.Generic;

// main 22c082a's ingest code, copied verbatim but for the namespace: the benchmark's baseline (IngestDecodeBenchmarks).
namespace Mirascope.Ops.ViewerLoad.IngestBenchmark.MainBaseline
{
    /// <summary>What one request carried: the spans to store and, for each span that was rejected, why.</summary>
    internal sealed class IngestBatch
    {
        /// <summary>The most rejection reasons repeated in the answer; the count is always complete.</summary>
        public const int MaxReportedReasons = 5;

        /// <summary>Where each span kept so far was in the request, by trace id and span id.</summary>
        private readonly Dictionary<(string TraceId, string SpanId), string> _kept = new Dictionary<(string, string), string>();

        public List<IngestSpan> Spans { get; } = new List<IngestSpan>();

        public List<string> Rejections { get; } = new List<string>();

        /// <summary>
        /// Keeps the span read at <paramref name="path"/>, unless the request already had one with its trace id and span id:
        /// then the first copy stays and this one is rejected, counted and named in <c>partialSuccess</c> (storing both
        /// would keep whichever was written last, silently).
        /// </summary>
        public void Add(IngestSpan span, string path)
        {
            if (_kept.TryGetValue((span.TraceId, span.SpanId), out var first))
            {
                Reject(path, $"repeats span {span.SpanId} of trace {span.TraceId}, already sent at {first} in this request (the first copy was kept)");
                return;
            }

            _kept.Add((span.TraceId, span.SpanId), path);
            Spans.Add(span);
        }

        public void Reject(string path, string reason) => Rejections.Add(path + ": " + reason);

        /// <summary>The <c>partialSuccess.errorMessage</c> for the rejected spans, or null when none was rejected.</summary>
        public string? RejectionMessage()
        {
            if (Rejections.Count == 0)
            {
                return null;
            }

            var shown = Rejections.Count <= MaxReportedReasons ? Rejections : Rejections.GetRange(0, MaxReportedReasons);
            var message = (Rejections.Count == 1 ? "1 span was" : Rejections.Count + " spans were") + " rejected: " + string.Join("; ", shown);
            return Rejections.Count > MaxReportedReasons ? message + $"; and {Rejections.Count - MaxReportedReasons} more" : message;
        }
    }
}
