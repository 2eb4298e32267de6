using System.Collections.Generic;

namespace Mirascope.Ops.Viewer.Cost
{
    /// <summary>
    /// The cost of a group of model calls. <see cref="Usd"/> sums the calls whose model has a price; the models without one
    /// are named in <see cref="UnpricedModels"/>, so a total is never shown as complete (or as 0) when it is not.
    /// </summary>
    internal sealed class CostEstimate
    {
        public decimal Usd { get; private set; }

        /// <summary>True once at least one call was priced.</summary>
        public bool AnyPriced { get; private set; }

        public long InputTokens { get; private set; }

        public long OutputTokens { get; private set; }

        public long CacheReadTokens { get; private set; }

        public long CacheWriteTokens { get; private set; }

        public SortedSet<string> UnpricedModels { get; } = new SortedSet<string>(System.StringComparer.Ordinal);

        public void Add(TokenUsage usage, decimal? usd)
        {
            InputTokens += usage.Input;
            OutputTokens += usage.Output;
            CacheReadTokens += usage.CacheRead;
            CacheWriteTokens += usage.CacheWrite;
            if (usd is { } value)
            {
                Usd += value;
                AnyPriced = true;
            }
            else
            {
                UnpricedModels.Add(string.IsNullOrEmpty(usage.Model) ? "(no model)" : (usage.Provider is null ? usage.Model : usage.Provider + "/" + usage.Model));
            }
        }

        /// <summary>Adds another group's calls (the figures of a function are those of its versions together).</summary>
        public void Merge(CostEstimate other)
        {
            InputTokens += other.InputTokens;
            OutputTokens += other.OutputTokens;
            CacheReadTokens += other.CacheReadTokens;
            CacheWriteTokens += other.CacheWriteTokens;
            Usd += other.Usd;
            AnyPriced |= other.AnyPriced;
            UnpricedModels.UnionWith(other.UnpricedModels);
        }

        /// <summary>Writes <c>inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, costUsd, costComplete, unpricedModels</c>.</summary>
        public void Write(System.Text.Json.Utf8JsonWriter json)
        {
            json.WriteNumber("inputTokens", InputTokens);
            json.WriteNumber("outputTokens", OutputTokens);
            json.WriteNumber("cacheReadTokens", CacheReadTokens);
            json.WriteNumber("cacheWriteTokens", CacheWriteTokens);
            if (AnyPriced)
            {
                json.WriteNumber("costUsd", decimal.Round(Usd, 8));
            }
            else
            {
                json.WriteNull("costUsd");
            }

            json.WriteBoolean("costComplete", UnpricedModels.Count == 0);
            json.WriteStartArray("unpricedModels");
            foreach (var model in UnpricedModels)
            {
                json.WriteStringValue(model);
            }

            json.WriteEndArray();
        }
    }
}
