using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using Mirascope.Ops.Viewer.Storage;

namespace Mirascope.Ops.Viewer.Api
{
    /// <summary>
    /// Reads the Cloud's <c>SearchRequest</c>. The Cloud answered a bad one with a 500 from ClickHouse; here each wrong field
    /// is a 400 naming it.
    /// </summary>
    internal static class SearchRequestReader
    {
        private static readonly string[] SortColumns = { "start_time", "duration_ms", "total_tokens" };
        private static readonly string[] Operators = { "eq", "neq", "contains", "exists" };

        /// <exception cref="BadParameterException">A field is missing or wrong.</exception>
        public static SpanSearch Read(JsonElement body)
        {
            var start = Time(body, "startTime");
            var end = Time(body, "endTime");
            if (start > end)
            {
                throw new BadParameterException("startTime", "is after endTime; no span can match");
            }

            var query = JsonBodyFields.OptionalString(body, "query", SpanSearch.MaxQueryLength);
            var sortBy = JsonBodyFields.OptionalString(body, "sortBy") ?? "start_time";
            if (Array.IndexOf(SortColumns, sortBy) < 0)
            {
                throw new BadParameterException("sortBy", $"must be one of {string.Join(", ", SortColumns)}, got {Ingest.HexId.Quote(sortBy)}");
            }

            var sortOrder = JsonBodyFields.OptionalString(body, "sortOrder") ?? "desc";
            if (sortOrder is not ("asc" or "desc"))
            {
                throw new BadParameterException("sortOrder", $"must be asc or desc, got {Ingest.HexId.Quote(sortOrder)}");
            }

            var offset = JsonBodyFields.OptionalNumber(body, "offset", 0, SpanSearch.MaxOffset);
            var after = Cursor(body, sortBy, sortOrder == "desc");
            if (after is not null && offset is not null)
            {
                throw new BadParameterException("cursor", "and offset both say where the page starts; give one (the cursor is the fast way)");
            }

            var functionId = JsonBodyFields.OptionalString(body, "functionId");
            if (functionId is not null && !Guid.TryParseExact(functionId, "D", out _))
            {
                throw new BadParameterException("functionId", $"must be a UUID, got {Ingest.HexId.Quote(functionId)}");
            }

            var minTokens = JsonBodyFields.OptionalNumber(body, "minTokens", 0, long.MaxValue);
            var maxTokens = JsonBodyFields.OptionalNumber(body, "maxTokens", 0, long.MaxValue);
            var minDuration = JsonBodyFields.OptionalNumber(body, "minDuration", 0, TraceListParameters.MaxDurationMs);
            var maxDuration = JsonBodyFields.OptionalNumber(body, "maxDuration", 0, TraceListParameters.MaxDurationMs);
            if (minDuration > maxDuration)
            {
                throw new BadParameterException("minDuration", "is more than maxDuration; no span can match");
            }

            return new SpanSearch
            {
                StartNs = start,
                EndNs = end,
                NameTokens = query is null ? new List<string>() : Tokens(query),
                InputMessagesQuery = NonEmpty(JsonBodyFields.OptionalString(body, "inputMessagesQuery", SpanSearch.MaxQueryLength)),
                OutputMessagesQuery = NonEmpty(JsonBodyFields.OptionalString(body, "outputMessagesQuery", SpanSearch.MaxQueryLength)),
                TraceId = NonEmpty(JsonBodyFields.OptionalString(body, "traceId", 100))?.ToLowerInvariant(),
                SpanId = NonEmpty(JsonBodyFields.OptionalString(body, "spanId", 100))?.ToLowerInvariant(),
                Models = JsonBodyFields.OptionalStringArray(body, "model", SpanSearch.MaxListItems, 500),
                Providers = JsonBodyFields.OptionalStringArray(body, "provider", SpanSearch.MaxListItems, 500),
                FunctionId = functionId,
                FunctionName = NonEmpty(JsonBodyFields.OptionalString(body, "functionName", 1000)),
                SpanNamePrefix = NonEmpty(JsonBodyFields.OptionalString(body, "spanNamePrefix", 1000)),
                HasError = JsonBodyFields.OptionalBool(body, "hasError"),
                MinTokens = minTokens is null ? null : (long)minTokens,
                MaxTokens = maxTokens is null ? null : (long)maxTokens,
                MinDurationMs = minDuration,
                MaxDurationMs = maxDuration,
                AttributeFilters = Filters(body),
                Limit = (int)(JsonBodyFields.OptionalNumber(body, "limit", 1, SpanSearch.MaxLimit) ?? SpanSearch.DefaultLimit),
                Offset = (int)(offset ?? 0),
                After = after,
                SortBy = sortBy,
                Descending = sortOrder == "desc",
                RootSpansOnly = JsonBodyFields.OptionalBool(body, "rootSpansOnly") ?? false,
                // fuzzySearch is accepted (the Cloud switched to n-gram similarity); the message queries stay substring matches.
            };
        }

        /// <summary>The Cloud's tokenizing of <c>query</c>: lower-cased, split on every character that is not a letter or digit.</summary>
        public static List<string> Tokens(string text)
        {
            var tokens = new List<string>();
            var current = new System.Text.StringBuilder();
            foreach (var c in text.ToLowerInvariant())
            {
                if (char.IsLetterOrDigit(c))
                {
                    current.Append(c);
                }
                else if (current.Length > 0)
                {
                    tokens.Add(current.ToString());
                    current.Clear();
                }
            }

            if (current.Length > 0)
            {
                tokens.Add(current.ToString());
            }

            return tokens.Distinct(StringComparer.Ordinal).ToList();
        }

        private static AttributeFilter Filter(JsonElement item)
        {
            var key = JsonBodyFields.RequiredString(item, "key", maxLength: 500);
            // The key is bound as part of a JSON path parameter ($."key"), never put in SQL; a quoted path label cannot
            // carry these characters, so a key with one could match nothing and is refused with the reason.
            foreach (var c in key)
            {
                if (c is '"' or '\\' || char.IsControl(c))
                {
                    throw new BadParameterException("key", c is '"' or '\\'
                        ? "must not contain \" or \\ (an attribute key in a JSON path cannot hold them)"
                        : $"must not contain control characters (U+{(int)c:X4})");
                }
            }

            var op = JsonBodyFields.RequiredString(item, "operator");
            if (Array.IndexOf(Operators, op) < 0)
            {
                throw new BadParameterException("operator", $"must be one of {string.Join(", ", Operators)}, got {Ingest.HexId.Quote(op)}");
            }

            var value = JsonBodyFields.OptionalString(item, "value", 10_000);
            if (op != "exists" && value is null)
            {
                throw new BadParameterException("value", $"is required for the operator {op} (a string)");
            }

            return new AttributeFilter(key, op, value);
        }

        /// <summary>The <c>nextCursor</c> of an earlier answer to a search with the same sort, checked to be one this viewer gives out.</summary>
        private static SpanSearchCursor? Cursor(JsonElement body, string sortBy, bool descending)
        {
            // No length bound here: a long one gets the cursor's own message, and Decode refuses it before reading it.
            var text = JsonBodyFields.OptionalString(body, "cursor");
            if (text is null)
            {
                return null;
            }

            return SpanSearchCursor.Decode(text, sortBy, descending, out var problem)
                ?? throw new BadParameterException("cursor", problem + ", got " + Ingest.HexId.Quote(text));
        }

        private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

        private static long Time(JsonElement body, string name)
        {
            var text = JsonBodyFields.OptionalString(body, name) ?? throw new BadParameterException(name, "is required (an ISO 8601 time)");
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
                || time.Year < 1678 || time.Year > 2261)
            {
                throw new BadParameterException(name, $"must be an ISO 8601 time between 1678 and 2261 (2026-03-01T00:00:00Z), got {Ingest.HexId.Quote(text)}");
            }

            return (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        }

        private static List<AttributeFilter> Filters(JsonElement body)
        {
            var filters = new List<AttributeFilter>();
            if (!body.TryGetProperty("attributeFilters", out var list) || list.ValueKind == JsonValueKind.Null)
            {
                return filters;
            }

            if (list.ValueKind != JsonValueKind.Array)
            {
                throw new BadParameterException("attributeFilters", $"must be an array, got {JsonBodyFields.Kind(list)}");
            }

            if (list.GetArrayLength() > SpanSearch.MaxAttributeFilters)
            {
                throw new BadParameterException("attributeFilters", $"has {list.GetArrayLength()} filters; at most {SpanSearch.MaxAttributeFilters} are allowed");
            }

            var index = 0;
            foreach (var item in list.EnumerateArray())
            {
                var path = $"attributeFilters[{index++}]";
                if (item.ValueKind != JsonValueKind.Object)
                {
                    throw new BadParameterException(path, $"must be an object {{key, operator, value}}, got {JsonBodyFields.Kind(item)}");
                }

                filters.Add(JsonBodyFields.Within(path, () => Filter(item)));
            }

            return filters;
        }
    }
}
