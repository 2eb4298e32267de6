using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
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

        public static byte[] Build(params RichSpan[] spans) => OtlpJson.Body(json =>
        {
            foreach (var service in spans.GroupBy(s => s.Service))
            {
                OtlpJson.Resource(json, new[] { new KeyValuePair<string, object?>("service.name", service.Key) }, scopes => OtlpJson.Scope(scopes, "Mirascope.Ops", null, list =>
                {
                    foreach (var span in service)
                    {
                        var start = long.Parse(CloudContractJson.Nanoseconds(span.Start), CultureInfo.InvariantCulture);
                        list.WriteStartObject();
                        list.WriteString("traceId", span.TraceId);
                        list.WriteString("spanId", span.SpanId);
                        if (span.ParentSpanId is not null)
                        {
                            list.WriteString("parentSpanId", span.ParentSpanId);
                        }

                        list.WriteString("name", span.Name);
                        list.WriteNumber("kind", 1);
                        list.WriteString("startTimeUnixNano", start.ToString(CultureInfo.InvariantCulture));
                        list.WriteString("endTimeUnixNano", (start + (long)(span.DurationMs * 1_000_000)).ToString(CultureInfo.InvariantCulture));
                        OtlpJson.Attributes(list, "attributes", span.Attributes ?? new Dictionary<string, object>());
                        list.WriteStartArray("events");
                        list.WriteEndArray();
                        list.WriteStartObject("status");
                        list.WriteNumber("code", span.Failed ? 2 : 0);
                        list.WriteEndObject();
                        list.WriteEndObject();
                    }
                }));
            }
        });

        public static async Task SendAsync(RunningViewer viewer, params RichSpan[] spans)
        {
            using var response = await CloudIngestTests.PostAsync(viewer, Build(spans), key: viewer.Options.ApiKey);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK && text == "{\"partialSuccess\":{}}", $"{(int)response.StatusCode}: {text}");
        }
    }
}
