using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests.Infrastructure
{
    /// <summary>
    /// A hand-made span with typed attributes (string, long, double, bool, string[]), a status and a service, for the
    /// function, cost, search and annotation tests.
    /// </summary>
    internal sealed record RichSpan(string TraceId, string SpanId, string? ParentSpanId, string Name, DateTime Start, double DurationMs,
        IReadOnlyDictionary<string, object>? Attributes = null, bool Failed = false, string Service = "books");

    /// <summary>Cloud-contract bodies of <see cref="RichSpan"/>s, one resource per service.</summary>
    internal static class RichSpans
    {
        public static string TraceId(string seed) => TraceStoreTests.TraceIdOf(seed);

        public static string SpanId(int n) => n.ToString("x16", CultureInfo.InvariantCulture);

        /// <summary>The attributes the runtime records on a <c>[Version]</c> method's span.</summary>
        public static Dictionary<string, object> Version(string hash, string signatureHash, string? name = null)
        {
            var attributes = new Dictionary<string, object>
            {
                ["mirascope.type"] = "trace",
                ["mirascope.version.hash"] = hash,
                ["mirascope.version.signature_hash"] = signatureHash,
                ["mirascope.version.version"] = "1.0",
            };
            if (name is not null)
            {
                attributes["mirascope.version.name"] = name;
            }

            return attributes;
        }

        /// <summary>The attributes of a gen_ai chat span (as Mirascope.Ops.Llm records them).</summary>
        public static Dictionary<string, object> Chat(string provider, string model, long input, long output, long cacheRead = 0) => new Dictionary<string, object>
        {
            ["gen_ai.operation.name"] = "chat",
            ["gen_ai.provider.name"] = provider,
            ["gen_ai.request.model"] = model,
            ["gen_ai.usage.input_tokens"] = input,
            ["gen_ai.usage.output_tokens"] = output,
            ["gen_ai.usage.cache_read.input_tokens"] = cacheRead,
        };

        public static byte[] Build(params RichSpan[] spans)
        {
            using var stream = new MemoryStream();
            using (var json = new Utf8JsonWriter(stream))
            {
                json.WriteStartObject();
                json.WriteStartArray("resourceSpans");
                foreach (var service in spans.GroupBy(s => s.Service))
                {
                    json.WriteStartObject();
                    json.WriteStartObject("resource");
                    json.WriteStartArray("attributes");
                    WriteAttribute(json, "service.name", service.Key);
                    json.WriteEndArray();
                    json.WriteEndObject();
                    json.WriteStartArray("scopeSpans");
                    json.WriteStartObject();
                    json.WriteStartObject("scope");
                    json.WriteString("name", "Mirascope.Ops");
                    json.WriteEndObject();
                    json.WriteStartArray("spans");
                    foreach (var span in service)
                    {
                        var start = long.Parse(CloudContractJson.Nanoseconds(span.Start), CultureInfo.InvariantCulture);
                        json.WriteStartObject();
                        json.WriteString("traceId", span.TraceId);
                        json.WriteString("spanId", span.SpanId);
                        if (span.ParentSpanId is not null)
                        {
                            json.WriteString("parentSpanId", span.ParentSpanId);
                        }

                        json.WriteString("name", span.Name);
                        json.WriteNumber("kind", 1);
                        json.WriteString("startTimeUnixNano", start.ToString(CultureInfo.InvariantCulture));
                        json.WriteString("endTimeUnixNano", (start + (long)(span.DurationMs * 1_000_000)).ToString(CultureInfo.InvariantCulture));
                        json.WriteStartArray("attributes");
                        foreach (var (key, value) in span.Attributes ?? new Dictionary<string, object>())
                        {
                            WriteAttribute(json, key, value);
                        }

                        json.WriteEndArray();
                        json.WriteStartArray("events");
                        json.WriteEndArray();
                        json.WriteStartObject("status");
                        json.WriteNumber("code", span.Failed ? 2 : 0);
                        json.WriteEndObject();
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                    json.WriteEndArray();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            return stream.ToArray();
        }

        public static async Task SendAsync(RunningViewer viewer, params RichSpan[] spans)
        {
            using var response = await CloudIngestTests.PostAsync(viewer, Build(spans), key: viewer.Options.ApiKey);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK && text == "{\"partialSuccess\":{}}", $"{(int)response.StatusCode}: {text}");
        }

        private static void WriteAttribute(Utf8JsonWriter json, string key, object value)
        {
            json.WriteStartObject();
            json.WriteString("key", key);
            json.WriteStartObject("value");
            switch (value)
            {
                case string text:
                    json.WriteString("stringValue", text);
                    break;
                case int or long:
                    json.WriteString("intValue", Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
                    break;
                case double number:
                    json.WriteNumber("doubleValue", number);
                    break;
                case bool flag:
                    json.WriteBoolean("boolValue", flag);
                    break;
                case string[] items:
                    json.WriteStartObject("arrayValue");
                    json.WriteStartArray("values");
                    foreach (var item in items)
                    {
                        json.WriteStartObject();
                        json.WriteString("stringValue", item);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                    break;
                default:
                    throw new ArgumentException($"no OTLP value for {value.GetType()}");
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }
    }
}
