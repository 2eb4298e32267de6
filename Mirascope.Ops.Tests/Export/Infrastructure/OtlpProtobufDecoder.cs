using System.Collections.Generic;
using System.Linq;
using Google.Protobuf;
using Mirascope.Ops.Otlp.Protos.Collector;
using Mirascope.Ops.Otlp.Protos.Common;

namespace Mirascope.Ops.Tests.Export.Infrastructure
{
    /// <summary>Decodes an OTLP/HTTP protobuf body with the messages generated from this project's .proto files.</summary>
    public static class OtlpProtobufDecoder
    {
        public static List<ReceivedSpan> Decode(byte[] body, bool keepAttributes = true)
        {
            var request = ExportTraceServiceRequest.Parser.ParseFrom(body);
            var spans = new List<ReceivedSpan>();
            foreach (var resourceSpans in request.ResourceSpans)
            {
                var resource = Attributes(resourceSpans.Resource?.Attributes);
                foreach (var scopeSpans in resourceSpans.ScopeSpans)
                {
                    foreach (var span in scopeSpans.Spans)
                    {
                        spans.Add(new ReceivedSpan
                        {
                            Protocol = "otlp-protobuf",
                            TraceId = Hex(span.TraceId),
                            SpanId = Hex(span.SpanId),
                            ParentSpanId = span.ParentSpanId.IsEmpty ? null : Hex(span.ParentSpanId),
                            Name = span.Name,
                            Kind = (int)span.Kind,
                            StartTimeUnixNano = span.StartTimeUnixNano,
                            EndTimeUnixNano = span.EndTimeUnixNano,
                            Attributes = keepAttributes ? Attributes(span.Attributes) : new Dictionary<string, object?>(),
                            StatusCode = (int)(span.Status?.Code ?? 0),
                            StatusMessage = string.IsNullOrEmpty(span.Status?.Message) ? null : span.Status!.Message,
                            Events = span.Events.Select(e => new ReceivedEvent { Name = e.Name, TimeUnixNano = e.TimeUnixNano, Attributes = Attributes(e.Attributes) }).ToList(),
                            ScopeName = scopeSpans.Scope?.Name ?? "",
                            ScopeVersion = string.IsNullOrEmpty(scopeSpans.Scope?.Version) ? null : scopeSpans.Scope!.Version,
                            Resource = resource,
                        });
                    }
                }
            }

            return spans;
        }

        private static Dictionary<string, object?> Attributes(IEnumerable<KeyValue>? pairs)
        {
            var result = new Dictionary<string, object?>();
            foreach (var pair in pairs ?? Enumerable.Empty<KeyValue>())
            {
                result[pair.Key] = Value(pair.Value);
            }

            return result;
        }

        private static object? Value(AnyValue? value) => value?.ValueCase switch
        {
            AnyValue.ValueOneofCase.StringValue => value.StringValue,
            AnyValue.ValueOneofCase.BoolValue => value.BoolValue,
            AnyValue.ValueOneofCase.IntValue => value.IntValue,
            AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue,
            AnyValue.ValueOneofCase.ArrayValue => value.ArrayValue.Values.Select(Value).ToArray(),
            AnyValue.ValueOneofCase.KvlistValue => Attributes(value.KvlistValue.Values),
            AnyValue.ValueOneofCase.BytesValue => value.BytesValue.ToByteArray(),
            _ => null,
        };

        private static string Hex(ByteString bytes) => System.Convert.ToHexString(bytes.ToByteArray()).ToLowerInvariant();
    }
}
