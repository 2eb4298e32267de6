namespace Mirascope.Ops.Viewer.Cost
{
    /// <summary>
    /// Token counts of model calls of one provider and model. <see cref="Input"/> includes the cached tokens, as
    /// <c>gen_ai.usage.input_tokens</c> and Mirascope's <c>Usage.input_tokens</c> are defined.
    /// </summary>
    internal sealed record TokenUsage(string? Provider, string? Model, long Input, long Output, long CacheRead, long CacheWrite);
}
