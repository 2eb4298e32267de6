using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Mirascope.Ops.Otlp.Protos.Collector;
using Mirascope.Ops.Otlp.Protos.Common;
using Mirascope.Ops.Otlp.Protos.Resource;
using Mirascope.Ops.Otlp.Protos.Trace;
using Mirascope.Ops.Viewer.Ingest;
using Mirascope.Ops.Viewer.Storage;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;
using ProtoSpan = Mirascope.Ops.Otlp.Protos.Trace.Span;

namespace Mirascope.Ops.Viewer.Tests
{
    /// <summary>
    /// The ingest path's output, byte for byte: a fixed set of OTLP requests (protobuf and JSON; every value kind, duplicate
    /// keys, escapes, events, links, every usage form, versions, tags, sessions, rejected and repeated spans) is decoded and
    /// stored, and every stored column of <c>spans</c> and <c>traces</c> plus each request's rejection message must equal
    /// what the viewer stored before the ingest path was made cheaper (issue 28 item 6). The expected rows in
    /// <c>Golden/</c> were written by the viewer of main <c>22c082a</c>; a change that moves one byte fails here.
    /// Run with <c>MIRASCOPE_VIEWER_WRITE_GOLDEN=1</c> only to record a deliberate change of the stored form.
    /// </summary>
    public sealed class IngestGoldenRowsTests : IDisposable
    {
        private static readonly DateTimeOffset ReceivedAt = new DateTimeOffset(2026, 12, 8, 3, 0, 0, TimeSpan.Zero);

        private readonly string _folder = Path.Combine(Path.GetTempPath(), "mirascope-viewer-tests", Guid.NewGuid().ToString("N"));

        [Fact]
        public void Every_stored_column_of_a_fixed_set_of_requests_is_byte_identical_to_what_main_stored()
        {
            var store = new TraceStore(TestStore.NewLocation(_folder));
            var actual = new StringBuilder();
            var r = 0;
            foreach (var (protobuf, body) in Requests())
            {
                var batch = protobuf ? OtlpProtobufReader.Read(body) : OtlpJsonReader.Read(body);
                actual.Append("request ").Append(r++).Append(": ").Append(batch.Spans.Count).Append(" spans; ")
                    .Append(batch.RejectionMessage() ?? "nothing rejected").Append('\n');
                store.Store(batch.Spans, ReceivedAt);
            }

            foreach (var table in new[] { "spans", "traces" })
            {
                foreach (var row in Rows(store, table))
                {
                    actual.Append(table).Append(": ").Append(row).Append('\n');
                }
            }

            var golden = GoldenFile();
            if (Environment.GetEnvironmentVariable("MIRASCOPE_VIEWER_WRITE_GOLDEN") == "1")
            {
                File.WriteAllText(golden, actual.ToString(), new UTF8Encoding(false));
            }

            var expected = File.ReadAllText(golden, Encoding.UTF8).Split('\n');
            var lines = actual.ToString().Split('\n');
            for (var i = 0; i < Math.Min(expected.Length, lines.Length); i++)
            {
                Assert.True(expected[i] == lines[i], $"line {i + 1} of {Path.GetFileName(golden)} differs:\nexpected: {expected[i]}\nactual:   {lines[i]}");
            }

            Assert.Equal(expected.Length, lines.Length);
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
            }
        }

        /// <summary>
        /// The decoders read a span's facts from the attribute bytes they just wrote (<c>SpanFacts.ReadWritten</c>); stored
        /// spans are read again from their text (<c>SpanFacts.Read</c>: migrations, spans made another way). The two readers
        /// are two codings of one rule, so every span of the fixed requests must get the same facts from both, or a store's
        /// migrated columns would disagree with ingest's.
        /// </summary>
        [Fact]
        public void The_facts_read_at_decoding_equal_the_facts_read_again_from_the_stored_text()
        {
            var spans = 0;
            foreach (var (protobuf, body) in Requests().Append((false, FactsCases())))
            {
                var batch = protobuf ? OtlpProtobufReader.Read(body) : OtlpJsonReader.Read(body);
                foreach (var span in batch.Spans)
                {
                    Assert.NotNull(span.Facts);
                    var read = SpanFacts.Read(span.AttributesJson, span.EventsJson, span.StatusCode);
                    Assert.True(read.Equals(span.Facts!.Value),
                        $"span {span.Name}:\nread again: {JsonSerializer.Serialize(read)}\ndecoded:    {JsonSerializer.Serialize(span.Facts.Value)}");
                    spans++;
                }
            }

            Assert.True(spans >= 24, $"only {spans} spans decoded");
        }

        /// <summary>
        /// Spans for the facts' rules alone (not in the golden rows): each names several of the keys one fact is taken from
        /// (the model, the provider, the usage and its cache counts, the operation), so either reader taking them in another
        /// order gives other facts.
        /// </summary>
        private static byte[] FactsCases()
        {
            static string S(string key, string value) => $$$"""{"key":{{{JsonSerializer.Serialize(key)}}},"value":{"stringValue":{{{JsonSerializer.Serialize(value)}}}}}""";
            static string I(string key, long value) => $$$"""{"key":{{{JsonSerializer.Serialize(key)}}},"value":{"intValue":"{{{value}}}"}}""";
            var cases = new[]
            {
                new[] { S("mirascope.response.model_id", "m1"), S("gen_ai.response.model", "m2"), S("gen_ai.request.model", "m3") },
                new[] { S("gen_ai.request.model", "m3"), S("gen_ai.response.model", "m2") },
                new[] { S("gen_ai.system", "p3"), S("gen_ai.provider.name", "p2"), S("mirascope.response.provider_id", "p1") },
                new[] { S("gen_ai.system", "p3"), S("gen_ai.provider.name", "p2") },
                new[] { I("gen_ai.usage.input_tokens", 5), I("gen_ai.usage.output_tokens", 6),
                    S("mirascope.response.usage", """{"input_tokens":1,"output_tokens":2,"cache_read_tokens":3,"cache_write_tokens":4}""") },
                new[] { S("mirascope.response.usage", """{"input_tokens":1,"output_tokens":2,"cache_read_tokens":3}"""), S("gen_ai.response.id", "r0") },
                new[] { """{"key":"mirascope.response.usage","value":{"kvlistValue":{"values":[{"key":"output_tokens","value":{"intValue":"9"}}]}}}""" },
                new[] { S("mirascope.response.usage", "not json"), I("gen_ai.usage.output_tokens", 2) },
                new[] { I("gen_ai.usage.input_tokens", 5), S("gen_ai.operation.name", "invoke_agent"), S("gen_ai.response.id", "r1") },
                new[] { I("gen_ai.usage.output_tokens", 1), I("gen_ai.usage.cache_read.input_tokens", 7), I("gen_ai.usage.cache_creation.input_tokens", 8) },
                new[] { I("gen_ai.usage.input_tokens", 3), I("gen_ai.usage.cache_write.input_tokens", 4), I("gen_ai.usage.cache_creation.input_tokens", 8) },
                new[] { S("mirascope.ops.session.id", ""), S("mirascope.version.hash", "h"), S("mirascope.version.name", "n") },
            };
            var spans = cases.Select((attributes, i) => $$"""
                {"traceId":"abababababababababababababababab","spanId":"{{i + 1:x16}}","name":"case {{i}}","startTimeUnixNano":"1","endTimeUnixNano":"2",
                 "status":{"code":{{i % 3}}},"attributes":[{{string.Join(",", attributes)}}]}
                """);
            return Encoding.UTF8.GetBytes($$"""{"resourceSpans":[{"resource":{},"scopeSpans":[{"spans":[{{string.Join(",", spans)}}]}]}]}""");
        }

        /// <summary>One file per engine: PostgreSQL hands some column types back as other .NET types than SQLite.</summary>
        private static string GoldenFile([CallerFilePath] string path = "") =>
            Path.Combine(Path.GetDirectoryName(path)!, "Golden", TestStore.OnPostgres ? "ingest-rows.postgres.txt" : "ingest-rows.sqlite.txt");

        /// <summary>Every column but the sequence numbers (an engine's counter, not the span's content), by name; the rows sorted.</summary>
        private static List<string> Rows(TraceStore store, string table)
        {
            using var connection = store.Open();
            using var select = connection.CreateCommand();
            select.CommandText = "SELECT * FROM " + table;   // a constant of this test
            using var reader = select.ExecuteReader();
            var rows = new List<string>();
            while (reader.Read())
            {
                // The columns by name: a table rebuilt by a migration may hold them in another order (SQLite's schema 12).
                var columns = new SortedDictionary<string, string>(StringComparer.Ordinal);
                for (var c = 0; c < reader.FieldCount; c++)
                {
                    var name = reader.GetName(c);
                    if (name is "seq" or "last_seq")
                    {
                        continue;
                    }

                    var value = reader.IsDBNull(c) ? "NULL" : Convert.ToString(reader.GetValue(c), CultureInfo.InvariantCulture)!;
                    columns[name] = value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
                }

                var row = new StringBuilder();
                foreach (var (name, value) in columns)
                {
                    row.Append(name).Append('=').Append(value).Append(" | ");
                }

                rows.Add(row.ToString());
            }

            rows.Sort(StringComparer.Ordinal);
            return rows;
        }

        private static IEnumerable<(bool Protobuf, byte[] Body)> Requests()
        {
            yield return (false, Encoding.UTF8.GetBytes(CloudJson));
            yield return (false, Encoding.UTF8.GetBytes(SnakeCaseJson));
            yield return (true, ProtobufRequest().ToByteArray());
        }

        private const string Trace1 = "0123456789abcdef0123456789abcdef";
        private const string Trace2 = "FEDCBA9876543210FEDCBA9876543210";

        /// <summary>The Cloud exporter's shape (camelCase), with every value kind and every fact the lists read.</summary>
        private const string CloudJson = """
        {"resourceSpans":[
         {"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"books"}},{"key":"host.cores","value":{"intValue":"2"}},
           {"key":"deploy","value":{"kvlistValue":{"values":[{"key":"region","value":{"stringValue":"eu-ü"}},{"key":"n","value":{"doubleValue":0.25}}]}}}]},
          "scopeSpans":[{"scope":{"name":"Mirascope.Ops","version":"1.2.3"},"spans":[
           {"traceId":"0123456789abcdef0123456789abcdef","spanId":"00000000000000a1","name":"recommend_book","kind":"SPAN_KIND_SERVER",
            "startTimeUnixNano":"1765000000000000000","endTimeUnixNano":"1765000000500000000","traceState":"k=v",
            "status":{"code":"STATUS_CODE_ERROR","message":"it broke"},
            "attributes":[
             {"key":"mirascope.type","value":{"stringValue":"trace"}},
             {"key":"mirascope.version.hash","value":{"stringValue":"hash-1"}},
             {"key":"mirascope.version.name","value":{"stringValue":"recommend"}},
             {"key":"mirascope.ops.session.id","value":{"stringValue":"session-7"}},
             {"key":"mirascope.trace.tags","value":{"arrayValue":{"values":[{"stringValue":"b"},{"stringValue":""},{"intValue":"3"},{"stringValue":"é \"q\""},{"stringValue":"a"}]}}},
             {"key":"count","value":{"intValue":"42"}},
             {"key":"count_number","value":{"intValue":7}},
             {"key":"ratio","value":{"doubleValue":1.5}},
             {"key":"whole","value":{"doubleValue":5}},
             {"key":"big","value":{"doubleValue":1e300}},
             {"key":"nan","value":{"doubleValue":"NaN"}},
             {"key":"inf","value":{"doubleValue":"-Infinity"}},
             {"key":"flag","value":{"boolValue":true}},
             {"key":"raw","value":{"bytesValue":"AQID/w=="}},
             {"key":"empty","value":{}},
             {"key":"no value"},
             {"key":"html","value":{"stringValue":"</script><b>&amp;'\u2028 \u0007"}},
             {"key":"quote\"d ké 😀","value":{"stringValue":"ü 😀 \ud83d\ude00"}},
             {"key":"dup","value":{"stringValue":"first"}},
             {"key":"dup","value":{"stringValue":"second"}},
             {"key":"nested","value":{"kvlistValue":{"values":[{"key":"list","value":{"arrayValue":{"values":[{"intValue":"1"},{"boolValue":false},{"arrayValue":{}},{"kvlistValue":{}}]}}}]}}}],
            "events":[{"name":"exception","timeUnixNano":"1765000000100000000","attributes":[{"key":"exception.type","value":{"stringValue":"System.InvalidOperationException"}},{"key":"exception.message","value":{"stringValue":"no \"books\""}}]},
             {"name":"checkpoint","timeUnixNano":1765000000200000000},{"name":"no time"}]},
           {"traceId":"0123456789abcdef0123456789abcdef","spanId":"00000000000000a2","parentSpanId":"00000000000000A1","name":"chat gpt-4o-mini","kind":3,
            "startTimeUnixNano":1765000000010000000,"endTimeUnixNano":"1765000000400000000","status":{"code":1},
            "attributes":[
             {"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},
             {"key":"gen_ai.provider.name","value":{"stringValue":"openai"}},
             {"key":"gen_ai.request.model","value":{"stringValue":"gpt-4o-mini"}},
             {"key":"gen_ai.response.model","value":{"stringValue":"gpt-4o-mini-2024-07-18"}},
             {"key":"gen_ai.response.id","value":{"stringValue":"chatcmpl-1"}},
             {"key":"gen_ai.usage.input_tokens","value":{"intValue":"100"}},
             {"key":"gen_ai.usage.output_tokens","value":{"intValue":20}},
             {"key":"gen_ai.usage.cache_read.input_tokens","value":{"stringValue":"30"}},
             {"key":"gen_ai.usage.cache_creation.input_tokens","value":{"intValue":"4"}}],
            "links":[{"traceId":"FEDCBA9876543210FEDCBA9876543210","spanId":"00000000000000B1","attributes":[{"key":"link.kind","value":{"stringValue":"follows"}}]},
             {"traceId":"fedcba9876543210fedcba9876543210","spanId":"00000000000000b2"}]},
           {"traceId":"0123456789abcdef0123456789abcdef","spanId":"00000000000000a3","parentSpanId":"00000000000000a1","name":"agent run",
            "startTimeUnixNano":"1765000000020000000","endTimeUnixNano":"1765000000300000000",
            "attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"invoke_agent"}},{"key":"gen_ai.system","value":{"stringValue":"anthropic"}},
             {"key":"gen_ai.usage.input_tokens","value":{"intValue":"500"}},{"key":"gen_ai.usage.output_tokens","value":{"doubleValue":60}},
             {"key":"gen_ai.usage.cache_write.input_tokens","value":{"intValue":"9"}},{"key":"gen_ai.usage.cache_creation.input_tokens","value":{"intValue":"8"}},
             {"key":"gen_ai.response.id","value":{"stringValue":"agent-1"}},{"key":"error.type","value":{"stringValue":"timeout"}}],
            "events":[{"name":"not an exception","attributes":[{"key":"what","value":{"stringValue":"exception"}}]}]},
           {"traceId":"0123456789abcdef0123456789abcdef","spanId":"00000000000000a4","parentSpanId":"00000000000000a1","name":"format",
            "startTimeUnixNano":"1765000000030000000","endTimeUnixNano":"1765000000040000000",
            "attributes":[{"key":"mirascope.response.usage","value":{"stringValue":"{\"input_tokens\":11,\"output_tokens\":\"12\",\"cache_read_tokens\":3,\"cache_write_tokens\":-1}"}},
             {"key":"mirascope.response.provider_id","value":{"stringValue":"anthropic"}},{"key":"mirascope.response.model_id","value":{"stringValue":"claude-x"}},
             {"key":"gen_ai.provider.name","value":{"stringValue":"not this one"}},{"key":"mirascope.trace.tags","value":{"stringValue":"single"}},
             {"key":"mirascope.ops.session.id","value":{"stringValue":""}},{"key":"mirascope.version.hash","value":{"intValue":"5"}}]},
           {"traceId":"0123456789abcdef0123456789abcdef","spanId":"00000000000000a5","parentSpanId":"00000000000000a4","name":"kvlist usage",
            "startTimeUnixNano":"1765000000031000000","endTimeUnixNano":"1765000000039000000",
            "attributes":[{"key":"mirascope.response.usage","value":{"kvlistValue":{"values":[{"key":"input_tokens","value":{"intValue":"21"}},{"key":"output_tokens","value":{"stringValue":"+22"}}]}}},
             {"key":"mirascope.trace.tags","value":{"arrayValue":{"values":[{"stringValue":""}]}}},
             {"key":"gen_ai.usage.input_tokens","value":{"intValue":"-3"}}]},
           {"traceId":"0123456789abcdef0123456789abcdef","spanId":"00000000000000a6","parentSpanId":"00000000000000a4","name":"broken usage",
            "startTimeUnixNano":"1765000000032000000","endTimeUnixNano":"1765000000033000000",
            "attributes":[{"key":"mirascope.response.usage","value":{"stringValue":"{not json"}},{"key":"mirascope.trace.tags","value":{"intValue":"1"}}]},
           {"traceId":"0123456789abcdef0123456789abcdef","spanId":"00000000000000a7","name":"array usage",
            "startTimeUnixNano":"1765000000034000000","endTimeUnixNano":"1765000000035000000",
            "attributes":[{"key":"mirascope.response.usage","value":{"stringValue":"[1,2]"}},{"key":"gen_ai.usage.output_tokens","value":{"stringValue":"77"}},{"key":"gen_ai.response.id","value":{"stringValue":"chatcmpl-2"}}]},
           {"traceId":"0123456789abcdef0123456789abcdef","spanId":"00000000000000aa","parentSpanId":"00000000000000a1","name":"duplicate keys",
            "startTimeUnixNano":"1765000000036000000","endTimeUnixNano":"1765000000037000000",
            "attributes":[{"key":"gen_ai.usage.input_tokens","value":{"intValue":"1"}},{"key":"gen_ai.usage.input_tokens","value":{"stringValue":"2"}},
             {"key":"mirascope.version.hash","value":{"stringValue":"h-a"}},{"key":"mirascope.version.hash","value":{"stringValue":"h-b"}},
             {"key":"mirascope.ops.session.id","value":{"stringValue":"s-a"}},{"key":"mirascope.ops.session.id","value":{"intValue":"9"}},
             {"key":"mirascope.trace.tags","value":{"stringValue":"t-a"}},{"key":"mirascope.trace.tags","value":{"stringValue":"t-b"}},
             {"key":"dupv","value":{"stringValue":"a","stringValue":"b"}},{"key":"dupnull","value":{"intValue":"1","intValue":null}},
             {"key":"snake","value":{"string_value":"s","stringValue":null}},
             {"key":"error.type","value":{"stringValue":""}},{"key":"gen_ai.response.id","value":{"stringValue":"r-dup"}}],
            "events":[{"name":"exception\u0000"},{"name":"Exception"}]},
           {"traceId":"0123456789abcdef0123456789abcdef","spanId":"00000000000000a1","name":"a repeat of the root","startTimeUnixNano":"1","endTimeUnixNano":"2"},
           {"traceId":"not hex at all, and not 32 long","spanId":"00000000000000a8","name":"rejected","startTimeUnixNano":"1","endTimeUnixNano":"2"},
           {"traceId":"0123456789abcdef0123456789abcdef","spanId":"00000000000000a9","name":"ends early","startTimeUnixNano":"5","endTimeUnixNano":"2"}]}]},
         {"scopeSpans":[{"spans":[
           {"traceId":"FEDCBA9876543210FEDCBA9876543210","spanId":"00000000000000B1","name":"no resource","startTimeUnixNano":"1765000001000000000","endTimeUnixNano":"1765000001000000001",
            "attributes":[{"key":"deep","value":{"arrayValue":{"values":[{"arrayValue":{"values":[{"kvlistValue":{"values":[{"key":"x","value":{"doubleValue":-0.0}}]}}]}}]}}}]}]}]}]}
        """;

        /// <summary>A stock exporter's names in proto (snake_case) form, in a second request to a trace stored before.</summary>
        private const string SnakeCaseJson = """
        {"resource_spans":[{"resource":{"attributes":[{"key":"service.name","value":{"string_value":"shelf"}}]},
          "scope_spans":[{"scope":{"name":"io.opentelemetry","version":""},"spans":[
           {"trace_id":"0123456789abcdef0123456789abcdef","span_id":"00000000000000c1","parent_span_id":"00000000000000a1","name":"late child","kind":"SPAN_KIND_CLIENT",
            "start_time_unix_nano":"1765000000050000000","end_time_unix_nano":"1765000000060000000","trace_state":"",
            "status":{"code":"STATUS_CODE_UNSET","message":""},
            "attributes":[{"key":"gen_ai.usage.input_tokens","value":{"int_value":"1"}},{"key":"gen_ai.usage.output_tokens","value":{"int_value":2}},
             {"key":"mirascope.response.usage","value":{"string_value":"{\"input_tokens\":999,\"cache_read_tokens\":5}"}},
             {"key":"b","value":{"bool_value":false}},{"key":"d","value":{"double_value":"Infinity"}},{"key":"y","value":{"bytes_value":""}},
             {"key":"arr","value":{"array_value":{"values":[{"string_value":"s"}]}}},{"key":"kv","value":{"kvlist_value":{"values":[]}}}],
            "events":[{"name":"exception","time_unix_nano":"1765000000055000000"}],
            "links":[]}]}]}]}
        """;

        private static ExportTraceServiceRequest ProtobufRequest()
        {
            var resource = new Resource
            {
                Attributes =
                {
                    Kv("service.name", new AnyValue { StringValue = "proto-books" }),
                    Kv("service.name", new AnyValue { IntValue = 3 }),   // a later non-string service.name: the string one names the service
                    Kv("arr", new AnyValue { ArrayValue = new ArrayValue { Values = { new AnyValue { BoolValue = true }, new AnyValue() } } }),
                },
            };
            var root = Span(Trace2, "00000000000000d1", null, "proto root", 1765000002000000000, 1765000002900000000);
            root.Kind = ProtoSpan.Types.SpanKind.Internal;
            root.TraceState = "a=b";
            root.Status = new Status { Code = Status.Types.StatusCode.Error, Message = "" };
            root.Attributes.Add(new[]
            {
                Kv("s", new AnyValue { StringValue = "text ü </script> \"q\" \\ \u0001" }),
                Kv("i", new AnyValue { IntValue = long.MinValue }),
                Kv("d", new AnyValue { DoubleValue = 0.1 }),
                Kv("whole", new AnyValue { DoubleValue = 3 }),
                Kv("nan", new AnyValue { DoubleValue = double.NaN }),
                Kv("inf", new AnyValue { DoubleValue = double.PositiveInfinity }),
                Kv("ninf", new AnyValue { DoubleValue = double.NegativeInfinity }),
                Kv("b", new AnyValue { BoolValue = false }),
                Kv("bytes", new AnyValue { BytesValue = ByteString.CopyFrom(0, 1, 2, 255) }),
                Kv("none", new AnyValue()),
                new KeyValue { Key = "null value" },
                Kv("kv", new AnyValue { KvlistValue = new KeyValueList { Values = { Kv("inner", new AnyValue { ArrayValue = new ArrayValue() }) } } }),
                Kv("mirascope.trace.tags", new AnyValue { ArrayValue = new ArrayValue { Values = { new AnyValue { StringValue = "z" }, new AnyValue { StringValue = "z" }, new AnyValue { StringValue = "ö" } } } }),
                Kv("mirascope.ops.session.id", new AnyValue { StringValue = "proto-session" }),
                Kv("mirascope.version.hash", new AnyValue { StringValue = "hash-2" }),
                Kv("mirascope.version.name", new AnyValue { StringValue = "" }),
                Kv("mirascope.response.usage", new AnyValue { StringValue = "{\"input_tokens\": 40, \"output_tokens\": 41, \"cache_write_tokens\": 2}" }),
                Kv("", new AnyValue { StringValue = "empty key" }),
            });
            root.Events.Add(new ProtoSpan.Types.Event { Name = "exception", TimeUnixNano = ulong.MaxValue, Attributes = { Kv("exception.type", new AnyValue { StringValue = "E" }) } });
            root.Events.Add(new ProtoSpan.Types.Event { Name = "" });
            root.Links.Add(new ProtoSpan.Types.Link
            {
                TraceId = ByteString.CopyFrom(Convert.FromHexString(Trace1)),
                SpanId = ByteString.CopyFrom(Convert.FromHexString("00000000000000a1")),
                Attributes = { Kv("why", new AnyValue { StringValue = "caused by" }) },
            });

            var call = Span(Trace2, "00000000000000d2", "00000000000000d1", "chat proto", 1765000002100000000, 1765000002200000000);
            call.Kind = ProtoSpan.Types.SpanKind.Client;
            call.Attributes.Add(new[]
            {
                Kv("gen_ai.operation.name", new AnyValue { StringValue = "invoke_workflow" }),
                Kv("gen_ai.usage.input_tokens", new AnyValue { IntValue = 1000 }),
                Kv("gen_ai.usage.output_tokens", new AnyValue { StringValue = "200" }),
                Kv("gen_ai.usage.cache_read.input_tokens", new AnyValue { DoubleValue = 1e20 }),
                Kv("gen_ai.request.model", new AnyValue { StringValue = "m-1" }),
                Kv("gen_ai.system", new AnyValue { StringValue = "sys" }),
                Kv("error.type", new AnyValue { IntValue = 1 }),
            });

            var plain = Span(Trace2, "00000000000000d3", "00000000000000d1", "plain", 1765000002300000000, 1765000002300000000);
            plain.Attributes.Add(Kv("gen_ai.usage.input_tokens", new AnyValue { IntValue = 5 }));
            plain.Attributes.Add(Kv("gen_ai.response.id", new AnyValue { StringValue = "resp-3" }));
            plain.Attributes.Add(Kv("mirascope.response.usage", new AnyValue { KvlistValue = new KeyValueList { Values = { Kv("cache_read_tokens", new AnyValue { IntValue = 6 }) } } }));
            plain.Events.Add(new ProtoSpan.Types.Event { Name = "exception" });

            var repeat = Span(Trace2, "00000000000000d2", null, "repeat of the call", 1, 2);
            var badTime = Span(Trace2, "00000000000000d4", null, "no start", 0, 2);

            return new ExportTraceServiceRequest
            {
                ResourceSpans =
                {
                    new ResourceSpans
                    {
                        Resource = resource,
                        ScopeSpans =
                        {
                            new ScopeSpans { Scope = new InstrumentationScope { Name = "proto.scope", Version = "9" }, Spans = { root, call } },
                            new ScopeSpans { Spans = { plain, repeat, badTime } },
                        },
                    },
                },
            };
        }

        private static ProtoSpan Span(string traceId, string spanId, string? parent, string name, ulong start, ulong end) => new ProtoSpan
        {
            TraceId = ByteString.CopyFrom(Convert.FromHexString(traceId)),
            SpanId = ByteString.CopyFrom(Convert.FromHexString(spanId)),
            ParentSpanId = parent is null ? ByteString.Empty : ByteString.CopyFrom(Convert.FromHexString(parent)),
            Name = name,
            StartTimeUnixNano = start,
            EndTimeUnixNano = end,
        };

        private static KeyValue Kv(string key, AnyValue value) => new KeyValue { Key = key, Value = value };
    }
}
