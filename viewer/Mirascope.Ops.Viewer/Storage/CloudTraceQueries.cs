using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Data.Common;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>
    /// The Cloud's trace reads: <c>GET /traces/{traceId}</c> (<c>TraceDetailResponse</c>) and
    /// <c>GET /traces/function/hash/{hash}</c> (the traces of a version, as <c>PublicTrace</c>s).
    /// </summary>
    internal sealed class CloudTraceQueries
    {
        public const int DefaultLimit = 100;
        public const int MaxLimit = 1000;

        private readonly TraceStore _database;

        public CloudTraceQueries(TraceStore database)
        {
            _database = database;
        }

        /// <summary>
        /// <c>{traceId, spans: SpanDetail[], rootSpanId, totalDurationMs}</c>, spans in start order; an unknown trace has no
        /// spans (the Cloud answered it with 200 too).
        /// </summary>
        /// <param name="environmentId">
        /// Only the trace of this environment (accounts mode); null (single-developer mode): the one trace the page shows for
        /// the id (<see cref="TraceEnvironments.Resolve"/>), never spans of two environments' traces together.
        /// </param>
        public void WriteDetail(Utf8JsonWriter json, string traceId, string? environmentId = null)
        {
            using var connection = _database.Open();
            // No environment holds it: the query runs with one that holds nothing, so the answer is the Cloud's empty trace.
            var environment = TraceEnvironments.Resolve(connection, traceId, environmentId) ?? environmentId ?? TraceEnvironments.Implicit;
            using var command = SqlCommands.Create(connection, SqlText.Of($@"{SpanSearchQuery.ResultColumns}, s.parent_span_id, s.kind, s.status_code, s.status_message, s.attributes, s.events, s.links,
                    s.resource, s.service_name, s.is_error, fn.version{SpanSearchQuery.ResultFrom} WHERE s.environment_id = @environment AND s.trace_id = @trace ORDER BY s.start_ns, s.seq"));
            command.Bind("@trace", traceId).Bind("@environment", environment);
            string? root = null;
            long? first = null, last = null;
            json.WriteStartObject();
            json.WriteString("traceId", traceId);
            json.WriteStartArray("spans");
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    var start = reader.GetInt64(3);
                    var end = reader.GetInt64(4);
                    first = Math.Min(first ?? start, start);
                    last = Math.Max(last ?? end, end);
                    if (root is null && reader.IsDBNull(16))
                    {
                        root = reader.GetString(1);
                    }

                    json.WriteStartObject();
                    SpanSearchQuery.WriteResultFields(json, reader, _database.Prices);
                    WriteDetailFields(json, reader);
                    json.WriteEndObject();
                }
            }

            json.WriteEndArray();
            if (root is null)
            {
                json.WriteNull("rootSpanId");
            }
            else
            {
                json.WriteString("rootSpanId", root);
            }

            json.WriteNumber("totalDurationMs", first is null ? 0 : Math.Round((last!.Value - first.Value) / 1e6, 3));
            json.WriteEndObject();
        }

        /// <summary>
        /// <c>{traces: PublicTrace[], total}</c>: one entry per trace among the version's spans, newest first; limit and offset
        /// count spans and <c>total</c> is the span count, as the Cloud had it. Only spans of <paramref name="environmentId"/> (null: any).
        /// </summary>
        public void WriteTracesOfVersion(Utf8JsonWriter json, string hash, int limit, int offset, string? environmentId = null)
        {
            using var connection = _database.Open();
            var inEnvironment = TraceEnvironments.InEnvironment(environmentId, SqlText.Of($"spans"));
            long total;
            using (var count = connection.CreateCommand())
            {
                count.SetText(SqlText.Of($"SELECT COUNT(*) FROM spans WHERE version_hash = @hash{inEnvironment}"));
                count.Bind("@hash", hash);
                TraceEnvironments.Bind(count, environmentId);
                total = Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture);
            }

            using var command = connection.CreateCommand();
            command.SetText(SqlText.Of($@"SELECT trace_id, start_ns, service_name, resource FROM spans WHERE version_hash = @hash{inEnvironment}
                ORDER BY start_ns DESC, seq DESC LIMIT @limit OFFSET @offset"));
            command.Bind("@hash", hash);
            TraceEnvironments.Bind(command, environmentId);
            command.Bind("@limit", limit);
            command.Bind("@offset", offset);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            json.WriteStartObject();
            json.WriteStartArray("traces");
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    var traceId = reader.GetString(0);
                    if (!seen.Add(traceId))
                    {
                        continue;
                    }

                    json.WriteStartObject();
                    json.WriteString("id", traceId);
                    json.WriteString("otelTraceId", traceId);
                    json.WriteString("environmentId", FunctionRecord.LocalEnvironmentId);
                    json.WriteString("projectId", FunctionRecord.LocalProjectId);
                    json.WriteString("organizationId", FunctionRecord.LocalOrganizationId);
                    if (reader.IsDBNull(2))
                    {
                        json.WriteNull("serviceName");
                    }
                    else
                    {
                        json.WriteString("serviceName", reader.GetString(2));
                    }

                    json.WriteNull("serviceVersion");
                    json.WritePropertyName("resourceAttributes");
                    json.WriteRawValue(reader.GetString(3));
                    json.WriteString("createdAt", SpanSearchQuery.Iso(reader.GetInt64(1)));
                    json.WriteEndObject();
                }
            }

            json.WriteEndArray();
            json.WriteNumber("total", total);
            json.WriteEndObject();
        }

        /// <summary>The fields <c>SpanDetail</c> adds to <c>SpanSearchResult</c>; JSON columns as JSON strings, as the Cloud sent them.</summary>
        private static void WriteDetailFields(Utf8JsonWriter json, DbDataReader reader)
        {
            void Text(string name, string? value)
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

            var attributes = reader.GetString(20);
            var events = reader.GetString(21);
            var failed = reader.GetInt32(25) != 0;
            var (errorType, errorMessage) = failed ? Error(attributes, events) : (null, null);
            Text("parentSpanId", reader.IsDBNull(16) ? null : reader.GetString(16));
            json.WriteString("environmentId", FunctionRecord.LocalEnvironmentId);
            json.WriteString("projectId", FunctionRecord.LocalProjectId);
            json.WriteString("organizationId", FunctionRecord.LocalOrganizationId);
            json.WriteString("endTime", SpanSearchQuery.Iso(reader.GetInt64(4)));
            json.WriteNumber("kind", reader.GetInt32(17));
            json.WriteNumber("statusCode", reader.GetInt32(18));
            Text("statusMessage", reader.IsDBNull(19) ? null : reader.GetString(19));
            Text("functionVersion", reader.IsDBNull(26) ? null : reader.GetString(26));
            Text("errorType", errorType ?? (failed ? "error" : null));
            Text("errorMessage", errorMessage ?? (failed && !reader.IsDBNull(19) ? reader.GetString(19) : null));
            json.WriteString("attributes", attributes);
            json.WriteString("events", events);
            Text("links", reader.IsDBNull(22) ? null : reader.GetString(22));
            json.WriteString("resourceAttributes", reader.GetString(23));
            Text("serviceName", reader.IsDBNull(24) ? null : reader.GetString(24));
            json.WriteNull("serviceVersion");
        }

        /// <summary>A failed span's error: <c>error.type</c>, else the <c>exception</c> event's type, and that event's message.</summary>
        private static (string? Type, string? Message) Error(string attributesJson, string eventsJson)
        {
            string? type = null, message = null;
            using (var attributes = JsonDocument.Parse(attributesJson))
            {
                if (attributes.RootElement.TryGetProperty("error.type", out var errorType) && errorType.ValueKind == JsonValueKind.String)
                {
                    type = errorType.GetString();
                }
            }

            using var events = JsonDocument.Parse(eventsJson);
            foreach (var item in events.RootElement.EnumerateArray())
            {
                if (item.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String && name.GetString() == "exception"
                    && item.TryGetProperty("attributes", out var eventAttributes) && eventAttributes.ValueKind == JsonValueKind.Object)
                {
                    if (type is null && eventAttributes.TryGetProperty("exception.type", out var exceptionType) && exceptionType.ValueKind == JsonValueKind.String)
                    {
                        type = exceptionType.GetString();
                    }

                    if (eventAttributes.TryGetProperty("exception.message", out var exceptionMessage) && exceptionMessage.ValueKind == JsonValueKind.String)
                    {
                        message = exceptionMessage.GetString();
                    }

                    break;
                }
            }

            return (type, message);
        }
    }
}
