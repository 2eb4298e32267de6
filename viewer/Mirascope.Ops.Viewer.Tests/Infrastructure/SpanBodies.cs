using System.Collections.Generic;

namespace Mirascope.Ops.Viewer.Tests.Infrastructure
{
    /// <summary>One span for <see cref="SpanBodies.Build"/>: ids as hex, string attributes only.</summary>
    internal sealed record TestSpan(string TraceId, string SpanId, string? ParentSpanId, string Name, long StartNs, long EndNs,
        IReadOnlyDictionary<string, string>? Attributes = null);

    /// <summary>Cloud-contract (OTLP/JSON) bodies of hand-made spans, for cases no real app produces on purpose.</summary>
    internal static class SpanBodies
    {
        public static byte[] Build(params TestSpan[] spans) => OtlpJson.Body(json => OtlpJson.Resource(json, null, scopes => OtlpJson.Scope(scopes, null, null, list =>
        {
            foreach (var span in spans)
            {
                list.WriteStartObject();
                list.WriteString("traceId", span.TraceId);
                list.WriteString("spanId", span.SpanId);
                if (span.ParentSpanId is not null)
                {
                    list.WriteString("parentSpanId", span.ParentSpanId);
                }

                list.WriteString("name", span.Name);
                list.WriteString("startTimeUnixNano", span.StartNs.ToString(System.Globalization.CultureInfo.InvariantCulture));
                list.WriteString("endTimeUnixNano", span.EndNs.ToString(System.Globalization.CultureInfo.InvariantCulture));
                OtlpJson.Attributes(list, "attributes", span.Attributes ?? new Dictionary<string, string>());
                list.WriteEndObject();
            }
        })));
    }
}
