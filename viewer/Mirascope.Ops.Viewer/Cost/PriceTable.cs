using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace Mirascope.Ops.Viewer.Cost
{
    /// <summary>
    /// Model prices in USD per million tokens, in models.dev's shape (<c>{provider: {model: {input, output, cache_read?,
    /// cache_write?}}}</c>, the table the Cloud priced with). The viewer ships <c>Cost/prices.json</c>; a file given with
    /// <c>--prices</c> is laid over it model by model. Costs are computed when read, so a changed file reprices every span.
    /// </summary>
    internal sealed class PriceTable
    {
        private const decimal Million = 1_000_000m;

        private readonly Dictionary<string, Dictionary<string, ModelPrice>> _byProvider = new Dictionary<string, Dictionary<string, ModelPrice>>(StringComparer.OrdinalIgnoreCase);

        private PriceTable()
        {
        }

        /// <summary>The shipped table, with the override file's entries over it when a path is given.</summary>
        /// <exception cref="ArgumentException">The override file cannot be read or is not a price table; the message says where.</exception>
        public static PriceTable Load(string? overridePath = null)
        {
            var table = new PriceTable();
            using (var shipped = typeof(PriceTable).Assembly.GetManifestResourceStream("Cost/prices.json")
                ?? throw new InvalidOperationException("The viewer was built without its price table (resource Cost/prices.json)."))
            {
                table.Merge(JsonDocument.Parse(shipped).RootElement, "the shipped price table");
            }

            if (!string.IsNullOrEmpty(overridePath))
            {
                string text;
                try
                {
                    text = File.ReadAllText(overridePath);
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                {
                    throw new ArgumentException($"--prices {overridePath}: cannot be read ({exception.Message})");
                }

                try
                {
                    using var document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
                    table.Merge(document.RootElement, "--prices " + overridePath);
                }
                catch (JsonException exception)
                {
                    throw new ArgumentException($"--prices {overridePath}: is not JSON ({exception.Message})");
                }
            }

            return table;
        }

        /// <summary>Every price, for <c>GET /api/prices</c>.</summary>
        public IEnumerable<ModelPrice> All()
        {
            foreach (var provider in _byProvider.Values)
            {
                foreach (var price in provider.Values)
                {
                    yield return price;
                }
            }
        }

        /// <summary>
        /// The price of a model: its id without a <c>provider/</c> prefix or a <c>:tag</c> suffix (as the Cloud's SDK sent it),
        /// looked up under its provider (any provider when it has none or an unknown one); an exact id first, then the
        /// longest listed id it extends with a date, a number or <c>-latest</c> (<c>gpt-4o-2024-08-06</c> is priced as <c>gpt-4o</c>).
        /// </summary>
        public ModelPrice? Find(string? provider, string? model)
        {
            if (string.IsNullOrWhiteSpace(model))
            {
                return null;
            }

            var id = NormalizeModel(model);
            var providerKey = NormalizeProvider(provider, model);
            if (providerKey is not null && _byProvider.TryGetValue(providerKey, out var models))
            {
                return Match(models, id);
            }

            foreach (var candidates in _byProvider.Values)
            {
                if (Match(candidates, id) is { } found)
                {
                    return found;
                }
            }

            return null;
        }

        /// <summary>
        /// The cost in USD, or null when the model has no price. Cached tokens are part of the input count, so they are
        /// taken out of it and priced at the cache rates (at the input rate when the model has no cache rate); the Cloud
        /// priced them twice (see docs/viewer.md). The arithmetic is exact (decimal), so group totals equal their parts.
        /// </summary>
        public decimal? Cost(TokenUsage usage)
        {
            var price = Find(usage.Provider, usage.Model);
            if (price is null)
            {
                return null;
            }

            var cacheRead = Math.Max(0, usage.CacheRead);
            var cacheWrite = Math.Max(0, usage.CacheWrite);
            var uncached = Math.Max(0, usage.Input - cacheRead - cacheWrite);
            return (uncached * price.Input
                + usage.Output * price.Output
                + cacheRead * (price.CacheRead ?? price.Input)
                + cacheWrite * (price.CacheWrite ?? price.Input)) / Million;
        }

        private static ModelPrice? Match(Dictionary<string, ModelPrice> models, string id)
        {
            if (models.TryGetValue(id, out var exact))
            {
                return exact;
            }

            ModelPrice? best = null;
            foreach (var (key, price) in models)
            {
                if (IsDatedVariant(id, key) && (best is null || key.Length > best.Model.Length))
                {
                    best = price;
                }
            }

            return best;
        }

        /// <summary><c>key-2024-07-18</c>, <c>key-20250514</c>, <c>key-0001</c>, <c>key-latest</c>: the model itself, dated or pinned.</summary>
        private static bool IsDatedVariant(string id, string key)
        {
            if (id.Length <= key.Length + 1 || id[key.Length] != '-' || !id.StartsWith(key, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            var rest = id.AsSpan(key.Length + 1);
            return char.IsAsciiDigit(rest[0]) || rest.Equals("latest", StringComparison.OrdinalIgnoreCase);
        }

        private static string NormalizeModel(string model)
        {
            var id = model.Trim();
            var slash = id.LastIndexOf('/');
            if (slash >= 0)
            {
                id = id.Substring(slash + 1);
            }

            var colon = id.IndexOf(':', StringComparison.Ordinal);
            return colon > 0 ? id.Substring(0, colon) : id;
        }

        /// <summary>The provider's key in the table: the OpenTelemetry names mapped to models.dev's (<c>gcp.gemini</c> is <c>google</c>).</summary>
        private static string? NormalizeProvider(string? provider, string model)
        {
            var name = provider;
            if (string.IsNullOrWhiteSpace(name))
            {
                var slash = model.IndexOf('/', StringComparison.Ordinal);
                name = slash > 0 ? model.Substring(0, slash) : null;
            }

            return name?.Trim().ToLowerInvariant() switch
            {
                null or "" => null,
                "gcp.gemini" or "gcp.vertex_ai" or "gcp.gen_ai" or "google-ai-studio" or "gemini" or "vertex_ai" => "google",
                "azure.ai.openai" or "azure" => "openai",
                "aws.bedrock" => null,   // Bedrock serves several vendors' models: look the id up under every provider
                var other => other,
            };
        }

        private void Merge(JsonElement root, string source)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException($"{source}: must be a JSON object of providers, got {root.ValueKind}");
            }

            foreach (var provider in root.EnumerateObject())
            {
                if (provider.Name.StartsWith('_'))
                {
                    continue;   // "_comment"
                }

                if (provider.Value.ValueKind != JsonValueKind.Object)
                {
                    throw new ArgumentException($"{source}: \"{provider.Name}\" must be an object of models, got {provider.Value.ValueKind}");
                }

                if (!_byProvider.TryGetValue(provider.Name, out var models))
                {
                    models = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);
                    _byProvider[provider.Name] = models;
                }

                foreach (var model in provider.Value.EnumerateObject())
                {
                    var where = $"{source}: {provider.Name}.{model.Name}";
                    var cost = model.Value;
                    if (cost.ValueKind == JsonValueKind.Object && cost.TryGetProperty("cost", out var nested))
                    {
                        cost = nested;   // a models.dev entry as it is: {"cost": {...}, "name": ...}
                    }

                    if (cost.ValueKind != JsonValueKind.Object)
                    {
                        throw new ArgumentException($"{where}: must be an object {{\"input\": …, \"output\": …}} in USD per million tokens");
                    }

                    models[model.Name] = new ModelPrice(provider.Name, model.Name,
                        Price(cost, "input", where) ?? throw new ArgumentException($"{where}: needs \"input\" (USD per million tokens)"),
                        Price(cost, "output", where) ?? throw new ArgumentException($"{where}: needs \"output\" (USD per million tokens)"),
                        Price(cost, "cache_read", where),
                        Price(cost, "cache_write", where));
                }
            }
        }

        private static decimal? Price(JsonElement cost, string name, string where)
        {
            if (!cost.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var price) || price < 0)
            {
                throw new ArgumentException($"{where}.{name}: must be a number of USD per million tokens, 0 or more, got {value.GetRawText()}");
            }

            return price;
        }
    }
}
