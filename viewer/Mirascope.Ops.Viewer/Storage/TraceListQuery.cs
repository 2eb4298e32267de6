using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using static Mirascope.Ops.Viewer.Storage.ColumnJson;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>The page's trace list (<c>GET /api/traces</c>): the traces a <see cref="TraceFilter"/> matches, newest first, one page of them.</summary>
    internal sealed class TraceListQuery
    {
        private readonly TraceStore _store;

        public TraceListQuery(TraceStore store)
        {
            _store = store;
        }

        /// <summary>The attributes the trace list's text filter searches (besides span names), as the page shows them.</summary>
        private static readonly string[] TextSearchKeys =
        {
            "mirascope.trace.arg_values", "mirascope.trace.output", "gen_ai.input.messages", "gen_ai.output.messages", "gen_ai.system_instructions",
        };

        /// <summary>
        /// Writes <c>{"traces":[...],"latestSequence":n,"offset":n,"hasMore":b,"nextCursor":c,"costs":{...}}</c>, newest first;
        /// with an environment, its traces and its own live-events number (<see cref="TraceEnvironments.Sequence(DbConnection, string)"/>).
        /// </summary>
        public void Write(Utf8JsonWriter json, TraceFilter filter)
        {
            var sql = _store.Engine.Sql;
            using var connection = _store.Open();
            var latest = filter.EnvironmentId is { } scoped ? TraceEnvironments.Sequence(connection, scoped) : TraceStore.LatestSequence(connection);
            using var command = Command(connection, filter);
            var limit = Math.Clamp(filter.Limit, 1, TraceFilter.MaxLimit);

            var listed = new List<(string EnvironmentId, string TraceId)>();
            json.WriteStartObject();
            json.WriteStartArray("traces");
            var hasMore = false;
            TraceListCursor? last = null;
            using (var reader = command.ExecuteReader())
            {
                var truncated = new List<string>();
                while (reader.Read())
                {
                    if (listed.Count == limit)
                    {
                        hasMore = true;
                        break;
                    }

                    truncated.Clear();
                    listed.Add((reader.GetString(16), reader.GetString(0)));
                    json.WriteStartObject();
                    json.WriteString("traceId", reader.GetString(0));
                    WriteNullableString(json, "rootSpanId", reader, 1);
                    WriteBoundedString(json, "rootName", reader, 2, truncated);
                    WriteBoundedString(json, "serviceName", reader, 3, truncated);
                    var start = reader.GetInt64(4);
                    last = new TraceListCursor(start, reader.GetString(0));
                    json.WriteString("startTimeUnixNano", start.ToString(CultureInfo.InvariantCulture));
                    json.WriteNumber("durationNs", reader.GetInt64(5) - start);
                    json.WriteNumber("spanCount", reader.GetInt64(6));
                    json.WriteNumber("errorCount", reader.GetInt64(7));
                    json.WriteString("status", StatusName(reader.GetInt64(7) > 0 ? 2 : reader.GetInt32(8)));
                    WriteBoundedString(json, "sessionId", reader, 9, truncated);
                    WriteBoundedTags(json, reader.GetString(10), reader.GetInt32(11), truncated);
                    WriteNullableNumber(json, "inputTokens", reader, 12);
                    WriteNullableNumber(json, "outputTokens", reader, 13);
                    json.WriteNumber("lastSequence", reader.GetInt64(14));
                    json.WritePropertyName("annotationLabels");
                    json.WriteRawValue(reader.IsDBNull(15) ? "[]" : reader.GetString(15));
                    json.WriteStartArray("truncated");
                    foreach (var field in truncated)
                    {
                        json.WriteStringValue(field);
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                }
            }

            json.WriteEndArray();
            json.WriteNumber("latestSequence", latest);
            json.WriteNumber("offset", Math.Clamp(filter.Offset, 0, TraceFilter.MaxOffset));
            json.WriteBoolean("hasMore", hasMore);
            if (hasMore)
            {
                // The fast way to the next page: ?cursor= (keyset paging); offset still works and reads what it skips.
                json.WriteString("nextCursor", last!.Encode());
            }
            else
            {
                json.WriteNull("nextCursor");
            }

            json.WriteStartObject("costs");
            // Each environment's traces priced on their own (a trace is its environment's). Single-developer mode on a store used
            // with accounts may list one id held by two environments: its cost is that of the trace the page opens for the id
            // (TraceEnvironments.Resolve: the environment that sorts first).
            var written = new HashSet<string>(StringComparer.Ordinal);
            foreach (var environment in listed.GroupBy(t => t.EnvironmentId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                foreach (var (traceId, cost) in UsageQueries.CostsOfTraces(connection, environment.Key, environment.Select(t => t.TraceId).ToList(), _store.Prices, sql))
                {
                    if (written.Add(traceId))
                    {
                        json.WriteStartObject(traceId);
                        cost.Write(json);
                        json.WriteEndObject();
                    }
                }
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        /// <summary>The list's query for <paramref name="filter"/>, its parameters bound (a test reads its plan).</summary>
        internal DbCommand Command(DbConnection connection, TraceFilter filter)
        {
            var sql = _store.Engine.Sql;
            var command = connection.CreateCommand();
            var where = new List<SqlText>();
            if (!string.IsNullOrWhiteSpace(filter.Name))
            {
                // Any span's name, through the text index's name column. The trace's root_name needs no test of its own: it
                // is the name of one of the trace's stored spans (TraceStore's summary), and testing it read every trace's row.
                command.Bind("@name", LikePattern.Containing(filter.Name.Trim()));
                where.Add(AnySpan(connection, command, filter, SpanTextColumns.Name, filter.Name.Trim(), "@nameCandidates", SqlText.Of($@"s.name {sql.Like} @name ESCAPE '\'")));
            }

            if (!string.IsNullOrWhiteSpace(filter.Tag))
            {
                where.Add(SqlText.Of($"EXISTS (SELECT 1 FROM {sql.JsonArrayTable(SqlText.Of($"t.tags"), SqlText.Of($"j"))} WHERE j.value = @tag)"));
                command.Bind("@tag", filter.Tag.Trim());
            }

            if (!string.IsNullOrWhiteSpace(filter.Session))
            {
                where.Add(SqlText.Of($"(t.session_id = @session OR EXISTS (SELECT 1 FROM spans s WHERE s.environment_id = t.environment_id AND s.trace_id = t.trace_id AND s.session_id = @session))"));
                command.Bind("@session", filter.Session.Trim());
            }

            if (filter.ErrorsOnly)
            {
                where.Add(SqlText.Of($"t.error_count > 0"));
            }

            if (!string.IsNullOrWhiteSpace(filter.Text))
            {
                // The values as stored (JSON text for objects): arguments, output and messages are searched as the page shows them.
                var matches = new List<SqlText>();
                for (var i = 0; i < TextSearchKeys.Length; i++)
                {
                    // The keys are bound like every value (a JSON path in SQLite, the key in PostgreSQL).
                    var key = SqlText.Parameter("@textKey" + i.ToString(CultureInfo.InvariantCulture));
                    matches.Add(SqlText.Of($@"{sql.AttributeText(SqlText.Of($"s.attributes"), key)} {sql.Like} @text ESCAPE '\'"));
                    command.Bind(key.Text, sql.AttributeKey(TextSearchKeys[i]));
                }

                var inAttributes = SqlText.Join(SqlText.Of($" OR "), matches);
                if (RawJsonText.CanPrefilter(filter.Text.Trim()))
                {
                    // The stored JSON's text first: a walked span without the text is passed over without parsing it.
                    inAttributes = SqlText.Of($@"s.attributes {sql.Like} @text ESCAPE '\' AND ({inAttributes})");
                }

                var exact = SqlText.Of($@"s.name {sql.Like} @text ESCAPE '\' OR ({inAttributes})");
                command.Bind("@text", LikePattern.Containing(filter.Text.Trim()));
                where.Add(AnySpan(connection, command, filter, SpanTextColumns.All, filter.Text.Trim(), "@textCandidates", exact));
            }

            if (filter.MinDurationNs is { } minDuration)
            {
                where.Add(SqlText.Of($"t.end_ns - t.start_ns >= @minDuration"));
                command.Bind("@minDuration", minDuration);
            }

            if (filter.MaxDurationNs is { } maxDuration)
            {
                where.Add(SqlText.Of($"t.end_ns - t.start_ns <= @maxDuration"));
                command.Bind("@maxDuration", maxDuration);
            }

            if (filter.OkOnly)
            {
                where.Add(SqlText.Of($"t.error_count = 0"));
            }

            if (!string.IsNullOrWhiteSpace(filter.Service))
            {
                where.Add(SqlText.Of($"(t.service_name = @service OR EXISTS (SELECT 1 FROM spans s WHERE s.environment_id = t.environment_id AND s.trace_id = t.trace_id AND s.service_name = @service))"));
                command.Bind("@service", filter.Service.Trim());
            }

            if (!string.IsNullOrWhiteSpace(filter.Function))
            {
                where.Add(SqlText.Of($"EXISTS (SELECT 1 FROM spans s WHERE s.environment_id = t.environment_id AND s.trace_id = t.trace_id AND s.version_hash IS NOT NULL AND {FunctionSql.SpanBelongsTo(SqlText.Of($"s"), SqlText.Of($"@function"))})"));
                command.Bind("@function", filter.Function.Trim());
            }

            if (!string.IsNullOrWhiteSpace(filter.Version))
            {
                where.Add(SqlText.Of($"EXISTS (SELECT 1 FROM spans s WHERE s.environment_id = t.environment_id AND s.trace_id = t.trace_id AND s.version_hash = @version)"));
                command.Bind("@version", filter.Version.Trim());
            }

            if (filter.Annotated is { } annotated)
            {
                where.Add(annotated
                    ? SqlText.Of($"EXISTS (SELECT 1 FROM annotations a WHERE a.environment_id = t.environment_id AND a.otel_trace_id = t.trace_id)")
                    : SqlText.Of($"NOT EXISTS (SELECT 1 FROM annotations a WHERE a.environment_id = t.environment_id AND a.otel_trace_id = t.trace_id)"));
            }

            if (filter.EnvironmentId is { } environment)
            {
                where.Add(SqlText.Of($"t.environment_id = @environment"));
                command.Bind("@environment", environment);
            }

            if (filter.After is { } after)
            {
                // After the cursor's trace in the list's order (start_ns DESC, trace_id); the first term bounds the index range.
                where.Add(SqlText.Of($"t.start_ns <= @afterStart AND (t.start_ns < @afterStart OR t.trace_id > @afterTrace)"));
                command.Bind("@afterStart", after.StartNs);
                command.Bind("@afterTrace", after.TraceId);
            }

            if (filter.FromNs is { } from)
            {
                where.Add(SqlText.Of($"t.start_ns >= @from"));
                command.Bind("@from", from);
            }

            if (filter.ToNs is { } to)
            {
                where.Add(SqlText.Of($"t.start_ns <= @to"));
                command.Bind("@to", to);
            }

            // Texts are cut in SQL already (one character more than the bound, so a cut can be told), so a huge value is
            // never read for the list; substr counts Unicode characters, the bound in C# counts UTF-16 code units.
            var condition = where.Count == 0 ? SqlText.Empty : SqlText.Of($" WHERE {SqlText.Join(SqlText.Of($" AND "), where)}");
            command.SetText(SqlText.Of($@"SELECT t.trace_id, t.root_span_id, substr(t.root_name, 1, @textLength), substr(t.service_name, 1, @textLength), t.start_ns, t.end_ns,
                    t.span_count, t.error_count, t.root_status, substr(t.session_id, 1, @textLength),
                    (SELECT {sql.JsonArrayAgg(SqlText.Of($"substr(j.value, 1, @tagLength)"))} FROM (SELECT e.value FROM {sql.JsonArrayTable(SqlText.Of($"t.tags"), SqlText.Of($"e"))} LIMIT @tagsListed) j),
                    COALESCE({sql.JsonArrayLength(SqlText.Of($"t.tags"))}, 0), t.input_tokens, t.output_tokens, t.last_seq,
                    (SELECT {sql.JsonArrayAgg(SqlText.Of($"a.label"))} FROM (SELECT label FROM annotations WHERE environment_id = t.environment_id AND otel_trace_id = t.trace_id ORDER BY seq LIMIT @annotationsListed) a),
                    t.environment_id
                FROM traces t{condition} ORDER BY t.start_ns DESC, t.trace_id LIMIT @limit OFFSET @offset"));
            // One more than asked for tells whether there is a next page, without counting every match.
            command.Bind("@limit", Math.Clamp(filter.Limit, 1, TraceFilter.MaxLimit) + 1);
            command.Bind("@offset", Math.Clamp(filter.Offset, 0, TraceFilter.MaxOffset));
            command.Bind("@annotationsListed", TraceListBounds.MaxAnnotations);
            command.Bind("@textLength", TraceListBounds.MaxText + 1);
            command.Bind("@tagLength", TraceListBounds.MaxTag + 1);
            command.Bind("@tagsListed", TraceListBounds.MaxTags + 1);
            return command;
        }

        /// <summary>
        /// Most spans the text index may find for the list to read every one of them (and the exact test) before it walks
        /// the traces; with more, it walks instead. Found by counting, which stops here.
        /// </summary>
        internal const int CandidatesReadWhole = 2_000;

        /// <summary>
        /// The condition "a span of trace <c>t</c> passes <paramref name="exact"/>" for a text filter, read the cheapest way
        /// the engine's text index allows; every way keeps the exact test, so the answer is the same.
        /// <list type="bullet">
        /// <item>No index for this text (shorter than a trigram): each listed trace's spans are read, newest trace first (a
        /// short text is in most traces, so the page fills fast; one found nowhere reads every span).</item>
        /// <item>Up to <see cref="CandidatesReadWhole"/> spans found: those spans are tested, once for the whole list, and the
        /// list takes their traces (a rare text, or none: a few index reads).</item>
        /// <item>More: the list walks the traces newest first and tests each walked trace's spans, stopping when the page is
        /// full. Reading every match first costs in proportion to the matches, and so does the text index's own answer for
        /// a text made of common trigrams (80 ms for "lookup7" among a million spans, ten times that at ten million); the
        /// walk costs in proportion to the traces it passes (the page over the share of traces that match), whatever the
        /// store's size. (A walk that asks the index about each span was slower still: 0.7 s.)</item>
        /// </list>
        /// Where the index's capped count does not stop at its cap (<see cref="SqlDialect.TextCandidateCountStopsAtCap"/>:
        /// PostgreSQL's GIN bitmap reads every posting of the text's trigrams, 0.5 s for "mystery" at a million spans and
        /// growing with the store), the newest <see cref="ProbedTraces"/> traces are tested first (<see cref="IsCommon"/>):
        /// a text that many of them have is walked at once. (On SQLite the probe cost a no-hit search 1 ms → 160 ms.)
        /// </summary>
        private SqlText AnySpan(DbConnection connection, DbCommand command, TraceFilter filter, SpanTextColumns columns, string text, string parameterName, SqlText exact)
        {
            var sql = _store.Engine.Sql;
            var parameter = SqlText.Parameter(parameterName);
            var walk = SqlText.Of($"EXISTS (SELECT 1 FROM spans s WHERE s.environment_id = t.environment_id AND s.trace_id = t.trace_id AND ({exact}){sql.PerRowSubqueryEnd})");
            if (sql.TextCandidates(SqlText.Of($"s"), columns, text, parameter) is not { } candidates
                || (!sql.TextCandidateCountStopsAtCap && IsCommon(connection, command, filter, walk)))
            {
                return walk;
            }

            command.Bind(parameter.Text, candidates.Value);
            long found;
            using (var count = SqlCommands.Create(connection, sql.CountTextCandidates(candidates, parameter, SqlText.Parameter("@cap"))))
            {
                count.Bind(parameter.Text, candidates.Value);
                count.Bind("@cap", CandidatesReadWhole + 1);
                found = Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture);
            }

            return found <= CandidatesReadWhole
                ? SqlText.Of($"(t.environment_id, t.trace_id) IN (SELECT s.environment_id, s.trace_id FROM spans s WHERE {candidates.Condition} AND ({exact}))")
                : walk;
        }

        /// <summary>How many of the newest traces <see cref="IsCommon"/> tests.</summary>
        internal const int ProbedTraces = 500;

        /// <summary>The most traces a walk is expected to pass for <see cref="IsCommon"/> to choose it.</summary>
        internal const int WalkedTracesAtMost = 20_000;

        /// <summary>
        /// Whether the share of the newest <see cref="ProbedTraces"/> traces that pass <paramref name="walk"/> says the walk
        /// fills the page (its offset, its rows and one more) within <see cref="WalkedTracesAtMost"/> traces. A fixed cost
        /// (those traces' spans, by the spans' key), whatever the store's size; it only picks the way, both ways give
        /// the same answer. The parameters of <paramref name="walk"/> are the list command's, bound before this call. With an
        /// environment (accounts mode) the probed traces are that environment's newest, the ones its list walks (by the
        /// environment's keyset index), so another project's traces never pick its way.
        /// </summary>
        private static bool IsCommon(DbConnection connection, DbCommand command, TraceFilter filter, SqlText walk)
        {
            var newest = filter.EnvironmentId is null
                ? SqlText.Of($"SELECT t.environment_id, t.trace_id FROM traces t ORDER BY t.start_ns DESC, t.trace_id LIMIT @probed")
                : SqlText.Of($"SELECT t.environment_id, t.trace_id FROM traces t WHERE t.environment_id = @probedEnvironment ORDER BY t.start_ns DESC, t.trace_id LIMIT @probed");
            using var probe = SqlCommands.Create(connection, SqlText.Of($@"SELECT COUNT(*) FROM ({newest}) t WHERE {walk}"));
            foreach (DbParameter bound in command.Parameters)
            {
                // Copied as bound (values already in the engine's form).
                var copy = probe.CreateParameter();
                copy.ParameterName = bound.ParameterName;
                copy.Value = bound.Value;
                probe.Parameters.Add(copy);
            }

            probe.Bind("@probed", ProbedTraces);
            if (filter.EnvironmentId is { } environment)
            {
                probe.Bind("@probedEnvironment", environment);
            }

            var matching = Convert.ToInt64(probe.ExecuteScalar(), CultureInfo.InvariantCulture);
            var wanted = (long)Math.Clamp(filter.Offset, 0, TraceFilter.MaxOffset) + Math.Clamp(filter.Limit, 1, TraceFilter.MaxLimit) + 1;
            return matching * WalkedTracesAtMost >= wanted * ProbedTraces;
        }

        private static void WriteBoundedString(Utf8JsonWriter json, string name, DbDataReader reader, int ordinal, List<string> truncated)
        {
            if (reader.IsDBNull(ordinal))
            {
                json.WriteNull(name);
                return;
            }

            json.WriteString(name, TraceListBounds.Cut(reader.GetString(ordinal), TraceListBounds.MaxText, out var cut));
            if (cut)
            {
                truncated.Add(name);
            }
        }

        /// <summary>The first tags (each cut to its bound) and how many the trace has.</summary>
        private static void WriteBoundedTags(Utf8JsonWriter json, string firstTagsJson, int tagCount, List<string> truncated)
        {
            using var document = JsonDocument.Parse(firstTagsJson);
            json.WriteStartArray("tags");
            var written = 0;
            var cutAny = tagCount > TraceListBounds.MaxTags;
            foreach (var tag in document.RootElement.EnumerateArray())
            {
                if (written++ == TraceListBounds.MaxTags)
                {
                    break;
                }

                json.WriteStringValue(TraceListBounds.Cut(tag.GetString() ?? string.Empty, TraceListBounds.MaxTag, out var cut));
                cutAny |= cut;
            }

            json.WriteEndArray();
            json.WriteNumber("tagCount", tagCount);
            if (cutAny)
            {
                truncated.Add("tags");
            }
        }
    }
}
