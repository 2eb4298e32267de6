using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace Mirascope.Ops.Viewer.Tests.Infrastructure
{
    /// <summary>
    /// Writes spans as the Mirascope Cloud exporter sends them (docs/configuration.md of the export branch, "Mirascope
    /// Cloud ingest contract"): OTLP/JSON camelCase, lowercase hex ids, parentSpanId left out for a root, kind as the OTLP
    /// number (ActivityKind + 1), times and intValue as decimal strings, status {code, message}, events always present,
    /// one resource, one scopeSpans per instrumentation scope.
    /// </summary>
    internal static class CloudContractJson
    {
        public static readonly KeyValuePair<string, object?>[] Resource =
        {
            new("service.name", "books"),
            new("telemetry.sdk.name", "opentelemetry"),
            new("telemetry.sdk.language", "dotnet"),
            new("telemetry.sdk.version", "1.20.1"),
            new("mirascope.ops.version", "0.1.0"),
        };

        public static byte[] Build(IEnumerable<Activity> spans) => OtlpJson.Body(json => OtlpJson.Resource(json, Resource, scopes =>
        {
            foreach (var scope in spans.GroupBy(s => (s.Source.Name, s.Source.Version)))
            {
                OtlpJson.Scope(scopes, scope.Key.Name, scope.Key.Version, list =>
                {
                    foreach (var span in scope)
                    {
                        WriteSpan(list, span);
                    }
                });
            }
        }));

        public static string Nanoseconds(DateTime utc) => ((utc - DateTime.UnixEpoch).Ticks * 100).ToString(CultureInfo.InvariantCulture);

        private static void WriteSpan(Utf8JsonWriter json, Activity span)
        {
            json.WriteStartObject();
            json.WriteString("traceId", span.TraceId.ToHexString());
            json.WriteString("spanId", span.SpanId.ToHexString());
            if (span.ParentSpanId != default)
            {
                json.WriteString("parentSpanId", span.ParentSpanId.ToHexString());
            }

            json.WriteString("name", span.DisplayName);
            json.WriteNumber("kind", (int)span.Kind + 1);
            json.WriteString("startTimeUnixNano", Nanoseconds(span.StartTimeUtc));
            json.WriteString("endTimeUnixNano", Nanoseconds(span.StartTimeUtc + span.Duration));
            OtlpJson.Attributes(json, "attributes", span.TagObjects);
            json.WriteStartArray("events");
            foreach (var spanEvent in span.Events)
            {
                json.WriteStartObject();
                json.WriteString("name", spanEvent.Name);
                json.WriteString("timeUnixNano", Nanoseconds(spanEvent.Timestamp.UtcDateTime));
                OtlpJson.Attributes(json, "attributes", spanEvent.Tags);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("status");
            json.WriteNumber("code", (int)span.Status);
            if (!string.IsNullOrEmpty(span.StatusDescription))
            {
                json.WriteString("message", span.StatusDescription);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }
    }
}
