using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Mirascope.Ops.Profiles
{
    /// <summary>
    /// The pairs of a <c>[Trace]</c> method's <c>mirascope.trace.metadata</c> (a JSON object computed at build time).
    /// That string is one constant instance per traced method, so its pairs are parsed once and kept with it.
    /// </summary>
    internal static class TraceMetadata
    {
        private static readonly ConditionalWeakTable<string, KeyValuePair<string, string>[]> Parsed =
            new ConditionalWeakTable<string, KeyValuePair<string, string>[]>();

        public static KeyValuePair<string, string>[] Pairs(string json) => Parsed.GetValue(json, Parse);

        private static KeyValuePair<string, string>[] Parse(string json)
        {
            try
            {
                using var document = JsonDocument.Parse(json);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return System.Array.Empty<KeyValuePair<string, string>>();
                }

                var pairs = new List<KeyValuePair<string, string>>();
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    var value = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
                    pairs.Add(new KeyValuePair<string, string>(property.Name, value));
                }

                return pairs.ToArray();
            }
            catch (JsonException)
            {
                return System.Array.Empty<KeyValuePair<string, string>>();
            }
        }
    }
}
