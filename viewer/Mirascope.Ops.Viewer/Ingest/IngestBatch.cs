using System.Collections.Generic;

namespace Mirascope.Ops.Viewer.Ingest
{
    /// <summary>What one request carried: the spans to store and, for each span that was rejected, why.</summary>
    internal sealed class IngestBatch
    {
        /// <summary>The most rejection reasons repeated in the answer; the count is always complete.</summary>
        public const int MaxReportedReasons = 5;

        public List<IngestSpan> Spans { get; } = new List<IngestSpan>();

        public List<string> Rejections { get; } = new List<string>();

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
