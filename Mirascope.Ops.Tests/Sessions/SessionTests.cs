using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading.Tasks;
using Mirascope.Ops.Tests.Infrastructure;
using Mirascope.Ops.Tracing;
using Xunit;

namespace Mirascope.Ops.Tests.Sessions
{
    public class SessionTests
    {
        private const string SessionId = "mirascope.ops.session.id";
        private const string SessionAttributes = "mirascope.ops.session.attributes";

        public static IEnumerable<object[]> Configurations => WovenAssembly.Configurations;

        [Theory]
        [MemberData(nameof(Configurations))]
        public void Traced_spans_started_in_a_session_carry_its_id_and_attributes_as_json(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var calc = woven.New("Calc");
            using var capture = new SpanCapture();

            using (MirascopeOps.Session(id: "req-42", attributes: new { team = "core", priority = 2 }))
            {
                woven.Call(calc, "Multiply", 6, 7);
            }

            var span = capture.Single("Calc.Multiply");
            Assert.Equal("req-42", span.Tag(SessionId));
            Assert.Equal("{\"team\":\"core\",\"priority\":2}", span.Tag(SessionAttributes));
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public void Spans_outside_any_session_carry_no_session_attributes(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var calc = woven.New("Calc");
            using var capture = new SpanCapture();

            using (MirascopeOps.Session(id: "inside"))
            {
            }

            woven.Call(calc, "Multiply", 1, 2);

            var span = capture.Single("Calc.Multiply");
            Assert.Null(span.Tag(SessionId));
            Assert.Null(span.Tag(SessionAttributes));
            Assert.Null(MirascopeOps.CurrentSession);
        }

        [Fact]
        public void A_session_without_attributes_records_only_its_id()
        {
            using var capture = new SpanCapture();

            using (MirascopeOps.Session(id: "only-id"))
            using (MirascopeOps.Span("work"))
            {
            }

            var span = capture.Single("work");
            Assert.Equal("only-id", span.Tag(SessionId));
            Assert.Null(span.Tag(SessionAttributes));
        }

        [Fact]
        public void A_session_without_an_id_gets_a_new_uuid()
        {
            using var first = MirascopeOps.Session();
            var firstId = first.Id;
            using var second = MirascopeOps.Session();

            Assert.True(Guid.TryParseExact(firstId, "D", out _), firstId);
            Assert.True(Guid.TryParseExact(second.Id, "D", out _), second.Id);
            Assert.NotEqual(firstId, second.Id);
            Assert.Equal(firstId.ToLowerInvariant(), firstId);
        }

        [Fact]
        public void Nested_session_overrides_the_outer_one_until_disposed()
        {
            Assert.Null(MirascopeOps.CurrentSession);
            using (MirascopeOps.Session(id: "outer"))
            {
                Assert.Equal("outer", MirascopeOps.CurrentSession?.Id);
                using (MirascopeOps.Session(id: "inner"))
                {
                    Assert.Equal("inner", MirascopeOps.CurrentSession?.Id);
                }

                Assert.Equal("outer", MirascopeOps.CurrentSession?.Id);
            }

            Assert.Null(MirascopeOps.CurrentSession);
        }

        [Fact]
        public void Disposing_a_session_twice_does_not_undo_the_session_opened_after_it()
        {
            var first = MirascopeOps.Session(id: "first");
            first.Dispose();
            using (MirascopeOps.Session(id: "second"))
            {
                first.Dispose();
                Assert.Equal("second", MirascopeOps.CurrentSession?.Id);
            }
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public async Task Session_flows_across_awaits_and_into_Task_Run(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var calc = woven.New("Calc");
            using var capture = new SpanCapture();

            using (MirascopeOps.Session(id: "flowing"))
            {
                await Task.Yield();
                var seenInTaskRun = await Task.Run(async () =>
                {
                    await Task.Delay(1);
                    var task = (Task<string>)woven.Call(calc, "FetchAsync", "https://example.test/x")!;
                    await task;
                    return MirascopeOps.CurrentSession?.Id;
                });

                Assert.Equal("flowing", seenInTaskRun);
            }

            Assert.Equal("flowing", capture.Single("Calc.FetchAsync").Tag(SessionId));
        }

        [Fact]
        public async Task A_session_opened_inside_an_async_method_does_not_leak_to_its_caller()
        {
            async Task OpenAndLeave()
            {
                await Task.Yield();
                MirascopeOps.Session(id: "left-open");
            }

            await OpenAndLeave();

            Assert.Null(MirascopeOps.CurrentSession);
        }

        [Fact]
        public void Dictionary_attributes_are_recorded_in_insertion_order()
        {
            var attributes = new Dictionary<string, object?> { ["user"] = "alice", ["env"] = "prod", ["beta"] = true, ["quota"] = null };

            using var session = MirascopeOps.Session(id: "s", attributes: attributes);

            Assert.Equal("{\"user\":\"alice\",\"env\":\"prod\",\"beta\":true,\"quota\":null}", session.Session.AttributesJson);
            Assert.Equal("alice", session.Session.Attributes!["user"]);
        }

        [Fact]
        public void Attribute_values_are_serialized_like_recorded_arguments()
        {
            var attributes = new
            {
                tags = new[] { "a", "b" },
                ratio = 0.5,
                when = new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc),
                nested = new { depth = 1 },
                text = "quote \" and \\ backslash",
            };

            using var session = MirascopeOps.Session(id: "s", attributes: attributes);

            Assert.Equal(
                "{\"tags\":[\"a\",\"b\"],\"ratio\":0.5,\"when\":\"2025-01-02T03:04:05.0000000Z\",\"nested\":{\"depth\":1},\"text\":\"quote \\\" and \\\\ backslash\"}",
                session.Session.AttributesJson);
        }

        [Fact]
        public void Dictionaries_with_typed_values_are_read_too()
        {
            using var session = MirascopeOps.Session(id: "s", attributes: new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 });

            Assert.Equal("{\"a\":1,\"b\":2}", session.Session.AttributesJson);
        }

        [Fact]
        public void Session_attributes_are_capped_at_the_recording_limit()
        {
            var big = new string('x', 1_000_000);

            using var session = MirascopeOps.Session(id: "s", attributes: new { big });

            var json = session.Session.AttributesJson!;
            Assert.StartsWith("{\"big\":\"xxx", json);
            Assert.EndsWith(CappedJsonBuilder.Marker + "\"}", json);
            Assert.True(json.Length < big.Length / 10, $"length {json.Length}");
        }

        [Fact]
        public void A_property_getter_that_throws_is_recorded_as_a_placeholder_and_the_session_opens()
        {
            using var session = MirascopeOps.Session(id: "s", attributes: new Throwing());

            Assert.Equal("s", MirascopeOps.CurrentSession?.Id);
            Assert.Equal("{\"Fine\":1,\"Broken\":\"<Broken: getter threw InvalidOperationException>\"}", session.Session.AttributesJson);
        }

        [Fact]
        public void Span_enrichment_allocates_nothing_outside_a_session()
        {
            var activity = new Activity("enrich").Start();
            try
            {
                SpanEnrichment.OnStart(activity);
                var before = GC.GetAllocatedBytesForCurrentThread();
                for (var i = 0; i < 1000; i++)
                {
                    SpanEnrichment.OnStart(activity);
                }

                Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
                Assert.Null(activity.GetTagItem(SessionId));
            }
            finally
            {
                activity.Stop();
            }
        }

        private sealed class Throwing
        {
            public int Fine => 1;

            public int Broken => throw new InvalidOperationException("no");
        }
    }
}
