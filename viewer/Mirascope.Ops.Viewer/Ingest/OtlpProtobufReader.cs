using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Mirascope.Ops.Viewer.Storage;
using Mirascope.Ops.Otlp.Protos.Common;
using Mirascope.Ops.Otlp.Protos.Resource;
using ProtoSpan = Mirascope.Ops.Otlp.Protos.Trace.Span;

namespace Mirascope.Ops.Viewer.Ingest
{
    /// <summary>Reads an OTLP/HTTP protobuf <c>ExportTraceServiceRequest</c> (what any OpenTelemetry SDK sends to <c>/v1/traces</c>).</summary>
    internal static class OtlpProtobufReader
    {
        // Field numbers of opentelemetry/proto/trace/v1/trace.proto and collector/trace/v1/trace_service.proto.
        private const int RequestResourceSpans = 1;
        private const int ResourceSpansResource = 1;
        private const int ResourceSpansScopeSpans = 2;
        private const int ScopeSpansScope = 1;
        private const int ScopeSpansSpans = 2;

        /// <summary>
        /// Parses the request one span at a time: a span the protobuf parser refuses is rejected alone (reported in
        /// <c>partialSuccess</c>); bytes that are not a request, or a resource or scope that cannot be parsed, make the body malformed.
        /// </summary>
        public static IngestBatch Read(ReadOnlyMemory<byte> body)
        {
            var batch = new IngestBatch();
            var r = 0;
            foreach (var resourceSpans in Fields(ByteString.CopyFrom(body.Span), RequestResourceSpans, "the body is not a protobuf ExportTraceServiceRequest"))
            {
                ReadResourceSpans(resourceSpans, $"resourceSpans[{r++}]", batch);
            }

            return batch;
        }

        private static void ReadResourceSpans(ByteString bytes, string path, IngestBatch batch)
        {
            var fields = AllFields(bytes, path + ": is not a protobuf ResourceSpans");
            var resource = new Resource();
            foreach (var (number, value) in fields)
            {
                if (number == ResourceSpansResource)
                {
                    Merge(resource, value, path + ".resource");   // a message field sent twice is merged, as protobuf does
                }
            }

            var resourceWriter = JsonText.Start();
            WriteKeyValues(resourceWriter, resource.Attributes);
            var resourceJson = JsonText.Finish(resourceWriter);
            string? serviceName = null;
            foreach (var attribute in resource.Attributes)
            {
                if (attribute.Key == "service.name" && attribute.Value?.ValueCase == AnyValue.ValueOneofCase.StringValue)
                {
                    serviceName = attribute.Value.StringValue;
                }
            }

            var s = 0;
            foreach (var (number, scopeSpans) in fields)
            {
                if (number != ResourceSpansScopeSpans)
                {
                    continue;
                }

                var scopePath = $"{path}.scopeSpans[{s++}]";
                var scopeFields = AllFields(scopeSpans, scopePath + ": is not a protobuf ScopeSpans");
                var scope = new InstrumentationScope();
                foreach (var (scopeNumber, value) in scopeFields)
                {
                    if (scopeNumber == ScopeSpansScope)
                    {
                        Merge(scope, value, scopePath + ".scope");
                    }
                }

                var i = 0;
                foreach (var (spanNumber, spanBytes) in scopeFields)
                {
                    if (spanNumber != ScopeSpansSpans)
                    {
                        continue;
                    }

                    var spanPath = $"{scopePath}.spans[{i++}]";
                    try
                    {
                        ProtoSpan span;
                        try
                        {
                            span = ProtoSpan.Parser.ParseFrom(spanBytes);
                        }
                        catch (InvalidProtocolBufferException exception)
                        {
                            throw new InvalidValueException(spanPath, "is not a valid protobuf Span: " + ProtobufFields.Problem(exception));
                        }

                        batch.Add(ReadSpan(span, spanPath, resourceJson, serviceName, scope.Name, scope.Version), spanPath);
                    }
                    catch (InvalidValueException exception)
                    {
                        batch.Reject(exception.Path, exception.Problem);
                    }
                }
            }
        }

        private static IEnumerable<ByteString> Fields(ByteString message, int number, string what)
        {
            foreach (var (fieldNumber, bytes) in AllFields(message, what))
            {
                if (fieldNumber == number)
                {
                    yield return bytes;
                }
            }
        }

        private static List<(int Number, ByteString Bytes)> AllFields(ByteString message, string what)
        {
            try
            {
                return ProtobufFields.LengthDelimited(message);
            }
            catch (InvalidProtocolBufferException exception)
            {
                throw new MalformedBodyException(what + ": " + ProtobufFields.Problem(exception), exception);
            }
        }

        private static void Merge(IMessage message, ByteString bytes, string path)
        {
            try
            {
                message.MergeFrom(bytes);
            }
            catch (InvalidProtocolBufferException exception)
            {
                throw new MalformedBodyException($"{path}: is not a valid protobuf {message.Descriptor.Name}: {ProtobufFields.Problem(exception)}", exception);
            }
        }

        private static IngestSpan ReadSpan(ProtoSpan span, string path, string resourceJson, string? serviceName, string? scopeName, string? scopeVersion)
        {
            var traceId = Id(span.TraceId, HexId.TraceIdLength, path + ".traceId");
            var spanId = Id(span.SpanId, HexId.SpanIdLength, path + ".spanId");
            var parent = span.ParentSpanId.IsEmpty ? null : Id(span.ParentSpanId, HexId.SpanIdLength, path + ".parentSpanId");
            var start = Nanoseconds(span.StartTimeUnixNano, path + ".startTimeUnixNano");
            var end = Nanoseconds(span.EndTimeUnixNano, path + ".endTimeUnixNano");
            if (end < start)
            {
                throw new InvalidValueException(path + ".endTimeUnixNano", $"is before startTimeUnixNano ({end} < {start})");
            }

            var kind = (int)span.Kind;
            var statusCode = span.Status is null ? 0 : (int)span.Status.Code;
            if (kind < 0 || kind > 5)
            {
                throw new InvalidValueException(path + ".kind", $"must be from 0 to 5, got {kind}");
            }

            if (statusCode < 0 || statusCode > 2)
            {
                throw new InvalidValueException(path + ".status.code", $"must be from 0 to 2, got {statusCode}");
            }

            var json = JsonText.Start();
            WriteKeyValues(json, span.Attributes);
            // The facts are read from the JSON just written, before the buffer is reused for the events.
            var facts = SpanFacts.ReadWritten(JsonText.Written(json), hasExceptionEvent: false, statusCode);
            var attributesJson = JsonText.Finish(json);

            var hasExceptionEvent = false;
            json = JsonText.Start();
            json.WriteStartArray();
            foreach (var spanEvent in span.Events)
            {
                hasExceptionEvent |= spanEvent.Name == "exception";
                json.WriteStartObject();
                json.WriteString("name", spanEvent.Name);
                json.WriteString("timeUnixNano", ((long)Math.Min(spanEvent.TimeUnixNano, long.MaxValue)).ToString(CultureInfo.InvariantCulture));
                json.WritePropertyName("attributes");
                WriteKeyValues(json, spanEvent.Attributes);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            var eventsJson = JsonText.Finish(json);

            string? linksJson = null;
            if (span.Links.Count > 0)
            {
                json = JsonText.Start();
                json.WriteStartArray();
                for (var l = 0; l < span.Links.Count; l++)
                {
                    var link = span.Links[l];
                    json.WriteStartObject();
                    json.WriteString("traceId", Id(link.TraceId, HexId.TraceIdLength, $"{path}.links[{l}].traceId"));
                    json.WriteString("spanId", Id(link.SpanId, HexId.SpanIdLength, $"{path}.links[{l}].spanId"));
                    json.WritePropertyName("attributes");
                    WriteKeyValues(json, link.Attributes);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                linksJson = JsonText.Finish(json);
            }

            return new IngestSpan
            {
                TraceId = traceId,
                SpanId = spanId,
                ParentSpanId = parent,
                TraceState = string.IsNullOrEmpty(span.TraceState) ? null : span.TraceState,
                Name = span.Name,
                Kind = kind,
                StartNs = start,
                EndNs = end,
                StatusCode = statusCode,
                StatusMessage = string.IsNullOrEmpty(span.Status?.Message) ? null : span.Status!.Message,
                AttributesJson = attributesJson,
                EventsJson = eventsJson,
                LinksJson = linksJson,
                Facts = hasExceptionEvent ? facts with { IsError = true } : facts,
                ResourceJson = resourceJson,
                ServiceName = serviceName,
                ScopeName = string.IsNullOrEmpty(scopeName) ? null : scopeName,
                ScopeVersion = string.IsNullOrEmpty(scopeVersion) ? null : scopeVersion,
            };
        }

        private static string Id(ByteString bytes, int length, string path)
        {
            if (bytes.IsEmpty)
            {
                throw new InvalidValueException(path, "is missing");
            }

            return HexId.FromBytes(bytes.Span, length, out var problem) ?? throw new InvalidValueException(path, problem!);
        }

        private static long Nanoseconds(ulong value, string path)
        {
            if (value == 0 || value > long.MaxValue)
            {
                throw new InvalidValueException(path, $"must be a positive number of Unix nanoseconds, got {value}");
            }

            return (long)value;
        }

        private static void WriteKeyValues(Utf8JsonWriter json, RepeatedField<KeyValue> pairs)
        {
            json.WriteStartObject();
            foreach (var pair in pairs)
            {
                json.WritePropertyName(pair.Key);
                WriteAnyValue(json, pair.Value);
            }

            json.WriteEndObject();
        }

        private static void WriteAnyValue(Utf8JsonWriter json, AnyValue? value)
        {
            switch (value?.ValueCase ?? AnyValue.ValueOneofCase.None)
            {
                case AnyValue.ValueOneofCase.StringValue:
                    json.WriteStringValue(value!.StringValue);
                    break;
                case AnyValue.ValueOneofCase.BoolValue:
                    json.WriteBooleanValue(value!.BoolValue);
                    break;
                case AnyValue.ValueOneofCase.IntValue:
                    json.WriteNumberValue(value!.IntValue);
                    break;
                case AnyValue.ValueOneofCase.DoubleValue:
                    var number = value!.DoubleValue;
                    if (double.IsFinite(number))
                    {
                        json.WriteNumberValue(number);
                    }
                    else
                    {
                        json.WriteStringValue(double.IsNaN(number) ? "NaN" : number > 0 ? "Infinity" : "-Infinity");
                    }

                    break;
                case AnyValue.ValueOneofCase.BytesValue:
                    json.WriteStringValue(value!.BytesValue.ToBase64());
                    break;
                case AnyValue.ValueOneofCase.ArrayValue:
                    json.WriteStartArray();
                    foreach (var item in value!.ArrayValue.Values)
                    {
                        WriteAnyValue(json, item);
                    }

                    json.WriteEndArray();
                    break;
                case AnyValue.ValueOneofCase.KvlistValue:
                    WriteKeyValues(json, value!.KvlistValue.Values);
                    break;
                default:
                    json.WriteNullValue();
                    break;
            }
        }
    }
}
