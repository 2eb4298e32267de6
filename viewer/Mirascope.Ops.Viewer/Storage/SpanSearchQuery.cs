using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Mirascope.Ops.Viewer.Cost;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>Runs a <see cref="SpanSearch"/> and writes the Cloud's <c>SearchResponse</c>: <c>{spans, total, hasMore}</c>.</summary>
    internal sealed class SpanSearchQuery
    {
        private readonly TraceStore _database;

        public SpanSearchQuery(TraceStore database)
        {
            _database = database;
        }

        public void Write(Utf8JsonWriter json, SpanSearch search)
        {
            using var connection = _database.Open();
            var where = new List<string> { "s.start_ns >= $start", "s.start_ns <= $end" };
            var parameters = new Dictionary<string, object> { ["$start"] = search.StartNs, ["$end"] = search.EndNs };
            for (var i = 0; i < search.NameTokens.Count; i++)
            {
                where.Add($"has_token(s.name, $token{i})");
                parameters["$token" + i] = search.NameTokens[i];
            }

            if (search.InputMessagesQuery is { } input)
            {
                where.Add(@"(json_extract(s.attributes, '$.""gen_ai.input_messages""') LIKE $input ESCAPE '\' OR json_extract(s.attributes, '$.""gen_ai.input.messages""') LIKE $input ESCAPE '\'
                    OR json_extract(s.attributes, '$.""mirascope.trace.arg_values""') LIKE $input ESCAPE '\')");
                parameters["$input"] = "%" + TraceStore.EscapeLike(input) + "%";
            }

            if (search.OutputMessagesQuery is { } output)
            {
                where.Add(@"(json_extract(s.attributes, '$.""gen_ai.output_messages""') LIKE $output ESCAPE '\' OR json_extract(s.attributes, '$.""gen_ai.output.messages""') LIKE $output ESCAPE '\'
                    OR json_extract(s.attributes, '$.""mirascope.trace.output""') LIKE $output ESCAPE '\')");
                parameters["$output"] = "%" + TraceStore.EscapeLike(output) + "%";
            }

            Equal(where, parameters, "s.trace_id", "$traceId", search.TraceId);
            Equal(where, parameters, "s.span_id", "$spanId", search.SpanId);
            In(where, parameters, "s.model", "$models", search.Models);
            In(where, parameters, "s.provider", "$providers", search.Providers);
            if (search.FunctionId is { } functionId)
            {
                where.Add("s.version_hash = (SELECT hash FROM functions WHERE id = $functionId)");
                parameters["$functionId"] = functionId;
            }

            if (search.FunctionName is { } functionName)
            {
                where.Add("s.version_hash IS NOT NULL AND " + FunctionSql.SpanBelongsTo("s", "$functionName"));
                parameters["$functionName"] = functionName;
            }

            if (search.SpanNamePrefix is { } prefix)
            {
                // fn, fn.call, fn.stream: the name itself or the name followed by a dot.
                where.Add(@"(s.name = $prefix OR s.name LIKE $prefixDot ESCAPE '\')");
                parameters["$prefix"] = prefix;
                parameters["$prefixDot"] = TraceStore.EscapeLike(prefix) + ".%";
            }

            if (search.HasError is { } hasError)
            {
                where.Add(hasError ? "s.is_error = 1" : "s.is_error = 0");
            }

            Range(where, parameters, "COALESCE(s.input_tokens, 0) + COALESCE(s.output_tokens, 0)", "Tokens", search.MinTokens, search.MaxTokens);
            Range(where, parameters, "s.end_ns - s.start_ns", "Duration",
                search.MinDurationMs is { } min ? (long)(min * 1e6) : null, search.MaxDurationMs is { } max ? (long)(max * 1e6) : null);
            for (var i = 0; i < search.AttributeFilters.Count; i++)
            {
                var filter = search.AttributeFilters[i];
                var path = $"'$.\"{filter.Key}\"'";   // the key holds neither " nor \ (checked when read)
                var value = "$attr" + i;
                where.Add(filter.Operator switch
                {
                    "exists" => $"json_type(s.attributes, {path}) IS NOT NULL",
                    "eq" => $"CAST(json_extract(s.attributes, {path}) AS TEXT) = {value}",
                    "neq" => $"(json_type(s.attributes, {path}) IS NULL OR CAST(json_extract(s.attributes, {path}) AS TEXT) <> {value})",
                    _ => $"CAST(json_extract(s.attributes, {path}) AS TEXT) LIKE {value} ESCAPE '\\'",
                });
                if (filter.Value is not null)
                {
                    parameters[value] = filter.Operator == "contains" ? "%" + TraceStore.EscapeLike(filter.Value) + "%" : filter.Value;
                }
            }

            if (search.RootSpansOnly)
            {
                where.Add("s.parent_span_id IS NULL");
            }

            var condition = string.Join(" AND ", where);
            long total;
            using (var count = connection.CreateCommand())
            {
                count.CommandText = "SELECT COUNT(*) FROM spans s WHERE " + condition;
                Bind(count, parameters);
                total = Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture);
            }

            var order = search.SortBy switch
            {
                "duration_ms" => "s.end_ns - s.start_ns",
                "total_tokens" => "COALESCE(s.input_tokens, 0) + COALESCE(s.output_tokens, 0)",
                _ => "s.start_ns",
            } + (search.Descending ? " DESC" : " ASC");
            using var command = connection.CreateCommand();
            command.CommandText = ResultColumns + ResultFrom + @"
                WHERE " + condition + " ORDER BY " + order + ", s.seq LIMIT $limit OFFSET $offset";
            Bind(command, parameters);
            command.Parameters.AddWithValue("$limit", search.Limit);
            command.Parameters.AddWithValue("$offset", search.Offset);

            json.WriteStartObject();
            json.WriteStartArray("spans");
            var written = 0;
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    written++;
                    json.WriteStartObject();
                    WriteResultFields(json, reader, _database.Prices);
                    json.WriteEndObject();
                }
            }

            json.WriteEndArray();
            json.WriteNumber("total", total);
            json.WriteBoolean("hasMore", search.Offset + written < total);
            json.WriteEndObject();
        }

        /// <summary>The columns <see cref="WriteResultFields"/> reads, ordinals 0 to 15, of spans <c>s</c>; more may follow.</summary>
        internal const string ResultColumns = @"SELECT s.trace_id, s.span_id, s.name, s.start_ns, s.end_ns, s.model, s.provider, s.input_tokens, s.output_tokens, s.usage_source,
                    s.cache_read_tokens, s.cache_write_tokens, fn.id, " + "COALESCE(fn.name, s.version_name, s.name)" + @", s.version_hash,
                    EXISTS (SELECT 1 FROM spans c WHERE c.trace_id = s.trace_id AND c.parent_span_id = s.span_id)";

        internal const string ResultFrom = " FROM spans s LEFT JOIN functions fn ON fn.hash = s.version_hash";

        /// <summary>The fields of the Cloud's <c>SpanSearchResult</c>, inside an object the caller opened.</summary>
        internal static void WriteResultFields(Utf8JsonWriter json, SqliteDataReader reader, PriceTable prices)
        {
            string? Text(int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
            long? Number(int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);
            void Nullable(string name, string? value)
            {
                if (value is null)
                {
                    json.WriteNull(name);
                }
                else
                {
                    json.WriteString(name, value);
                }
            }

            void NullableNumber(string name, long? value)
            {
                if (value is null)
                {
                    json.WriteNull(name);
                }
                else
                {
                    json.WriteNumber(name, value.Value);
                }
            }

            var start = reader.GetInt64(3);
            var input = Number(7);
            var output = Number(8);
            json.WriteString("traceId", reader.GetString(0));
            json.WriteString("spanId", reader.GetString(1));
            json.WriteString("name", reader.GetString(2));
            json.WriteString("startTime", Iso(start));
            json.WriteNumber("durationMs", Math.Round((reader.GetInt64(4) - start) / 1e6, 3));
            Nullable("model", Text(5));
            Nullable("provider", Text(6));
            NullableNumber("inputTokens", input);
            NullableNumber("outputTokens", output);
            NullableNumber("totalTokens", input is null && output is null ? null : (input ?? 0) + (output ?? 0));
            var cost = reader.GetInt32(9) > 0
                ? prices.Cost(new Cost.TokenUsage(Text(6), Text(5), input ?? 0, output ?? 0, Number(10) ?? 0, Number(11) ?? 0))
                : null;
            if (cost is { } usd)
            {
                json.WriteNumber("costUsd", decimal.Round(usd, 8));
            }
            else
            {
                json.WriteNull("costUsd");
            }

            Nullable("functionId", Text(12));
            Nullable("functionName", reader.IsDBNull(14) ? null : Text(13));
            json.WriteBoolean("hasChildren", reader.GetBoolean(15));
        }

        /// <summary>Unix nanoseconds as ISO 8601 UTC with 100 ns digits.</summary>
        internal static string Iso(long ns) => DateTimeOffset.UnixEpoch.AddTicks(ns / 100).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

        private static void Equal(List<string> where, Dictionary<string, object> parameters, string column, string name, string? value)
        {
            if (value is not null)
            {
                where.Add($"{column} = {name}");
                parameters[name] = value;
            }
        }

        private static void In(List<string> where, Dictionary<string, object> parameters, string column, string name, IReadOnlyList<string>? values)
        {
            if (values is { Count: > 0 })
            {
                where.Add($"{column} IN (SELECT value FROM json_each({name}))");
                parameters[name] = JsonSerializer.Serialize(values);
            }
        }

        private static void Range(List<string> where, Dictionary<string, object> parameters, string expression, string name, long? min, long? max)
        {
            if (min is { } low)
            {
                where.Add($"{expression} >= $min{name}");
                parameters["$min" + name] = low;
            }

            if (max is { } high)
            {
                where.Add($"{expression} <= $max{name}");
                parameters["$max" + name] = high;
            }
        }

        private static void Bind(SqliteCommand command, Dictionary<string, object> parameters)
        {
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }
        }
    }
}
