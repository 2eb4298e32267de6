using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;
using Mirascope.Ops.Export;
using OpenTelemetry.Resources;
using Xunit;

namespace Mirascope.Ops.Tests.Export
{
    /// <summary>
    /// The exact bytes of the Mirascope Cloud request body for every shape the writer handles (remote and local
    /// parents, trace state, events, links, statuses, every tag type, nesting limits, escaping, times before 1970),
    /// in the invariant culture and in one with a comma decimal separator and another minus sign. The end-to-end tests
    /// check the contract semantically; this pins the serialization byte for byte, so a faster writer cannot drift.
    /// </summary>
    public class OtlpJsonWriterTests
    {
        private const string SourceName = "Mirascope.Ops.Tests.OtlpJson";
        private const string OtherSourceName = "Mirascope.Ops.Tests.OtlpJson.Other";

        private static readonly string Huge = string.Concat(System.Linq.Enumerable.Repeat("\"quoted\" ü 😀 ", 10_000));

        private static readonly DateTimeOffset Start = new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(1234567);

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void Request_body_is_byte_for_byte_the_pinned_OTLP_JSON_in_any_culture(bool oddCulture)
        {
            var batch = Batch(out var ids);
            var previous = CultureInfo.CurrentCulture;
            try
            {
                if (oddCulture)
                {
                    CultureInfo.CurrentCulture = OddCulture();
                }

                var body = new MemoryStream();
                OtlpJsonWriter.Write(body, batch, Resource());
                var json = Encoding.UTF8.GetString(body.ToArray());
                foreach (var id in ids)
                {
                    json = json.Replace(id.Value, id.Key);
                }

                Assert.Equal(Expected, json);
            }
            finally
            {
                CultureInfo.CurrentCulture = previous;
            }
        }

        [Fact]
        public void Large_batch_is_one_complete_document_with_every_span_and_value_in_order()
        {
            // Far more than the writer holds at once, and one value larger than all of it: still one complete request.
            var batch = new List<Activity>();
            using (var source = new ActivitySource(SourceName, "2.0.0-test"))
            using (Listen())
            {
                for (var i = 0; i < 2000; i++)
                {
                    var span = source.StartActivity("span " + i, ActivityKind.Internal, default(ActivityContext), startTime: Start)!;
                    span.SetTag("text", i == 1000 ? Huge : new string('x', i % 300));
                    span.SetEndTime(Start.UtcDateTime.AddMilliseconds(1));
                    span.Stop();
                    batch.Add(span);
                }
            }

            var body = new MemoryStream();
            OtlpJsonWriter.Write(body, batch, Resource());
            body.Position = 0;
            using var document = System.Text.Json.JsonDocument.Parse(body);
            var spans = document.RootElement.GetProperty("resourceSpans")[0].GetProperty("scopeSpans")[0].GetProperty("spans");
            Assert.Equal(batch.Count, spans.GetArrayLength());
            for (var i = 0; i < batch.Count; i++)
            {
                Assert.Equal("span " + i, spans[i].GetProperty("name").GetString());
                Assert.Equal(batch[i].SpanId.ToHexString(), spans[i].GetProperty("spanId").GetString());
                var text = spans[i].GetProperty("attributes")[0].GetProperty("value").GetProperty("stringValue").GetString();
                Assert.Equal(i == 1000 ? Huge : new string('x', i % 300), text);
            }
        }

        private static List<Activity> Batch(out Dictionary<string, string> ids)
        {
            var previous = Activity.Current;
            Activity.Current = null;
            try
            {
                using var source = new ActivitySource(SourceName, "2.0.0-test");
                using var other = new ActivitySource(OtherSourceName);
                using var listener = Listen();

                var remoteParent = new ActivityContext(
                    ActivityTraceId.CreateFromString("0af7651916cd43dd8448eb211c80319c".AsSpan()),
                    ActivitySpanId.CreateFromString("b7ad6b7169203331".AsSpan()),
                    ActivityTraceFlags.Recorded,
                    "congo=t61rcWkgMzE");
                var links = new[]
                {
                    new ActivityLink(
                        new ActivityContext(ActivityTraceId.CreateFromString("4bf92f3577b34da6a3ce929d0e0e4736".AsSpan()), ActivitySpanId.CreateFromString("00f067aa0ba902b7".AsSpan()), ActivityTraceFlags.None),
                        new ActivityTagsCollection { ["link.reason"] = "retry", ["link.attempt"] = 2 }),
                    new ActivityLink(new ActivityContext(ActivityTraceId.CreateFromString("5bf92f3577b34da6a3ce929d0e0e4736".AsSpan()), ActivitySpanId.CreateFromString("10f067aa0ba902b7".AsSpan()), ActivityTraceFlags.Recorded)),
                };

                var every = source.StartActivity("naïve \"span\" <&> \u2028 😀", ActivityKind.Server, remoteParent, links: links, startTime: Start)!;
                AddEveryTagType(every);
                every.AddEvent(new ActivityEvent("exception", Start.AddMilliseconds(1), new ActivityTagsCollection
                {
                    ["exception.type"] = "System.InvalidOperationException",
                    ["exception.message"] = "line 1\nline 2",
                    ["exception.escaped"] = true,
                }));
                every.AddEvent(new ActivityEvent("empty", Start.AddTicks(1)));
                every.SetStatus(ActivityStatusCode.Error, "it \"failed\"");

                var child = source.StartActivity("ok child", ActivityKind.Client, every.Context, startTime: Start.AddTicks(-1))!;
                child.SetTag("long.min", long.MinValue);
                child.SetTag("long.max", long.MaxValue);
                child.SetStatus(ActivityStatusCode.Ok);
                child.SetEndTime(Start.UtcDateTime.AddTicks(1));
                child.Stop();

                every.SetEndTime(Start.UtcDateTime.AddMilliseconds(1.5).AddTicks(1));
                every.Stop();

                // Before 1970: negative nanoseconds.
                var old = other.StartActivity("before 1970", ActivityKind.Producer, default(ActivityContext), startTime: new DateTimeOffset(1969, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(9_000_000))!;
                old.SetEndTime(new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(5));
                old.Stop();

                var plain = other.StartActivity("plain", ActivityKind.Consumer, default(ActivityContext), startTime: Start)!;
                plain.SetEndTime(Start.UtcDateTime);
                plain.Stop();

                ids = new Dictionary<string, string>
                {
                    ["{every}"] = every.SpanId.ToHexString(),
                    ["{child}"] = child.SpanId.ToHexString(),
                    ["{oldTrace}"] = old.TraceId.ToHexString(),
                    ["{old}"] = old.SpanId.ToHexString(),
                    ["{plainTrace}"] = plain.TraceId.ToHexString(),
                    ["{plain}"] = plain.SpanId.ToHexString(),
                };

                // Interleaved scopes: the body groups them, in order of first appearance.
                return new List<Activity> { every, old, child, plain };
            }
            finally
            {
                Activity.Current = previous;
            }
        }

        private static void AddEveryTagType(Activity span)
        {
            span.SetTag("string", "text with \"quotes\", \\ and \n newline");
            span.SetTag("string.empty", string.Empty);
            span.SetTag("bool.true", true);
            span.SetTag("bool.false", false);
            span.SetTag("int", -42);
            span.SetTag("int.zero", 0);
            span.SetTag("long", -9_000_000_000L);
            span.SetTag("short", (short)-7);
            span.SetTag("sbyte", (sbyte)-8);
            span.SetTag("byte", (byte)255);
            span.SetTag("ushort", ushort.MaxValue);
            span.SetTag("uint", uint.MaxValue);
            span.SetTag("ulong", 18UL);
            span.SetTag("ulong.big", ulong.MaxValue);
            span.SetTag("double", 0.1);
            span.SetTag("double.negative", -1.5e-7);
            span.SetTag("double.large", 1e300);
            span.SetTag("double.whole", 3.0);
            span.SetTag("double.nan", double.NaN);
            span.SetTag("double.inf", double.PositiveInfinity);
            span.SetTag("double.-inf", double.NegativeInfinity);
            span.SetTag("float", 0.1f);
            span.SetTag("decimal", 1.1m);
            span.SetTag("decimal.negative", -2.5m);
            span.SetTag("char", 'x');
            span.SetTag("char.quote", '"');
            span.SetTag("strings", new[] { "a", "b\"" });
            span.SetTag("ints", new[] { 1, -2 });
            span.SetTag("longs", new[] { long.MinValue });
            span.SetTag("doubles", new[] { 0.5, double.NaN, -0.25 });
            span.SetTag("bools", new[] { true, false });
            span.SetTag("array.empty", Array.Empty<string>());
            // Nested three levels deep: the innermost array is past the nesting limit and written as text.
            span.SetTag("mixed", new object?[] { "s", 1L, null, 2.5, new object?[] { new object?[] { new object?[] { "deep" } } } });
            span.SetTag("kvlist", new Dictionary<string, object?> { ["a"] = 1, ["b"] = new[] { "x" }, ["c"] = null });
            span.SetTag("kvlist.list", new List<KeyValuePair<string, object?>> { new KeyValuePair<string, object?>("n", -3.5), new KeyValuePair<string, object?>(null!, 'c') });
            span.SetTag("dictionary.other", new Dictionary<int, string> { [1] = "a" });
            span.SetTag("guid", new Guid("0f8fad5b-d9cb-469f-a165-70867728950e"));
            span.SetTag("date", new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc));
            span.SetTag("timespan", TimeSpan.FromMilliseconds(-1500));
            span.SetTag("enum", ActivityKind.Client);
            span.SetTag("throws", new ThrowsOnToString());
            span.SetTag("object", new WithToString());
            span.AddTag("null", null);
        }

        private static Resource Resource() => ResourceBuilder.CreateEmpty()
            .AddAttributes(new Dictionary<string, object>
            {
                ["service.name"] = "otlp-json-tests",
                ["service.instance.id"] = "ü-1",
                ["count"] = 7L,
                ["ratio"] = -0.5,
                ["enabled"] = true,
                ["names"] = new[] { "a", "b" },
            })
            .Build();

        private static ActivityListener Listen()
        {
            var listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name.StartsWith(SourceName, StringComparison.Ordinal),
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            };
            ActivitySource.AddActivityListener(listener);
            return listener;
        }

        /// <summary>A culture whose numbers would differ from JSON's: comma decimals, dot groups, a tilde minus sign.</summary>
        private static CultureInfo OddCulture()
        {
            var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            culture.NumberFormat.NumberDecimalSeparator = ",";
            culture.NumberFormat.NumberGroupSeparator = ".";
            culture.NumberFormat.NegativeSign = "~";
            culture.NumberFormat.PositiveSign = "+";
            return culture;
        }

        private sealed class ThrowsOnToString
        {
            public override string ToString() => throw new InvalidOperationException("no text");
        }

        private sealed class WithToString
        {
            public override string ToString() => "custom <text>";
        }

        // Line breaks are for reading only: the body has none.
        private static readonly string Expected = """
            {"resourceSpans":[{"resource":{"attributes":[
            {"key":"service.name","value":{"stringValue":"otlp-json-tests"}},
            {"key":"service.instance.id","value":{"stringValue":"\u00FC-1"}},
            {"key":"count","value":{"intValue":"7"}},
            {"key":"ratio","value":{"doubleValue":-0.5}},
            {"key":"enabled","value":{"boolValue":true}},
            {"key":"names","value":{"arrayValue":{"values":[{"stringValue":"a"},{"stringValue":"b"}]}}}]},"scopeSpans":[
            {"scope":
            {"name":"Mirascope.Ops.Tests.OtlpJson","version":"2.0.0-test"},"spans":[
            {"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"{every}","parentSpanId":"b7ad6b7169203331","traceState":"congo=t61rcWkgMzE","name":"na\u00EFve \u0022span\u0022 \u003C\u0026\u003E \u2028 \uD83D\uDE00","kind":2,"startTimeUnixNano":"1714564800123456700","endTimeUnixNano":"1714564800124956800","attributes":[
            {"key":"string","value":{"stringValue":"text with \u0022quotes\u0022, \\ and \n newline"}},
            {"key":"string.empty","value":{"stringValue":""}},
            {"key":"bool.true","value":{"boolValue":true}},
            {"key":"bool.false","value":{"boolValue":false}},
            {"key":"int","value":{"intValue":"-42"}},
            {"key":"int.zero","value":{"intValue":"0"}},
            {"key":"long","value":{"intValue":"-9000000000"}},
            {"key":"short","value":{"intValue":"-7"}},
            {"key":"sbyte","value":{"intValue":"-8"}},
            {"key":"byte","value":{"intValue":"255"}},
            {"key":"ushort","value":{"intValue":"65535"}},
            {"key":"uint","value":{"intValue":"4294967295"}},
            {"key":"ulong","value":{"intValue":"18"}},
            {"key":"ulong.big","value":{"stringValue":"18446744073709551615"}},
            {"key":"double","value":{"doubleValue":0.1}},
            {"key":"double.negative","value":{"doubleValue":-1.5E-07}},
            {"key":"double.large","value":{"doubleValue":1E+300}},
            {"key":"double.whole","value":{"doubleValue":3}},
            {"key":"double.nan","value":{"doubleValue":"NaN"}},
            {"key":"double.inf","value":{"doubleValue":"Infinity"}},
            {"key":"double.-inf","value":{"doubleValue":"-Infinity"}},
            {"key":"float","value":{"doubleValue":0.10000000149011612}},
            {"key":"decimal","value":{"doubleValue":1.1}},
            {"key":"decimal.negative","value":{"doubleValue":-2.5}},
            {"key":"char","value":{"stringValue":"x"}},
            {"key":"char.quote","value":{"stringValue":"\u0022"}},
            {"key":"strings","value":{"arrayValue":{"values":[{"stringValue":"a"},{"stringValue":"b\u0022"}]}}},
            {"key":"ints","value":{"arrayValue":{"values":[{"intValue":"1"},{"intValue":"-2"}]}}},
            {"key":"longs","value":{"arrayValue":{"values":[{"intValue":"-9223372036854775808"}]}}},
            {"key":"doubles","value":{"arrayValue":{"values":[{"doubleValue":0.5},{"doubleValue":"NaN"},{"doubleValue":-0.25}]}}},
            {"key":"bools","value":{"arrayValue":{"values":[{"boolValue":true},{"boolValue":false}]}}},
            {"key":"array.empty","value":{"arrayValue":{"values":[]}}},
            {"key":"mixed","value":{"arrayValue":{"values":[{"stringValue":"s"},{"intValue":"1"},{},{"doubleValue":2.5},{"arrayValue":{"values":[{"arrayValue":{"values":[{"stringValue":"System.Object[]"}]}}]}}]}}},
            {"key":"kvlist","value":{"kvlistValue":{"values":[
            {"key":"a","value":{"intValue":"1"}},
            {"key":"b","value":{"arrayValue":{"values":[{"stringValue":"x"}]}}},
            {"key":"c","value":{}}]}}},
            {"key":"kvlist.list","value":{"kvlistValue":{"values":[
            {"key":"n","value":{"doubleValue":-3.5}},{"key":null,"value":{"stringValue":"c"}}]}}},
            {"key":"dictionary.other","value":{"stringValue":"System.Collections.Generic.Dictionary\u00602[System.Int32,System.String]"}},
            {"key":"guid","value":{"stringValue":"0f8fad5b-d9cb-469f-a165-70867728950e"}},
            {"key":"date","value":{"stringValue":"01/02/2024 03:04:05"}},
            {"key":"timespan","value":{"stringValue":"-00:00:01.5000000"}},
            {"key":"enum","value":{"stringValue":"Client"}},
            {"key":"throws","value":{"stringValue":"\u003CThrowsOnToString.ToString() threw InvalidOperationException\u003E"}},
            {"key":"object","value":{"stringValue":"custom \u003Ctext\u003E"}}],
            "events":[
            {"name":"exception","timeUnixNano":"1714564800124456700","attributes":[
            {"key":"exception.type","value":{"stringValue":"System.InvalidOperationException"}},
            {"key":"exception.message","value":{"stringValue":"line 1\nline 2"}},
            {"key":"exception.escaped","value":{"boolValue":true}}]},
            {"name":"empty","timeUnixNano":"1714564800123456800","attributes":[]}],
            "links":[
            {"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7","attributes":[
            {"key":"link.reason","value":{"stringValue":"retry"}},
            {"key":"link.attempt","value":{"intValue":"2"}}]},
            {"traceId":"5bf92f3577b34da6a3ce929d0e0e4736","spanId":"10f067aa0ba902b7","attributes":[]}],
            "status":{"code":2,"message":"it \u0022failed\u0022"}},
            {"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"{child}","parentSpanId":"{every}","traceState":"congo=t61rcWkgMzE","name":"ok child","kind":3,"startTimeUnixNano":"1714564800123456600","endTimeUnixNano":"1714564800123456800","attributes":[
            {"key":"long.min","value":{"intValue":"-9223372036854775808"}},
            {"key":"long.max","value":{"intValue":"9223372036854775807"}}],
            "events":[],
            "status":{"code":1}}]},
            {"scope":
            {"name":"Mirascope.Ops.Tests.OtlpJson.Other"},"spans":[
            {"traceId":"{oldTrace}","spanId":"{old}","name":"before 1970","kind":4,"startTimeUnixNano":"-100000000","endTimeUnixNano":"500","attributes":[],
            "events":[],
            "status":{"code":0}},
            {"traceId":"{plainTrace}","spanId":"{plain}","name":"plain","kind":5,"startTimeUnixNano":"1714564800123456700","endTimeUnixNano":"1714564800123456800","attributes":[],
            "events":[],
            "status":{"code":0}}]}]}]}
            """.Replace("\r", string.Empty).Replace("\n", string.Empty);
    }
}
