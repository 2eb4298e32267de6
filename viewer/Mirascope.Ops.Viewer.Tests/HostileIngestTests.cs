using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Google.Protobuf;
using Mirascope.Ops.Otlp.Protos.Collector;
using Mirascope.Ops.Otlp.Protos.Common;
using Mirascope.Ops.Otlp.Protos.Trace;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;
using ProtoSpan = Mirascope.Ops.Otlp.Protos.Trace.Span;
using RpcStatus = Mirascope.Ops.Otlp.Protos.Rpc.Status;

namespace Mirascope.Ops.Viewer.Tests
{
    /// <summary>
    /// Bodies a broken or hostile sender produces (issue 17): each gets a 4xx that says why, or the offending span is
    /// rejected through <c>partialSuccess</c> while the others are stored. Never a 500, never a valid span lost.
    /// </summary>
    public sealed class HostileIngestTests
    {
        private const string TraceId = "5b8efff798038103d269b633813fc60c";

        /// <summary>Three spans of one trace; the middle one carries <paramref name="middle"/> as extra JSON members.</summary>
        private static byte[] ThreeSpans(byte[] middle, string resourceAttributes = "[]") => ThreeSpans(middle, Encoding.UTF8.GetBytes(resourceAttributes));

        private static byte[] ThreeSpans(byte[] middle, byte[] resourceAttributes)
        {
            static string Span(int n, string extra) =>
                $@"{{""traceId"":""{TraceId}"",""spanId"":""00000000000000a{n}"",""name"":""span {n}"",""startTimeUnixNano"":""10"",""endTimeUnixNano"":""20""{extra}}}";

            var body = new System.Collections.Generic.List<byte>();
            body.AddRange(Encoding.UTF8.GetBytes(@"{""resourceSpans"":[{""resource"":{""attributes"":"));
            body.AddRange(resourceAttributes);
            body.AddRange(Encoding.UTF8.GetBytes(@"},""scopeSpans"":[{""spans"":[" + Span(1, "") + ","));
            var second = Span(2, ",MIDDLE");
            var cut = second.IndexOf("MIDDLE", StringComparison.Ordinal);
            body.AddRange(Encoding.UTF8.GetBytes(second.Substring(0, cut)));
            body.AddRange(middle);
            body.AddRange(Encoding.UTF8.GetBytes(second.Substring(cut + "MIDDLE".Length) + "," + Span(3, "") + "]}]}]}"));
            return body.ToArray();
        }

        private static byte[] ThreeSpans(string middle, string resourceAttributes = "[]") => ThreeSpans(Encoding.UTF8.GetBytes(middle), resourceAttributes);

        private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

        private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

        public static TheoryData<string, byte[], string> SpanLevelProblems => new()
        {
            // 0xFF can never occur in UTF-8; 0xC3 0x28 is a lead byte followed by a non-continuation byte.
            { "/api/v2/traces", Concat(Utf8(@"""attributes"":[{""key"":""note"",""value"":{""stringValue"":""bad "), new byte[] { 0xFF, 0xC3, 0x28 }, Utf8(@"""}}]")),
                "resourceSpans[0].scopeSpans[0].spans[1].attributes[0].value.stringValue: is not valid UTF-8" },
            { "/v1/traces", Concat(Utf8(@"""attributes"":[{""key"":""note"",""value"":{""stringValue"":""bad "), new byte[] { 0xFF }, Utf8(@"""}}]")),
                "resourceSpans[0].scopeSpans[0].spans[1].attributes[0].value.stringValue: is not valid UTF-8" },
            // Valid JSON, but no Unicode text: a high surrogate with no low surrogate after it.
            { "/api/v2/traces", Utf8(@"""attributes"":[{""key"":""note"",""value"":{""stringValue"":""x\ud800y""}}]"),
                "resourceSpans[0].scopeSpans[0].spans[1].attributes[0].value.stringValue: holds an escaped lone surrogate" },
            { "/v1/traces", Utf8(@"""attributes"":[{""key"":""\udc00"",""value"":{""stringValue"":""fine""}}]"),
                "resourceSpans[0].scopeSpans[0].spans[1].attributes[0].key: holds an escaped lone surrogate" },
            { "/api/v2/traces", Utf8(@"""traceState"":""\ud800"""), "resourceSpans[0].scopeSpans[0].spans[1].traceState: holds an escaped lone surrogate" },
            // Wrong types and out-of-range numbers inside a span.
            { "/api/v2/traces", Utf8(@"""attributes"":[{""key"":""ratio"",""value"":{""doubleValue"":1e400}}]"),
                "resourceSpans[0].scopeSpans[0].spans[1].attributes[0].value.doubleValue: must be a number" },
            { "/api/v2/traces", Utf8(@"""attributes"":[{""key"":""n"",""value"":{""intValue"":""99999999999999999999""}}]"),
                "resourceSpans[0].scopeSpans[0].spans[1].attributes[0].value.intValue: must be a 64-bit integer" },
            { "/api/v2/traces", Utf8(@"""events"":[{""name"":""e"",""timeUnixNano"":1.5}]"),
                "resourceSpans[0].scopeSpans[0].spans[1].events[0].timeUnixNano: must be a 64-bit integer" },
            { "/api/v2/traces", Utf8(@"""attributes"":{""key"":""x""}"), "resourceSpans[0].scopeSpans[0].spans[1].attributes: must be an array, got an object" },
            { "/api/v2/traces", Utf8(@"""kind"":1e10"), "resourceSpans[0].scopeSpans[0].spans[1].kind: must be a number from 0 to 5" },
            { "/api/v2/traces", Utf8(@"""status"":""\ud800"""), "resourceSpans[0].scopeSpans[0].spans[1].status: must be an object, got a string that is not valid Unicode" },
            // An attribute nested deeper than the reader converts (an array in an array ... 41 and 75 times, a kvlist 45 times): that span only.
            { "/api/v2/traces", Utf8(Nested(41)), DeepPath + ": nests deeper than 40 levels" },
            { "/v1/traces", Utf8(Nested(75)), DeepPath + ": nests deeper than 40 levels" },
            { "/v1/traces", Utf8(@"""attributes"":[{""key"":""deep"",""value"":" + string.Concat(Enumerable.Repeat(@"{""kvlistValue"":{""values"":[{""key"":""k"",""value"":", 45))
                + @"{""stringValue"":""bottom""}" + string.Concat(Enumerable.Repeat("}]}}", 45)) + "}]"),
                "resourceSpans[0].scopeSpans[0].spans[1].attributes[0].value" + string.Concat(Enumerable.Repeat(".kvlistValue.values[0].value", 40)) + ": nests deeper than 40 levels" },
        };

        /// <summary>The path of the first value past the limit in <see cref="Nested"/>.</summary>
        private static readonly string DeepPath = "resourceSpans[0].scopeSpans[0].spans[1].attributes[0].value" + string.Concat(Enumerable.Repeat(".arrayValue.values[0]", 40));

        /// <summary>An attribute whose value is an array in an array ... <paramref name="levels"/> deep, around a string.</summary>
        private static string Nested(int levels) =>
            @"""attributes"":[{""key"":""deep"",""value"":" + string.Concat(Enumerable.Repeat(@"{""arrayValue"":{""values"":[", levels - 1))
            + @"{""stringValue"":""bottom""}" + string.Concat(Enumerable.Repeat("]}}", levels - 1)) + "}]";

        [Theory]
        [MemberData(nameof(SpanLevelProblems))]
        public async Task A_span_with_text_that_is_not_Unicode_or_a_wrongly_typed_field_is_rejected_alone_and_the_others_are_stored(string path, byte[] middle, string reason)
        {
            await using var viewer = await RunningViewer.StartAsync();

            using var response = await PostJsonAsync(viewer, path, ThreeSpans(middle));

            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
            using var answer = JsonDocument.Parse(text);
            var partial = answer.RootElement.GetProperty("partialSuccess");
            Assert.Equal("1", partial.GetProperty("rejectedSpans").GetString());
            Assert.StartsWith("1 span was rejected: " + reason, partial.GetProperty("errorMessage").GetString());
            await AssertStoredAsync(viewer, "span 1", "span 3");
        }

        public static TheoryData<byte[], string> BodyLevelProblems => new()
        {
            // Outside any span there is no span to reject: the body is refused, naming the field.
            { ThreeSpans("\"a\":1", @"[{""key"":""service.name"",""value"":{""stringValue"":""\ud800""}}]"),
                "resourceSpans[0].resource.attributes[0].value.stringValue: holds an escaped lone surrogate" },
            { ThreeSpans(Utf8("\"a\":1"), "[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"\xFF\"}}]".Select(c => (byte)c).ToArray()),
                "resourceSpans[0].resource.attributes[0].value.stringValue: is not valid UTF-8" },
            // A body deeper than the document is parsed (an array in an array ... 200 times, 600 JSON levels): refused whole.
            { ThreeSpans(Nested(200)), "the body nests deeper than 256 levels" },
            { Utf8(@"{""resourceSpans"":[1]}"), "resourceSpans[0]: must be an object, got the number 1" },
            { Utf8(@"{""resourceSpans"":[{""scopeSpans"":[{""scope"":{""name"":7}}]}]}"), "resourceSpans[0].scopeSpans[0].scope.name: must be a string, got the number 7" },
            { Utf8("\"just a string\""), "the body must be a JSON object" },
            { Array.Empty<byte>(), "the body is empty" },
        };

        [Theory]
        [MemberData(nameof(BodyLevelProblems))]
        public async Task A_body_that_cannot_be_read_as_a_whole_is_refused_with_400_and_says_where_and_why(byte[] body, string message)
        {
            await using var viewer = await RunningViewer.StartAsync();

            foreach (var path in new[] { "/api/v2/traces", "/v1/traces" })
            {
                using var response = await PostJsonAsync(viewer, path, body);

                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path}: {(int)response.StatusCode}: {text}");
                using var error = JsonDocument.Parse(text);
                Assert.Equal(3, error.RootElement.GetProperty("code").GetInt32());
                Assert.StartsWith(message, error.RootElement.GetProperty("message").GetString());
            }

            Assert.Equal((0, 0), viewer.Store.Count());
        }

        [Theory]
        [InlineData("/api/v2/traces")]
        [InlineData("/v1/traces")]
        public async Task An_attribute_nested_exactly_as_deep_as_the_limit_is_stored_whole(string path)
        {
            await using var viewer = await RunningViewer.StartAsync();

            using var response = await PostJsonAsync(viewer, path, ThreeSpans(Nested(40)));

            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK && text == "{\"partialSuccess\":{}}", $"{(int)response.StatusCode}: {text}");
            await AssertStoredAsync(viewer, "span 1", "span 2", "span 3");
            var middle = (await viewer.GetJsonAsync("api/traces/" + TraceId)).GetProperty("spans")[1].GetProperty("attributes").GetProperty("deep");
            for (var level = 1; level < 40; level++)
            {
                middle = Assert.Single(middle.EnumerateArray());
            }

            Assert.Equal("bottom", middle.GetString());
        }

        [Theory]
        [InlineData("/api/v2/traces")]
        [InlineData("/v1/traces")]
        public async Task A_span_sent_twice_in_one_JSON_request_is_stored_once_from_its_first_copy_and_the_repeat_is_counted_and_named(string path)
        {
            await using var viewer = await RunningViewer.StartAsync();
            var body = ThreeSpans(Utf8(@"""attributes"":[]"));
            var text = Encoding.UTF8.GetString(body).Replace(@"""spanId"":""00000000000000a3"",""name"":""span 3""", @"""spanId"":""00000000000000a1"",""name"":""span 1 again""", StringComparison.Ordinal);

            using var response = await PostJsonAsync(viewer, path, Utf8(text));

            var answer = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {answer}");
            var partial = JsonDocument.Parse(answer).RootElement.GetProperty("partialSuccess");
            Assert.Equal("1", partial.GetProperty("rejectedSpans").GetString());
            Assert.Equal("1 span was rejected: resourceSpans[0].scopeSpans[0].spans[2]: repeats span 00000000000000a1 of trace " + TraceId
                + ", already sent at resourceSpans[0].scopeSpans[0].spans[0] in this request (the first copy was kept)", partial.GetProperty("errorMessage").GetString());
            await AssertStoredAsync(viewer, "span 1", "span 2");
        }

        [Fact]
        public async Task A_span_sent_twice_in_one_protobuf_request_is_stored_once_from_its_first_copy_and_the_repeat_is_counted_and_named()
        {
            await using var viewer = await RunningViewer.StartAsync();
            var again = ProtoSpanNamed(1, "span 1 again");
            var request = new ExportTraceServiceRequest
            {
                ResourceSpans =
                {
                    new ResourceSpans { ScopeSpans = { new ScopeSpans { Spans = { ProtoSpanNamed(1, "span 1"), ProtoSpanNamed(2, "span 2") } } } },
                    new ResourceSpans { ScopeSpans = { new ScopeSpans { Spans = { again } } } },
                },
            };

            using var response = await PostProtobufAsync(viewer, request.ToByteArray());

            Assert.True(response.StatusCode == HttpStatusCode.OK, RpcStatus.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync()).Message);
            var answer = ExportTraceServiceResponse.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync());
            Assert.Equal(1, answer.PartialSuccess.RejectedSpans);
            Assert.Equal("1 span was rejected: resourceSpans[1].scopeSpans[0].spans[0]: repeats span 00000000000000a1 of trace " + TraceId
                + ", already sent at resourceSpans[0].scopeSpans[0].spans[0] in this request (the first copy was kept)", answer.PartialSuccess.ErrorMessage);
            await AssertStoredAsync(viewer, "span 1", "span 2");
        }

        [Fact]
        public async Task A_protobuf_span_whose_string_is_not_UTF_8_is_rejected_alone_and_the_others_are_stored()
        {
            await using var viewer = await RunningViewer.StartAsync();
            var request = new ExportTraceServiceRequest
            {
                ResourceSpans = { new ResourceSpans { ScopeSpans = { new ScopeSpans { Spans = { ProtoSpanNamed(1, "span 1"), ProtoSpanNamed(2, "MIDDLE"), ProtoSpanNamed(3, "span 3") } } } } },
            };

            // Google.Protobuf writes a string as UTF-8; the bytes of the middle name are swapped for ones that are not.
            var bytes = request.ToByteArray();
            var at = IndexOf(bytes, Encoding.ASCII.GetBytes("MIDDLE"));
            bytes[at] = 0xFF;
            bytes[at + 1] = 0xFE;

            using var response = await PostProtobufAsync(viewer, bytes);

            Assert.True(response.StatusCode == HttpStatusCode.OK, RpcStatus.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync()).Message);
            var answer = ExportTraceServiceResponse.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync());
            Assert.Equal(1, answer.PartialSuccess.RejectedSpans);
            Assert.Equal("1 span was rejected: resourceSpans[0].scopeSpans[0].spans[1]: is not a valid protobuf Span: String is invalid UTF-8", answer.PartialSuccess.ErrorMessage);
            await AssertStoredAsync(viewer, "span 1", "span 3");
        }

        [Fact]
        public async Task A_protobuf_span_nested_deeper_than_protobuf_allows_is_rejected_alone_and_the_others_are_stored()
        {
            await using var viewer = await RunningViewer.StartAsync();
            var value = new AnyValue { StringValue = "bottom" };
            for (var i = 0; i < 150; i++)
            {
                value = new AnyValue { ArrayValue = new ArrayValue { Values = { value } } };
            }

            var deep = ProtoSpanNamed(2, "deep");
            deep.Attributes.Add(new KeyValue { Key = "deep", Value = value });
            var request = new ExportTraceServiceRequest
            {
                ResourceSpans = { new ResourceSpans { ScopeSpans = { new ScopeSpans { Spans = { ProtoSpanNamed(1, "span 1"), deep, ProtoSpanNamed(3, "span 3") } } } } },
            };

            using var response = await PostProtobufAsync(viewer, request.ToByteArray());

            Assert.True(response.StatusCode == HttpStatusCode.OK, RpcStatus.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync()).Message);
            var answer = ExportTraceServiceResponse.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync());
            Assert.Equal(1, answer.PartialSuccess.RejectedSpans);
            Assert.Equal("1 span was rejected: resourceSpans[0].scopeSpans[0].spans[1]: is not a valid protobuf Span: nests deeper than the 100 levels protobuf parsing allows",
                answer.PartialSuccess.ErrorMessage);
            await AssertStoredAsync(viewer, "span 1", "span 3");
        }

        [Fact]
        public async Task A_protobuf_resource_whose_string_is_not_UTF_8_refuses_the_body_with_400_naming_the_resource()
        {
            await using var viewer = await RunningViewer.StartAsync();
            var request = new ExportTraceServiceRequest
            {
                ResourceSpans =
                {
                    new ResourceSpans
                    {
                        Resource = new Mirascope.Ops.Otlp.Protos.Resource.Resource { Attributes = { new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = "MIDDLE" } } } },
                        ScopeSpans = { new ScopeSpans { Spans = { ProtoSpanNamed(1, "span 1") } } },
                    },
                },
            };
            var bytes = request.ToByteArray();
            bytes[IndexOf(bytes, Encoding.ASCII.GetBytes("MIDDLE"))] = 0xC3;   // a lead byte followed by "I", not a continuation byte

            using var response = await PostProtobufAsync(viewer, bytes);

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var status = RpcStatus.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync());
            Assert.Equal("resourceSpans[0].resource: is not a valid protobuf Resource: String is invalid UTF-8", status.Message);
            Assert.Equal((0, 0), viewer.Store.Count());
        }

        private static async Task AssertStoredAsync(RunningViewer viewer, params string[] names)
        {
            var stored = (await viewer.GetJsonAsync("api/traces/" + TraceId)).GetProperty("spans").EnumerateArray().Select(s => s.GetProperty("name").GetString());
            Assert.Equal(names, stored);
            Assert.Equal((1, names.Length), viewer.Store.Count());
        }

        private static ProtoSpan ProtoSpanNamed(int n, string name) => new ProtoSpan
        {
            TraceId = ByteString.CopyFrom(Convert.FromHexString(TraceId)),
            SpanId = ByteString.CopyFrom(Convert.FromHexString("00000000000000a" + n)),
            Name = name,
            StartTimeUnixNano = 10,
            EndTimeUnixNano = 20,
        };

        private static int IndexOf(byte[] haystack, byte[] needle)
        {
            for (var i = 0; i <= haystack.Length - needle.Length; i++)
            {
                if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
                {
                    return i;
                }
            }

            throw new InvalidOperationException("not found");
        }

        internal static async Task<HttpResponseMessage> PostJsonAsync(RunningViewer viewer, string path, byte[] body)
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return await viewer.Http.PostAsync(path.TrimStart('/'), content);
        }

        private static async Task<HttpResponseMessage> PostProtobufAsync(RunningViewer viewer, byte[] body)
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
            return await viewer.Http.PostAsync("v1/traces", content);
        }
    }
}
