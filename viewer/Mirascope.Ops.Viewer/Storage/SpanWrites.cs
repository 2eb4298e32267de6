using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Linq;
using Mirascope.Ops.Viewer.Ingest;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>
    /// The span rows of one stored request, as statements of the writer's <see cref="SqlBatch"/>. Where the engine takes a
    /// whole request as arrays (<see cref="SqlDialect.ReplaceSpansFromArrays"/>: PostgreSQL's <c>unnest</c>), the request's
    /// spans are one statement with one array per column: the server plans and runs one insert instead of one per span,
    /// which was most of its time at ingest (issue 28, docs/benchmarks.md). Otherwise (SQLite, in the same process) one
    /// prepared insert per span, as before.
    /// <para>
    /// A span sent twice in one request is stored once, as the later copy where it stands (a row cannot be inserted and
    /// replaced by one statement); one insert per span gives the same row: the later copy, with the newer <c>seq</c>.
    /// </para>
    /// </summary>
    internal static class SpanWrites
    {
        /// <summary>The span columns every insert writes, in the order of <see cref="SqlDialect.ReplaceSpansFromArrays"/>'s arrays.</summary>
        public static readonly SqlText Columns = SqlText.Of($@"(trace_id, span_id, parent_span_id, trace_state, name, kind, start_ns, end_ns, status_code, status_message,
                 attributes, events, links, resource, service_name, scope_name, scope_version, session_id, tags, input_tokens, output_tokens, received_ms,
                 usage_source, cache_read_tokens, cache_write_tokens, provider, model, version_hash, version_name, is_error, response_id, environment_id)");

        /// <summary>The parameters of the one-row insert, named as the columns' arrays are.</summary>
        private static readonly string[] RowParameters = new[]
        {
            "@trace", "@span", "@parent", "@state", "@name", "@kind", "@start", "@end", "@status", "@message", "@attributes", "@events",
            "@links", "@resource", "@service", "@scope", "@scopeVersion", "@session", "@tags", "@received", "@environment",
        }.Concat(SpanFacts.ColumnParameters).ToArray();

        /// <summary>Adds the statements that store <paramref name="spans"/> (each replacing a stored copy) to <paramref name="writes"/>.</summary>
        public static void Add(SqlBatch writes, SqlDialect sql, IReadOnlyList<IngestSpan> spans, long receivedMs, string environmentId)
        {
            if (sql.ReplaceSpansFromArrays is { } arrays)
            {
                AddArrays(writes, arrays, spans, receivedMs, environmentId);
            }
            else
            {
                AddRows(writes, sql, spans, receivedMs, environmentId);
            }
        }

        /// <summary>The span's facts: the decoder's when it read them, else read from its attributes and events text.</summary>
        public static SpanFacts FactsOf(IngestSpan span) => span.Facts ?? SpanFacts.Read(span.AttributesJson, span.EventsJson, span.StatusCode);

        private static void AddRows(SqlBatch writes, SqlDialect sql, IReadOnlyList<IngestSpan> spans, long receivedMs, string environmentId)
        {
            var insertText = SqlText.Of($@"{sql.ReplaceSpanInto} {Columns}
                VALUES (@trace, @span, @parent, @state, @name, @kind, @start, @end, @status, @message,
                 @attributes, @events, @links, @resource, @service, @scope, @scopeVersion, @session, @tags, @input, @output, @received,
                 @usageSource, @cacheRead, @cacheWrite, @provider, @model, @versionHash, @versionName, @isError, @responseId, @environment) {sql.ReplaceSpanConflict}");
            var p = new Dictionary<string, DbParameter>();
            foreach (var span in spans)
            {
                var insert = writes.Add(insertText);
                foreach (var name in RowParameters)
                {
                    p[name] = insert.Parameter(name);
                }

                var facts = FactsOf(span);
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
                p["@received"].Value = receivedMs;
                p["@environment"].Value = environmentId;
                facts.Bind(p);
            }
        }

        private static void AddArrays(SqlBatch writes, SqlText insertText, IReadOnlyList<IngestSpan> spans, long receivedMs, string environmentId)
        {
            // The last copy of each (trace, span) in the request, where it stands.
            var last = new Dictionary<(string, string), int>();
            for (var i = 0; i < spans.Count; i++)
            {
                last[(spans[i].TraceId, spans[i].SpanId)] = i;
            }

            var n = last.Count;
            var trace = new string[n];
            var span = new string[n];
            var parent = new string?[n];
            var state = new string?[n];
            var name = new string[n];
            var kind = new int[n];
            var start = new long[n];
            var end = new long[n];
            var status = new int[n];
            var message = new string?[n];
            var attributes = new string[n];
            var events = new string[n];
            var links = new string?[n];
            var resource = new string[n];
            var service = new string?[n];
            var scope = new string?[n];
            var scopeVersion = new string?[n];
            var session = new string?[n];
            var tags = new string?[n];
            var input = new long?[n];
            var output = new long?[n];
            var usageSource = new int[n];
            var cacheRead = new long?[n];
            var cacheWrite = new long?[n];
            var provider = new string?[n];
            var model = new string?[n];
            var versionHash = new string?[n];
            var versionName = new string?[n];
            var isError = new int[n];
            var responseId = new string?[n];
            var row = 0;
            for (var i = 0; i < spans.Count; i++)
            {
                var s = spans[i];
                if (last[(s.TraceId, s.SpanId)] != i)
                {
                    continue;
                }

                var facts = FactsOf(s);
                trace[row] = s.TraceId;
                span[row] = s.SpanId;
                parent[row] = s.ParentSpanId;
                state[row] = s.TraceState;
                name[row] = s.Name;
                kind[row] = s.Kind;
                start[row] = s.StartNs;
                end[row] = s.EndNs;
                status[row] = s.StatusCode;
                message[row] = s.StatusMessage;
                attributes[row] = s.AttributesJson;
                events[row] = s.EventsJson;
                links[row] = s.LinksJson;
                resource[row] = s.ResourceJson;
                service[row] = s.ServiceName;
                scope[row] = s.ScopeName;
                scopeVersion[row] = s.ScopeVersion;
                session[row] = facts.SessionId;
                tags[row] = facts.TagsJson;
                input[row] = facts.InputTokens;
                output[row] = facts.OutputTokens;
                usageSource[row] = (int)facts.UsageSource;
                cacheRead[row] = facts.CacheReadTokens;
                cacheWrite[row] = facts.CacheWriteTokens;
                provider[row] = facts.Provider;
                model[row] = facts.Model;
                versionHash[row] = facts.VersionHash;
                versionName[row] = facts.VersionName;
                isError[row] = facts.IsError ? 1 : 0;
                responseId[row] = facts.ResponseId;
                row++;
            }

            writes.Add(insertText)
                .Bind("@trace", trace).Bind("@span", span).Bind("@parent", parent).Bind("@state", state).Bind("@name", name).Bind("@kind", kind)
                .Bind("@start", start).Bind("@end", end).Bind("@status", status).Bind("@message", message).Bind("@attributes", attributes)
                .Bind("@events", events).Bind("@links", links).Bind("@resource", resource).Bind("@service", service).Bind("@scope", scope)
                .Bind("@scopeVersion", scopeVersion).Bind("@session", session).Bind("@tags", tags).Bind("@input", input).Bind("@output", output)
                .Bind("@received", receivedMs).Bind("@usageSource", usageSource).Bind("@cacheRead", cacheRead).Bind("@cacheWrite", cacheWrite)
                .Bind("@provider", provider).Bind("@model", model).Bind("@versionHash", versionHash).Bind("@versionName", versionName)
                .Bind("@isError", isError).Bind("@responseId", responseId).Bind("@environment", environmentId);
        }
    }
}
