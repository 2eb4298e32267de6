namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>
    /// The fields of a create or update request. For an update, a field that was not sent stays as it is
    /// (<c>Has…</c> false) and one sent as <c>null</c> is cleared, as the Cloud's <c>PUT</c> did.
    /// </summary>
    internal sealed class AnnotationChange
    {
        public bool HasLabel { get; init; }

        public string? Label { get; init; }

        public bool HasReasoning { get; init; }

        public string? Reasoning { get; init; }

        public bool HasMetadata { get; init; }

        public string? MetadataJson { get; init; }

        public bool HasTags { get; init; }

        /// <summary>A JSON array of strings, or null for none.</summary>
        public string? TagsJson { get; init; }
    }
}
