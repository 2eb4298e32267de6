using System;
using System.Collections.Generic;
using System.Linq;
using System.Globalization;
using System.IO;
using System.Text.Json;
using System.Data.Common;
using Mirascope.Ops.Viewer.Cost;
using Mirascope.Ops.Viewer.Ingest;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>
    /// The span store, on either engine (<see cref="IStoreEngine"/>): one request's spans are written in one transaction
    /// together with the summaries of the traces they belong to, so a reader never sees half a request, and the request is
    /// answered only after that transaction committed. Writers of the same trace (in this process or another sharing the
    /// database) follow one another: the engine's write lock for those traces is taken before anything is read.
    /// </summary>
    internal sealed class TraceStore
    {
        /// <summary>Opens the store a <c>--store</c> value names: a PostgreSQL connection string, or a SQLite file path.</summary>
        public TraceStore(string location, PriceTable? prices = null)
            : this(StoreEngines.Create(location), prices)
        {
        }

        public TraceStore(IStoreEngine engine, PriceTable? prices = null)
        {
            Engine = engine;
            Prices = prices ?? PriceTable.Load();
            Engine.CreateOrMigrate(RecomputeAllTraces);
        }

        /// <summary>The database engine and its dialect; the other stores on the same database use it.</summary>
        public IStoreEngine Engine { get; }

        /// <summary>Where the spans are (a file path, or a connection string without its password).</summary>
        public string Description => Engine.Description;

        /// <summary>Prices the stored token counts whenever a cost is read.</summary>
        public PriceTable Prices { get; }

        /// <summary>
        /// Stores the spans (a span sent again replaces the earlier copy) in <paramref name="environmentId"/> and updates their
        /// traces' summaries; <see cref="TraceOfAnotherEnvironmentException"/> when a trace is another environment's.
        /// </summary>
        public void Store(IReadOnlyList<IngestSpan> spans, DateTimeOffset receivedAt, string environmentId = TraceEnvironments.Implicit)
        {
            if (spans.Count == 0)
            {
                return;
            }

            var received = receivedAt.ToUnixTimeMilliseconds();
            var traceIds = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var span in spans)
            {
                traceIds.Add(span.TraceId);
            }

            var sql = Engine.Sql;
            using var connection = Open();
            using var transaction = Engine.BeginWrite(connection, traceIds);   // the traces' write locks, before anything is read
            TraceEnvironments.RequireOwn(this, connection, transaction, traceIds, environmentId);
            // Every span and trace statement in one round trip where the engine batches (SqlBatch).
            using var writes = new SqlBatch(connection, transaction);
            var insertText = SqlText.Of($@"{sql.ReplaceSpanInto}
                (trace_id, span_id, parent_span_id, trace_state, name, kind, start_ns, end_ns, status_code, status_message,
                 attributes, events, links, resource, service_name, scope_name, scope_version, session_id, tags, input_tokens, output_tokens, received_ms,
                 usage_source, cache_read_tokens, cache_write_tokens, provider, model, version_hash, version_name, is_error, response_id, environment_id)
                VALUES (@trace, @span, @parent, @state, @name, @kind, @start, @end, @status, @message,
                 @attributes, @events, @links, @resource, @service, @scope, @scopeVersion, @session, @tags, @input, @output, @received,
                 @usageSource, @cacheRead, @cacheWrite, @provider, @model, @versionHash, @versionName, @isError, @responseId, @environment) {sql.ReplaceSpanConflict}");
            var p = new Dictionary<string, DbParameter>();
            foreach (var span in spans)
            {
                var insert = writes.Add(insertText);
                foreach (var name in InsertParameters)
                {
                    p[name] = insert.Parameter(name);
                }

                var facts = SpanFacts.Read(span.AttributesJson, span.EventsJson, span.StatusCode);
                p["@trace"].Value = span.TraceId;
                p["@span"].Value = span.SpanId;
                p["@parent"].Value = (object?)span.ParentSpanId ?? DBNull.Value;
                p["@state"].Value = (object?)span.TraceState ?? DBNull.Value;
                p["@name"].Value = span.Name;
                p["@kind"].Value = span.Kind;
                p["@start"].Value = span.StartNs;
                p["@end"].Value = span.EndNs;
                p["@status"].Value = span.StatusCode;
                p["@message"].Value = (object?)span.StatusMessage ?? DBNull.Value;
                p["@attributes"].Value = span.AttributesJson;
                p["@events"].Value = span.EventsJson;
                p["@links"].Value = (object?)span.LinksJson ?? DBNull.Value;
                p["@resource"].Value = span.ResourceJson;
                p["@service"].Value = (object?)span.ServiceName ?? DBNull.Value;
                p["@scope"].Value = (object?)span.ScopeName ?? DBNull.Value;
                p["@scopeVersion"].Value = (object?)span.ScopeVersion ?? DBNull.Value;
                p["@session"].Value = (object?)facts.SessionId ?? DBNull.Value;
                p["@tags"].Value = (object?)facts.TagsJson ?? DBNull.Value;
                p["@received"].Value = received;
                p["@environment"].Value = environmentId;
                facts.Bind(p);
            }

            foreach (var traceId in traceIds)
            {
                RepeatedCalls.Mark(writes, traceId);
                UpdateSummary(writes, traceId);
                TraceEnvironments.Mark(writes, traceId, environmentId);
            }

            writes.Execute();
            transaction.Commit();
        }

        /// <summary>The parameters of the span insert.</summary>
        private static readonly string[] InsertParameters = new[]
        {
            "@trace", "@span", "@parent", "@state", "@name", "@kind", "@start", "@end", "@status", "@message", "@attributes", "@events",
            "@links", "@resource", "@service", "@scope", "@scopeVersion", "@session", "@tags", "@received", "@environment",
        }.Concat(SpanFacts.ColumnParameters).ToArray();

        /// <summary>The sequence number of the newest stored span (0 when empty); it grows with every span written by any process.</summary>
        public long LatestSequence()
        {
            using var connection = Open();
            return LatestSequence(connection);
        }

        /// <summary>How many traces and spans are stored.</summary>
        public (long Traces, long Spans) Count()
        {
            using var connection = Open();
            using var command = connection.CreateCommand();
            command.SetText(SqlText.Of($"SELECT (SELECT COUNT(*) FROM traces), (SELECT COUNT(*) FROM spans)"));
            using var reader = command.ExecuteReader();
            reader.Read();
            return (reader.GetInt64(0), reader.GetInt64(1));
        }

        /// <summary>
        /// Deletes traces whose last span arrived before <paramref name="receivedBefore"/>, then the oldest traces beyond
        /// <paramref name="maxTraces"/>. Returns how many traces were deleted.
        /// </summary>
        public int ApplyRetention(DateTimeOffset? receivedBefore, int? maxTraces)
        {
            var expired = new SortedSet<string>(StringComparer.Ordinal);
            using var connection = Open();
            if (receivedBefore is { } cutoff)
            {
                using var command = SqlCommands.Create(connection, SqlText.Of($"SELECT trace_id FROM traces WHERE received_ms < @cutoff"));
                command.Bind("@cutoff", cutoff.ToUnixTimeMilliseconds());
                ReadTraceIds(command, expired);
            }

            if (maxTraces is { } max)
            {
                using var command = SqlCommands.Create(connection, SqlText.Of($@"SELECT trace_id FROM traces
                    WHERE trace_id NOT IN (SELECT trace_id FROM traces ORDER BY received_ms DESC, start_ns DESC LIMIT @max)"));
                command.Bind("@max", Math.Max(0, max));
                ReadTraceIds(command, expired);
            }

            // In batches, each one transaction holding its traces' write locks, so ingest waits for one batch at most.
            foreach (var batch in expired.Chunk(RetentionBatch))
            {
                using var transaction = Engine.BeginWrite(connection, batch);
                using var delete = SqlCommands.Create(connection, SqlText.Of($@"
                    DELETE FROM spans WHERE trace_id IN (SELECT j.value FROM {Engine.Sql.JsonArrayTable(SqlText.Of($"@ids"), SqlText.Of($"j"))});
                    DELETE FROM annotations WHERE otel_trace_id IN (SELECT j.value FROM {Engine.Sql.JsonArrayTable(SqlText.Of($"@ids"), SqlText.Of($"j"))});
                    DELETE FROM traces WHERE trace_id IN (SELECT j.value FROM {Engine.Sql.JsonArrayTable(SqlText.Of($"@ids"), SqlText.Of($"j"))});"), transaction);
                delete.Bind("@ids", JsonSerializer.Serialize(batch));
                delete.ExecuteNonQuery();
                transaction.Commit();
            }

            return expired.Count;
        }

        /// <summary>Most traces deleted by one retention transaction.</summary>
        private const int RetentionBatch = 500;

        private static void ReadTraceIds(DbCommand command, ISet<string> into)
        {
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                into.Add(reader.GetString(0));
            }
        }

        /// <summary>The attributes the trace list's text filter searches (besides span names), as the page shows them.</summary>
        private static readonly string[] TextSearchKeys =
        {
            "mirascope.trace.arg_values", "mirascope.trace.output", "gen_ai.input.messages", "gen_ai.output.messages", "gen_ai.system_instructions",
        };

        /// <summary>Writes <c>{"traces":[...],"latestSequence":n}</c>, newest first.</summary>
        public void WriteTraceList(Utf8JsonWriter json, TraceFilter filter)
        {
            var sql = Engine.Sql;
            using var connection = Open();
            var latest = LatestSequence(connection);
            using var command = connection.CreateCommand();
            var where = new List<SqlText>();
            if (!string.IsNullOrWhiteSpace(filter.Name))
            {
                where.Add(SqlText.Of($@"(t.root_name {sql.Like} @name ESCAPE '\' OR EXISTS (SELECT 1 FROM spans s WHERE s.trace_id = t.trace_id AND s.name {sql.Like} @name ESCAPE '\'))"));
                command.Bind("@name", "%" + EscapeLike(filter.Name.Trim()) + "%");
            }

            if (!string.IsNullOrWhiteSpace(filter.Tag))
            {
                where.Add(SqlText.Of($"EXISTS (SELECT 1 FROM {sql.JsonArrayTable(SqlText.Of($"t.tags"), SqlText.Of($"j"))} WHERE j.value = @tag)"));
                command.Bind("@tag", filter.Tag.Trim());
            }

            if (!string.IsNullOrWhiteSpace(filter.Session))
            {
                where.Add(SqlText.Of($"(t.session_id = @session OR EXISTS (SELECT 1 FROM spans s WHERE s.trace_id = t.trace_id AND s.session_id = @session))"));
                command.Bind("@session", filter.Session.Trim());
            }

            if (filter.ErrorsOnly)
            {
                where.Add(SqlText.Of($"t.error_count > 0"));
            }

            if (!string.IsNullOrWhiteSpace(filter.Text))
            {
                // The values as stored (JSON text for objects): arguments, output and messages are searched as the page shows them.
                var matches = new List<SqlText> { SqlText.Of($@"s.name {sql.Like} @text ESCAPE '\'") };
                for (var i = 0; i < TextSearchKeys.Length; i++)
                {
                    // The keys are bound like every value (a JSON path in SQLite, the key in PostgreSQL).
                    var key = SqlText.Parameter("@textKey" + i.ToString(CultureInfo.InvariantCulture));
                    matches.Add(SqlText.Of($@"{sql.AttributeText(SqlText.Of($"s.attributes"), key)} {sql.Like} @text ESCAPE '\'"));
                    command.Bind(key.Text, sql.AttributeKey(TextSearchKeys[i]));
                }

                where.Add(SqlText.Of($"EXISTS (SELECT 1 FROM spans s WHERE s.trace_id = t.trace_id AND ({SqlText.Join(SqlText.Of($" OR "), matches)}))"));
                command.Bind("@text", "%" + EscapeLike(filter.Text.Trim()) + "%");
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
                where.Add(SqlText.Of($"(t.service_name = @service OR EXISTS (SELECT 1 FROM spans s WHERE s.trace_id = t.trace_id AND s.service_name = @service))"));
                command.Bind("@service", filter.Service.Trim());
            }

            if (!string.IsNullOrWhiteSpace(filter.Function))
            {
                where.Add(SqlText.Of($"EXISTS (SELECT 1 FROM spans s WHERE s.trace_id = t.trace_id AND s.version_hash IS NOT NULL AND {FunctionSql.SpanBelongsTo(SqlText.Of($"s"), SqlText.Of($"@function"))})"));
                command.Bind("@function", filter.Function.Trim());
            }

            if (!string.IsNullOrWhiteSpace(filter.Version))
            {
                where.Add(SqlText.Of($"EXISTS (SELECT 1 FROM spans s WHERE s.trace_id = t.trace_id AND s.version_hash = @version)"));
                command.Bind("@version", filter.Version.Trim());
            }

            if (filter.Annotated is { } annotated)
            {
                where.Add(annotated
                    ? SqlText.Of($"EXISTS (SELECT 1 FROM annotations a WHERE a.otel_trace_id = t.trace_id)")
                    : SqlText.Of($"NOT EXISTS (SELECT 1 FROM annotations a WHERE a.otel_trace_id = t.trace_id)"));
            }

            if (filter.EnvironmentId is { } environment)
            {
                where.Add(SqlText.Of($"t.environment_id = @environment"));
                command.Bind("@environment", environment);
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
                    (SELECT {sql.JsonArrayAgg(SqlText.Of($"a.label"))} FROM (SELECT label FROM annotations WHERE otel_trace_id = t.trace_id ORDER BY seq LIMIT @annotationsListed) a)
                FROM traces t{condition} ORDER BY t.start_ns DESC, t.trace_id LIMIT @limit OFFSET @offset"));
            // One more than asked for tells whether there is a next page, without counting every match.
            var limit = Math.Clamp(filter.Limit, 1, TraceFilter.MaxLimit);
            command.Bind("@limit", limit + 1);
            command.Bind("@offset", Math.Clamp(filter.Offset, 0, TraceFilter.MaxOffset));
            command.Bind("@annotationsListed", TraceListBounds.MaxAnnotations);
            command.Bind("@textLength", TraceListBounds.MaxText + 1);
            command.Bind("@tagLength", TraceListBounds.MaxTag + 1);
            command.Bind("@tagsListed", TraceListBounds.MaxTags + 1);

            var listed = new List<string>();
            json.WriteStartObject();
            json.WriteStartArray("traces");
            var hasMore = false;
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
                    listed.Add(reader.GetString(0));
                    json.WriteStartObject();
                    json.WriteString("traceId", reader.GetString(0));
                    WriteNullableString(json, "rootSpanId", reader, 1);
                    WriteBoundedString(json, "rootName", reader, 2, truncated);
                    WriteBoundedString(json, "serviceName", reader, 3, truncated);
                    var start = reader.GetInt64(4);
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
            json.WriteStartObject("costs");
            foreach (var (traceId, cost) in UsageQueries.CostsOfTraces(connection, listed, Prices, Engine.Sql))
            {
                json.WriteStartObject(traceId);
                cost.Write(json);
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        /// <summary>Writes one trace with all its spans in start order; false when the trace is not stored.</summary>
        public bool WriteTrace(Utf8JsonWriter json, string traceId)
        {
            using var connection = Open();
            using var command = connection.CreateCommand();
            command.SetText(SqlText.Of($@"SELECT span_id, parent_span_id, trace_state, name, kind, start_ns, end_ns, status_code, status_message,
                    attributes, events, links, resource, service_name, scope_name, scope_version, seq,
                    usage_source, provider, model, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, version_hash, is_error, counted_by
                FROM spans WHERE trace_id = @trace ORDER BY start_ns, seq"));
            command.Bind("@trace", traceId);
            using var reader = command.ExecuteReader();
            var any = false;
            while (reader.Read())
            {
                if (!any)
                {
                    json.WriteStartObject();
                    json.WriteString("traceId", traceId);
                    json.WriteStartArray("spans");
                    any = true;
                }

                json.WriteStartObject();
                json.WriteString("spanId", reader.GetString(0));
                WriteNullableString(json, "parentSpanId", reader, 1);
                WriteNullableString(json, "traceState", reader, 2);
                json.WriteString("name", reader.GetString(3));
                json.WriteNumber("kind", reader.GetInt32(4));
                var start = reader.GetInt64(5);
                json.WriteString("startTimeUnixNano", start.ToString(CultureInfo.InvariantCulture));
                json.WriteString("endTimeUnixNano", reader.GetInt64(6).ToString(CultureInfo.InvariantCulture));
                json.WriteNumber("durationNs", reader.GetInt64(6) - start);
                json.WriteStartObject("status");
                json.WriteNumber("code", reader.GetInt32(7));
                json.WriteString("name", StatusName(reader.GetInt32(7)));
                WriteNullableString(json, "message", reader, 8);
                json.WriteEndObject();
                json.WritePropertyName("attributes");
                json.WriteRawValue(reader.GetString(9));
                json.WritePropertyName("events");
                json.WriteRawValue(reader.GetString(10));
                json.WritePropertyName("links");
                json.WriteRawValue(reader.IsDBNull(11) ? "[]" : reader.GetString(11));
                json.WritePropertyName("resource");
                json.WriteRawValue(reader.GetString(12));
                WriteNullableString(json, "serviceName", reader, 13);
                json.WriteStartObject("scope");
                WriteNullableString(json, "name", reader, 14);
                WriteNullableString(json, "version", reader, 15);
                json.WriteEndObject();
                json.WriteNumber("sequence", reader.GetInt64(16));
                WriteUsage(json, reader);
                WriteNullableString(json, "versionHash", reader, 24);
                json.WriteBoolean("failed", reader.GetInt32(25) != 0);
                json.WriteEndObject();
            }

            reader.Close();
            if (any)
            {
                json.WriteEndArray();
                json.WriteStartObject("cost");
                (UsageQueries.CostsOfTraces(connection, new[] { traceId }, Prices, Engine.Sql).TryGetValue(traceId, out var cost) ? cost : new CostEstimate()).Write(json);
                json.WriteEndObject();
                WriteAnnotations(json, connection, traceId);
                json.WriteEndObject();
            }

            return any;
        }

        /// <summary>The trace's annotations (one per span at most), as the Cloud's <c>Annotation</c>.</summary>
        private static void WriteAnnotations(Utf8JsonWriter json, DbConnection connection, string traceId)
        {
            using var command = connection.CreateCommand();
            command.SetText(SqlText.Of($"SELECT id, otel_span_id, label, reasoning, metadata, tags, created_ms, updated_ms FROM annotations WHERE otel_trace_id = @trace ORDER BY seq"));
            command.Bind("@trace", traceId);
            json.WriteStartArray("annotations");
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                new AnnotationRecord
                {
                    Id = reader.GetString(0),
                    SpanId = reader.GetString(1),
                    TraceId = traceId,
                    Label = reader.IsDBNull(2) ? null : reader.GetString(2),
                    Reasoning = reader.IsDBNull(3) ? null : reader.GetString(3),
                    MetadataJson = reader.IsDBNull(4) ? null : reader.GetString(4),
                    TagsJson = reader.GetString(5),
                    CreatedMs = reader.GetInt64(6),
                    UpdatedMs = reader.GetInt64(7),
                }.Write(json);
            }

            json.WriteEndArray();
        }

        /// <summary>A span's <c>usage</c>: its token counts, model and cost (null when it has no token counts).</summary>
        private void WriteUsage(Utf8JsonWriter json, DbDataReader reader)
        {
            var source = (UsageSource)reader.GetInt32(17);
            if (source == UsageSource.None)
            {
                json.WriteNull("usage");
                return;
            }

            long Count(int ordinal) => reader.IsDBNull(ordinal) ? 0 : reader.GetInt64(ordinal);
            var usage = new TokenUsage(reader.IsDBNull(18) ? null : reader.GetString(18), reader.IsDBNull(19) ? null : reader.GetString(19),
                Count(20), Count(21), Count(22), Count(23));
            var price = Prices.Find(usage.Provider, usage.Model);
            json.WriteStartObject("usage");
            json.WriteString("source", source switch
            {
                UsageSource.GenAi => "gen_ai.usage",
                UsageSource.AgentTotal => "gen_ai.usage (agent total)",
                _ => "mirascope.response.usage",
            });
            // The span that counts the call this span repeats (another layer's span of it): sums leave this one out.
            WriteNullableString(json, "countedBy", reader, 26);
            WriteNullableString(json, "provider", reader, 18);
            WriteNullableString(json, "model", reader, 19);
            json.WriteNumber("inputTokens", usage.Input);
            json.WriteNumber("outputTokens", usage.Output);
            json.WriteNumber("cacheReadTokens", usage.CacheRead);
            json.WriteNumber("cacheWriteTokens", usage.CacheWrite);
            if (price is null)
            {
                json.WriteNull("costUsd");
                json.WriteNull("pricedAs");
            }
            else
            {
                json.WriteNumber("costUsd", decimal.Round(Prices.Cost(usage)!.Value, 8));
                json.WriteString("pricedAs", price.Provider + "/" + price.Model);
            }

            json.WriteEndObject();
        }

        private void UpdateSummary(SqlBatch batch, string traceId)
        {
            var sql = Engine.Sql;
            // The root is the span without a parent; while it has not arrived yet, the earliest span whose parent is not
            // (yet) stored stands in, so a trace is listed as soon as any of its spans is. When every span has a stored
            // parent, the parent links loop (A under B under A, or a span its own parent): the earliest span is named then.
            var command = batch.Add(SqlText.Of($@"
                WITH root AS (
                    SELECT s.span_id, s.name, s.service_name, s.status_code FROM spans s
                    WHERE s.trace_id = @trace
                    ORDER BY (s.parent_span_id IS NULL) DESC,
                        NOT EXISTS (SELECT 1 FROM spans p WHERE p.trace_id = s.trace_id AND p.span_id = s.parent_span_id) DESC,
                        s.start_ns, s.seq LIMIT 1),
                agg AS (
                    SELECT MIN(start_ns) AS start_ns, MAX(end_ns) AS end_ns, COUNT(*) AS span_count, SUM(is_error) AS error_count,
                        -- the model calls (gen_ai.usage.*) when the trace has any, else the traced methods that returned a response;
                        -- a span that repeats a call another span counts (counted_by) is left out
                        CASE WHEN SUM(CASE WHEN usage_source = 1 THEN 1 ELSE 0 END) > 0 THEN SUM(CASE WHEN usage_source = 1 AND counted_by IS NULL THEN input_tokens END) ELSE SUM(input_tokens) END AS input_tokens,
                        CASE WHEN SUM(CASE WHEN usage_source = 1 THEN 1 ELSE 0 END) > 0 THEN SUM(CASE WHEN usage_source = 1 AND counted_by IS NULL THEN output_tokens END) ELSE SUM(output_tokens) END AS output_tokens, MAX(seq) AS last_seq, MAX(received_ms) AS received_ms
                    FROM spans WHERE trace_id = @trace),
                first_session AS (
                    SELECT session_id FROM spans WHERE trace_id = @trace AND session_id IS NOT NULL ORDER BY start_ns, seq LIMIT 1),
                tag AS (
                    SELECT {sql.JsonArrayAgg(SqlText.Of($"d.value"))} AS tags FROM (
                        SELECT DISTINCT j.value AS value FROM spans s, {sql.JsonArrayTable(SqlText.Of($"s.tags"), SqlText.Of($"j"))}
                        WHERE s.trace_id = @trace AND s.tags IS NOT NULL ORDER BY j.value) d)
                INSERT INTO traces (trace_id, root_span_id, root_name, service_name, root_status, start_ns, end_ns, span_count, error_count,
                    session_id, tags, input_tokens, output_tokens, last_seq, received_ms)
                SELECT @trace, root.span_id, root.name, root.service_name, COALESCE(root.status_code, 0), agg.start_ns, agg.end_ns, agg.span_count,
                    agg.error_count, (SELECT session_id FROM first_session), NULLIF((SELECT tags FROM tag), '[]'), agg.input_tokens, agg.output_tokens,
                    agg.last_seq, agg.received_ms
                FROM agg LEFT JOIN root ON 1 = 1
                WHERE 1 = 1
                ON CONFLICT (trace_id) DO UPDATE SET root_span_id = excluded.root_span_id, root_name = excluded.root_name,
                    service_name = excluded.service_name, root_status = excluded.root_status, start_ns = excluded.start_ns, end_ns = excluded.end_ns,
                    span_count = excluded.span_count, error_count = excluded.error_count, session_id = excluded.session_id, tags = excluded.tags,
                    input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens, last_seq = excluded.last_seq, received_ms = excluded.received_ms"));
            // WHERE 1 = 1: SQLite reads ON CONFLICT after a SELECT with a join as the join's ON without it.
            command.Bind("@trace", traceId);
        }

        /// <summary>Marks the repeated calls and computes the summary of every stored trace again (after a migration filled span columns in).</summary>
        private void RecomputeAllTraces(DbConnection connection, DbTransaction transaction)
        {
            var traceIds = new List<string>();
            using (var all = SqlCommands.Create(connection, SqlText.Of($"SELECT trace_id FROM traces"), transaction))
            {
                using var reader = all.ExecuteReader();
                while (reader.Read())
                {
                    traceIds.Add(reader.GetString(0));
                }
            }

            using var batch = new SqlBatch(connection, transaction);
            foreach (var traceId in traceIds)
            {
                RepeatedCalls.Mark(batch, traceId);
                UpdateSummary(batch, traceId);
                batch.Execute();   // one trace at a time: a large store's migration builds no unbounded batch
            }
        }

        /// <summary>An open connection to the store's database, for the other stores on the same database.</summary>
        public DbConnection Open() => Engine.Open();

        private static long LatestSequence(DbConnection connection)
        {
            using var command = connection.CreateCommand();
            command.SetText(SqlText.Of($"SELECT COALESCE(MAX(seq), 0) FROM spans"));
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        internal static string EscapeLike(string text) => text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");

        private static string StatusName(int code) => code switch { 1 => "ok", 2 => "error", _ => "unset" };

        private static void WriteNullableString(Utf8JsonWriter json, string name, DbDataReader reader, int ordinal)
        {
            if (reader.IsDBNull(ordinal))
            {
                json.WriteNull(name);
            }
            else
            {
                json.WriteString(name, reader.GetString(ordinal));
            }
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

        private static void WriteNullableNumber(Utf8JsonWriter json, string name, DbDataReader reader, int ordinal)
        {
            if (reader.IsDBNull(ordinal))
            {
                json.WriteNull(name);
            }
            else
            {
                json.WriteNumber(name, reader.GetInt64(ordinal));
            }
        }
    }
}
