namespace Mirascope.Ops.Viewer.Cost
{
    /// <summary>One model's prices in USD per million tokens (models.dev's <c>cost</c> object); a missing cache price is null.</summary>
    internal sealed record ModelPrice(string Provider, string Model, decimal Input, decimal Output, decimal? CacheRead, decimal? CacheWrite);
}
