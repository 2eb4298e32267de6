using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Mirascope.Ops.Viewer.Cost;
using static Mirascope.Ops.Viewer.Storage.ColumnJson;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>
    /// The page's trace document (<c>GET /api/traces/{traceId}</c>): every span of one trace in start order, with its usage
    /// and cost, the trace's cost and its annotations.
    /// </summary>
    internal sealed class TraceDocument
    {
        private readonly TraceStore _store;

        public TraceDocument(TraceStore store)
        {
            _store = store;
        }

        private PriceTable Prices => _store.Prices;

        /// <summary>
        /// Writes the trace <paramref name="traceId"/> as a caller limited to <paramref name="environmentId"/> sees it (null:
        /// single-developer mode, the one trace <see cref="TraceEnvironments.Resolve"/> picks) with all its spans in start
        /// order; false when there is no such trace.
        /// </summary>
        public bool Write(Utf8JsonWriter json, string traceId, string? environmentId)
        {
            using var connection = _store.Open();
            if (TraceEnvironments.Resolve(connection, traceId, environmentId) is not { } environment)
            {
                return false;
            }

            using var command = connection.CreateCommand();
            command.SetText(SqlText.Of($@"SELECT span_id, parent_span_id, trace_state, name, kind, start_ns, end_ns, status_code, status_message,
                    attributes, events, links, resource, service_name, scope_name, scope_version, seq,
                    usage_source, provider, model, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, version_hash, is_error, counted_by
                FROM spans WHERE environment_id = @environment AND trace_id = @trace ORDER BY start_ns, seq"));
            command.Bind("@environment", environment).Bind("@trace", traceId);
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
                (UsageQueries.CostsOfTraces(connection, environment, new[] { traceId }, Prices, _store.Engine.Sql).TryGetValue(traceId, out var cost) ? cost : new CostEstimate()).Write(json);
                json.WriteEndObject();
                WriteAnnotations(json, connection, environment, traceId);
                json.WriteEndObject();
            }

            return any;
        }

        /// <summary>The trace's annotations (one per span at most), as the Cloud's <c>Annotation</c>.</summary>
        private static void WriteAnnotations(Utf8JsonWriter json, DbConnection connection, string environmentId, string traceId)
        {
            using var command = connection.CreateCommand();
            command.SetText(SqlText.Of($@"SELECT id, otel_span_id, label, reasoning, metadata, tags, created_ms, updated_ms FROM annotations
                WHERE environment_id = @environment AND otel_trace_id = @trace ORDER BY seq"));
            command.Bind("@environment", environmentId).Bind("@trace", traceId);
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
    }
}
