namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>What a create-function request carries (the Cloud's <c>CreateFunction</c>), validated; JSON fields as JSON text.</summary>
    internal sealed record FunctionDraft(
        string Code, string Hash, string Signature, string SignatureHash, string Name, string Language,
        string? Description, string? TagsJson, string? MetadataJson, string? DependenciesJson);
}
