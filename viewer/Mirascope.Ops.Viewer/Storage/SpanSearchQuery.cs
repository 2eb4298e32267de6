using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Data.Common;
using Mirascope.Ops.Viewer.Cost;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>
    /// Runs a <see cref="SpanSearch"/> and writes the Cloud's <c>SearchResponse</c>, <c>{spans, total, hasMore}</c>, and
    /// <c>nextCursor</c> (this viewer's: where the next page starts, <see cref="SpanSearchCursor"/>).
    /// </summary>
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
            long total;
            using (var count = CountCommand(connection, search))
            {
                total = Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture);
            }

            var capped = total > MaxTotal;
            if (capped)
            {
                total = MaxTotal;
            }

            if (total == 0)
            {
                // Nothing matched: the page query (which may walk an index in sort order) is not run at all.
                json.WriteStartObject();
                json.WriteStartArray("spans");
                json.WriteEndArray();
                json.WriteNumber("total", 0);
                json.WriteBoolean("totalCapped", false);
                json.WriteBoolean("hasMore", false);
                json.WriteNull("nextCursor");
                json.WriteEndObject();
                return;
            }

            using var command = PageCommand(connection, search, walk: capped);
            json.WriteStartObject();
            json.WriteStartArray("spans");
            var written = 0;
            var more = false;
            SpanSearchCursor? last = null;
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    if (written == search.Limit)
                    {
                        more = true;
                        break;
                    }

                    written++;
                    json.WriteStartObject();
                    WriteResultFields(json, reader, _database.Prices);
                    json.WriteEndObject();
                    last = new SpanSearchCursor(search.SortBy, search.Descending, SortValue(reader, search.SortBy), reader.GetInt64(ResultColumnCount));
                }
            }

            json.WriteEndArray();
            json.WriteNumber("total", total);
            json.WriteBoolean("totalCapped", capped);
            var hasMore = more;
            json.WriteBoolean("hasMore", hasMore);
            if (hasMore && last is not null)
            {
                // The fast way to the next page (keyset paging); offset still works and reads what it skips.
                json.WriteString("nextCursor", last.Encode());
            }
            else
            {
                json.WriteNull("nextCursor");
            }

            json.WriteEndObject();
        }

        /// <summary>
        /// The query of the page <paramref name="search"/> asks for, its parameters bound (a test reads its plan). With
        /// <paramref name="walk"/> (many matches) and the start-time order, the page walks the spans by start time and tests
        /// each, without the text index: its cost is the page over the share of spans that match, whatever their number,
        /// where collecting every candidate of the index and sorting them grows with the matches. Both read the same spans.
        /// </summary>
        internal DbCommand PageCommand(DbConnection connection, SpanSearch search, bool walk)
        {
            var order = search.SortBy switch
            {
                "duration_ms" => Duration,
                "total_tokens" => Tokens,
                _ => SqlText.Of($"s.start_ns"),
            };
            var direction = search.Descending ? SqlText.Of($"DESC") : SqlText.Of($"ASC");
            var (condition, parameters) = Condition(search, useTextIndex: !(walk && search.SortBy == "start_time"));
            var page = condition;
            if (search.After is { } after)
            {
                // After the cursor's span in the search's order ({order} {direction}, seq); the first term bounds the index range.
                page = search.Descending
                    ? SqlText.Of($"{condition} AND {order} <= @afterValue AND ({order} < @afterValue OR s.seq > @afterSeq)")
                    : SqlText.Of($"{condition} AND {order} >= @afterValue AND ({order} > @afterValue OR s.seq > @afterSeq)");
                parameters["@afterValue"] = after.Value;
                parameters["@afterSeq"] = after.Seq;
            }

            var command = SqlCommands.Create(connection, SqlText.Of($@"{ResultColumns}, s.seq{ResultFrom}
                WHERE {page} ORDER BY {order} {direction}, s.seq LIMIT @limit OFFSET @offset"));
            Bind(command, parameters);
            // One more than asked for tells whether another page follows, with an offset as with a cursor (the total may be capped).
            command.Bind("@limit", search.Limit + 1);
            command.Bind("@offset", search.After is null ? search.Offset : 0);
            return command;
        }

        /// <summary>The row's value of the search's sort, as <see cref="Duration"/> and <see cref="Tokens"/> compute it in SQL.</summary>
        private static long SortValue(DbDataReader reader, string sortBy) => sortBy switch
        {
            "duration_ms" => reader.GetInt64(4) - reader.GetInt64(3),
            "total_tokens" => (reader.IsDBNull(7) ? 0 : reader.GetInt64(7)) + (reader.IsDBNull(8) ? 0 : reader.GetInt64(8)),
            _ => reader.GetInt64(3),
        };

        /// <summary>
        /// The most matches <c>total</c> counts: with more, <c>total</c> is this number and <c>totalCapped</c> is true. The
        /// Cloud counted every match (ClickHouse's <c>count()</c>), which here reads and tests every matching span, so a
        /// common text cost seconds at a million spans and grew with the store; counting stops here instead, and a
        /// page's <c>hasMore</c> never depends on the count (the page reads one span more than it shows).
        /// </summary>
        internal const int MaxTotal = 1_000;

        /// <summary>
        /// The query counting the spans <paramref name="search"/> matches, up to one more than <see cref="MaxTotal"/>, its
        /// parameters bound (a test reads its plan).
        /// </summary>
        internal DbCommand CountCommand(DbConnection connection, SpanSearch search)
        {
            var (condition, parameters) = Condition(search, useTextIndex: true);
            var count = SqlCommands.Create(connection, SqlText.Of($"SELECT COUNT(*) FROM (SELECT 1 FROM spans s WHERE {condition} LIMIT @countCap) c"));
            Bind(count, parameters);
            count.Bind("@countCap", MaxTotal + 1);
            return count;
        }

        /// <summary>
        /// The search's conditions on spans <c>s</c> and their parameters; with <paramref name="useTextIndex"/>, the text
        /// index's candidates for a message query (without, the same answer read from the spans themselves).
        /// </summary>
        private (SqlText Condition, Dictionary<string, object> Parameters) Condition(SpanSearch search, bool useTextIndex)
        {
            var sql = _database.Engine.Sql;
            var where = new List<SqlText> { SqlText.Of($"s.start_ns >= @start"), SqlText.Of($"s.start_ns <= @end") };
            var parameters = new Dictionary<string, object> { ["@start"] = search.StartNs, ["@end"] = search.EndNs };
            if (search.EnvironmentId is { } environment)
            {
                where.Add(SqlText.Of($"s.environment_id = @environment"));
                parameters["@environment"] = environment;
            }

            var tokenCandidates = search.NameTokens.Count == 0 ? null : sql.NameTokenCandidates(SpanAlias, search.NameTokens, SqlText.Parameter("@nameTokens"));
            if (tokenCandidates is not null)
            {
                where.Add(tokenCandidates.Condition);
                parameters["@nameTokens"] = tokenCandidates.Value;
            }

            if (tokenCandidates is null || !sql.NameTokenCandidatesAreExact(search.NameTokens))
            {
                for (var i = 0; i < search.NameTokens.Count; i++)
                {
                    var token = SqlText.Parameter("@token" + i.ToString(CultureInfo.InvariantCulture));
                    where.Add(SqlText.Of($"has_token(s.name, {token})"));
                    parameters[token.Text] = search.NameTokens[i];
                }
            }

            if (search.InputMessagesQuery is { } input)
            {
                if (useTextIndex)
                {
                    AddTextCandidates(sql, where, parameters, SpanTextColumns.Input, input, "@inputCandidates");
                }

                where.Add(Walked(sql, AnyAttributeLike(sql, parameters, "input", InputKeys, input), walk: !useTextIndex));
                parameters["@input"] = LikePattern.Containing(input);
            }

            if (search.OutputMessagesQuery is { } output)
            {
                if (useTextIndex)
                {
                    AddTextCandidates(sql, where, parameters, SpanTextColumns.Output, output, "@outputCandidates");
                }

                where.Add(Walked(sql, AnyAttributeLike(sql, parameters, "output", OutputKeys, output), walk: !useTextIndex));
                parameters["@output"] = LikePattern.Containing(output);
            }

            if (search.TraceId is { } traceId)
            {
                // The environments holding the id first (traces_by_id), so the spans are read through their key (environment first).
                where.Add(SqlText.Of($"s.trace_id = @traceId AND s.environment_id IN (SELECT t_id.environment_id FROM traces t_id WHERE t_id.trace_id = @traceId)"));
                parameters["@traceId"] = traceId;
            }

            if (search.SpanId is { } spanId)
            {
                where.Add(SqlText.Of($"s.span_id = @spanId"));
                parameters["@spanId"] = spanId;
            }

            if (search.Models is { Count: > 0 } models)
            {
                where.Add(SqlText.Of($"s.model IN (SELECT j.value FROM {sql.JsonArrayTable(SqlText.Of($"@models"), SqlText.Of($"j"))})"));
                parameters["@models"] = JsonSerializer.Serialize(models);
            }

            if (search.Providers is { Count: > 0 } providers)
            {
                where.Add(SqlText.Of($"s.provider IN (SELECT j.value FROM {sql.JsonArrayTable(SqlText.Of($"@providers"), SqlText.Of($"j"))})"));
                parameters["@providers"] = JsonSerializer.Serialize(providers);
            }

            if (search.FunctionId is { } functionId)
            {
                where.Add(SqlText.Of($"s.version_hash = (SELECT hash FROM functions WHERE id = @functionId AND environment_id = s.environment_id)"));
                parameters["@functionId"] = functionId;
            }

            if (search.FunctionName is { } functionName)
            {
                where.Add(SqlText.Of($"s.version_hash IS NOT NULL AND {FunctionSql.SpanBelongsTo(SpanAlias, SqlText.Parameter("@functionName"))}"));
                parameters["@functionName"] = functionName;
            }

            if (search.SpanNamePrefix is { } prefix)
            {
                // fn, fn.call, fn.stream: the name itself or the name followed by a dot.
                where.Add(SqlText.Of($@"(s.name = @prefix OR s.name {sql.Like} @prefixDot ESCAPE '\')"));
                parameters["@prefix"] = prefix;
                parameters["@prefixDot"] = LikePattern.Escape(prefix) + ".%";
            }

            if (search.HasError is { } hasError)
            {
                where.Add(hasError ? SqlText.Of($"s.is_error = 1") : SqlText.Of($"s.is_error = 0"));
            }

            Range(where, parameters, Tokens, "Tokens", search.MinTokens, search.MaxTokens);
            Range(where, parameters, Duration, "Duration",
                search.MinDurationMs is { } min ? (long)(min * 1e6) : null, search.MaxDurationMs is { } max ? (long)(max * 1e6) : null);
            for (var i = 0; i < search.AttributeFilters.Count; i++)
            {
                // The attribute key is part of a JSON path, and the path is a bound parameter like every other value: the
                // key never becomes SQL text (it once did, inside a string literal, and a quote in it ran any statement).
                var filter = search.AttributeFilters[i];
                var index = i.ToString(CultureInfo.InvariantCulture);
                var path = SqlText.Parameter("@path" + index);
                var value = SqlText.Parameter("@attr" + index);
                parameters[path.Text] = sql.AttributeKey(filter.Key);
                var attributes = SqlText.Of($"s.attributes");
                where.Add(filter.Operator switch
                {
                    "exists" => sql.AttributeExists(attributes, path),
                    "eq" => SqlText.Of($"{sql.AttributeText(attributes, path)} = {value}"),
                    "neq" => SqlText.Of($"(NOT {sql.AttributeExists(attributes, path)} OR {sql.AttributeText(attributes, path)} <> {value})"),
                    _ => SqlText.Of($"{sql.AttributeText(attributes, path)} {sql.Like} {value} ESCAPE '\\'"),
                });
                if (filter.Value is not null)
                {
                    parameters[value.Text] = filter.Operator == "contains" ? LikePattern.Containing(filter.Value) : filter.Value;
                }
            }

            if (search.RootSpansOnly)
            {
                where.Add(SqlText.Of($"s.parent_span_id IS NULL"));
            }

            return (SqlText.Join(SqlText.Of($" AND "), where), parameters);
        }

        /// <summary>The text index's candidates for a message query, when it can narrow the search (the exact test follows).</summary>
        private static void AddTextCandidates(SqlDialect sql, List<SqlText> where, Dictionary<string, object> parameters, SpanTextColumns columns, string text, string name)
        {
            var parameter = SqlText.Parameter(name);
            if (sql.TextCandidates(SpanAlias, columns, text, parameter) is { } candidates)
            {
                where.Add(candidates.Condition);
                parameters[parameter.Text] = candidates.Value;
            }
        }

        /// <summary>
        /// A message test of a walk (no text index) as a subquery run span by span (<see cref="SqlDialect.PerRowSubqueryEnd"/>),
        /// so the planner walks <c>spans_by_start</c> and stops at the page instead of reading every span to sort the few it expects.
        /// </summary>
        private static SqlText Walked(SqlDialect sql, SqlText test, bool walk) => walk ? SqlText.Of($"EXISTS (SELECT 1 WHERE {test}{sql.PerRowSubqueryEnd})") : test;

        /// <summary>The attributes a search's <c>inputMessagesQuery</c> looks in (both GenAI spellings, and a traced method's arguments).</summary>
        private static readonly string[] InputKeys = { "gen_ai.input_messages", "gen_ai.input.messages", "mirascope.trace.arg_values" };

        /// <summary>The attributes <c>outputMessagesQuery</c> looks in.</summary>
        private static readonly string[] OutputKeys = { "gen_ai.output_messages", "gen_ai.output.messages", "mirascope.trace.output" };

        /// <summary>
        /// One of the attributes <paramref name="keys"/> matches the pattern <c>@name</c>; the keys are bound as parameters
        /// (<c>@nameKey0</c>...) like every value. Where <see cref="RawJsonText"/> allows, the stored attributes text is tested
        /// first, so a span without the text is passed over without reading its JSON.
        /// </summary>
        private static SqlText AnyAttributeLike(SqlDialect sql, Dictionary<string, object> parameters, string name, string[] keys, string text)
        {
            var pattern = SqlText.Parameter("@" + name);
            var matches = new List<SqlText>();
            for (var i = 0; i < keys.Length; i++)
            {
                var key = SqlText.Parameter("@" + name + "Key" + i.ToString(CultureInfo.InvariantCulture));
                parameters[key.Text] = sql.AttributeKey(keys[i]);
                matches.Add(SqlText.Of($@"{sql.AttributeText(SqlText.Of($"s.attributes"), key)} {sql.Like} {pattern} ESCAPE '\'"));
            }

            var exact = SqlText.Of($"({SqlText.Join(SqlText.Of($" OR "), matches)})");
            return RawJsonText.CanPrefilter(text) ? SqlText.Of($@"(s.attributes {sql.Like} {pattern} ESCAPE '\' AND {exact})") : exact;
        }

        /// <summary>How many columns <see cref="ResultColumns"/> has (the next ordinal is a caller's own).</summary>
        internal const int ResultColumnCount = 16;

        /// <summary>The columns <see cref="WriteResultFields"/> reads, ordinals 0 to 15, of spans <c>s</c>; more may follow.</summary>
        internal static readonly SqlText ResultColumns = SqlText.Of($@"SELECT s.trace_id, s.span_id, s.name, s.start_ns, s.end_ns, s.model, s.provider, s.input_tokens, s.output_tokens, s.usage_source,
                    s.cache_read_tokens, s.cache_write_tokens, fn.id, COALESCE(fn.name, s.version_name, s.name), s.version_hash,
                    EXISTS (SELECT 1 FROM spans c WHERE c.environment_id = s.environment_id AND c.trace_id = s.trace_id AND c.parent_span_id = s.span_id)");

        internal static readonly SqlText ResultFrom = SqlText.Of($" FROM spans s LEFT JOIN functions fn ON fn.hash = s.version_hash AND fn.environment_id = s.environment_id");

        /// <summary>A span's total tokens, for a range and the sort.</summary>
        private static readonly SqlText Tokens = SqlText.Of($"COALESCE(s.input_tokens, 0) + COALESCE(s.output_tokens, 0)");

        /// <summary>A span's duration in nanoseconds, for a range and the sort.</summary>
        private static readonly SqlText Duration = SqlText.Of($"s.end_ns - s.start_ns");

        /// <summary>The alias of the spans table in these queries.</summary>
        private static readonly SqlText SpanAlias = SqlText.Of($"s");

        /// <summary>The fields of the Cloud's <c>SpanSearchResult</c>, inside an object the caller opened.</summary>
        internal static void WriteResultFields(Utf8JsonWriter json, DbDataReader reader, PriceTable prices)
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

        private static void Range(List<SqlText> where, Dictionary<string, object> parameters, SqlText expression, string name, long? min, long? max)
        {
            if (min is { } low)
            {
                var parameter = SqlText.Parameter("@min" + name);
                where.Add(SqlText.Of($"{expression} >= {parameter}"));
                parameters[parameter.Text] = low;
            }

            if (max is { } high)
            {
                var parameter = SqlText.Parameter("@max" + name);
                where.Add(SqlText.Of($"{expression} <= {parameter}"));
                parameters[parameter.Text] = high;
            }
        }

        private static void Bind(DbCommand command, Dictionary<string, object> parameters)
        {
            foreach (var (name, value) in parameters)
            {
                command.Bind(name, value);
            }
        }
    }
}
