using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using Mirascope.Ops.Viewer.Ingest;
using Mirascope.Ops.Viewer.Storage;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests
{
    /// <summary>The store (on either engine): durability, one transaction per request, concurrent writers, retention.</summary>
    public sealed class TraceStoreTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "mirascope-viewer-tests", Guid.NewGuid().ToString("N"));

        private readonly string _location;

        public TraceStoreTests()
        {
            _location = TestStore.NewLocation(Path.Combine(_folder, "nested"));
        }

        /// <summary>This test's store (a SQLite file in a folder the store creates, or a new PostgreSQL database).</summary>
        private string DataPath => _location;

        [Fact]
        public void Spans_survive_a_restart_of_the_viewer()
        {
            new TraceStore(DataPath).Store(Trace("a", 3), DateTimeOffset.UtcNow);

            var reopened = new TraceStore(DataPath);

            Assert.Equal((1, 3), reopened.Count());
        }

        [Fact]
        public void A_request_that_fails_part_way_leaves_nothing_behind()
        {
            var store = new TraceStore(DataPath);
            var spans = Trace("a", 3);
            var broken = Span(TraceIdOf("a"), 99);
            spans.Add(new IngestSpan { TraceId = broken.TraceId, SpanId = broken.SpanId, Name = "broken", AttributesJson = "{", EventsJson = "[]", ResourceJson = "{}" });

            Assert.ThrowsAny<System.Text.Json.JsonException>(() => store.Store(spans, DateTimeOffset.UtcNow));   // after three inserts

            Assert.Equal((0, 0), store.Count());
        }

        [Fact]
        public async Task Two_connections_writing_at_once_lose_nothing_and_keep_summaries_right()
        {
            // Two stores are two connection pools on one file, as two viewer processes would have.
            var first = new TraceStore(DataPath);
            var second = new TraceStore(DataPath);
            const int Batches = 40;

            var writers = new[] { first, second }.Select((store, writer) => Task.Run(() =>
            {
                for (var batch = 0; batch < Batches; batch++)
                {
                    // Every batch adds spans to one shared trace and to a trace of its own.
                    var spans = Trace($"own-{writer}-{batch}", 5);
                    spans.Add(Span(TraceIdOf("shared"), 1000 + writer * Batches + batch, parent: 1));
                    store.Store(spans, DateTimeOffset.UtcNow);
                }
            })).ToArray();
            await Task.WhenAll(writers);

            Assert.Equal((2 * Batches + 1, 2 * Batches * 5 + 2 * Batches), first.Count());
            using var json = new System.IO.MemoryStream();
            using (var writer = new System.Text.Json.Utf8JsonWriter(json))
            {
                new TraceListQuery(first).Write(writer, new TraceFilter { Name = "span-1" + "000" });
            }

            using var document = System.Text.Json.JsonDocument.Parse(json.ToArray());
            var shared = Assert.Single(document.RootElement.GetProperty("traces").EnumerateArray());
            Assert.Equal(2 * Batches, shared.GetProperty("spanCount").GetInt32());
        }

        [Fact]
        public void A_trace_is_listed_from_its_first_span_and_its_root_takes_over_when_it_arrives()
        {
            var store = new TraceStore(DataPath);
            var child = Span(TraceIdOf("t"), 2, parent: 1, name: "child");
            store.Store(new List<IngestSpan> { child }, DateTimeOffset.UtcNow);
            Assert.Equal(new[] { "child" }, RootNames(store));

            store.Store(new List<IngestSpan> { Span(TraceIdOf("t"), 1, name: "root") }, DateTimeOffset.UtcNow);

            Assert.Equal(new[] { "root" }, RootNames(store));
        }

        [Fact]
        public void A_span_given_twice_in_one_write_is_stored_once_as_its_later_copy()
        {
            var store = new TraceStore(DataPath);
            var traceId = TraceIdOf("twice");
            var first = Span(traceId, 2, parent: 1, name: "first copy");
            var later = Span(traceId, 2, parent: 1, name: "later copy");

            store.Store(new List<IngestSpan> { first, Span(traceId, 1, name: "root"), later }, DateTimeOffset.UtcNow);

            Assert.Equal((1, 2), store.Count());
            using var connection = store.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT name FROM spans ORDER BY seq";
            using var reader = command.ExecuteReader();
            var names = new List<string>();
            while (reader.Read())
            {
                names.Add(reader.GetString(0));
            }

            Assert.Equal(new[] { "root", "later copy" }, names);   // where the later copy stood, as one insert per span leaves it
        }

        public void Dispose()
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        private static string[] RootNames(TraceStore store)
        {
            using var json = new MemoryStream();
            using (var writer = new System.Text.Json.Utf8JsonWriter(json))
            {
                new TraceListQuery(store).Write(writer, new TraceFilter());
            }

            using var document = System.Text.Json.JsonDocument.Parse(json.ToArray());
            return document.RootElement.GetProperty("traces").EnumerateArray().Select(t => t.GetProperty("rootName").GetString()!).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        }

        internal static string TraceIdOf(string name) => Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(name)));

        /// <summary>A root span named after the trace and <paramref name="count"/> - 1 children.</summary>
        internal static List<IngestSpan> Trace(string name, int count)
        {
            var spans = new List<IngestSpan> { Span(TraceIdOf(name), 1, name: name) };
            for (var i = 2; i <= count; i++)
            {
                spans.Add(Span(TraceIdOf(name), i, parent: 1));
            }

            return spans;
        }

        internal static IngestSpan Span(string traceId, int id, int? parent = null, string? name = "default")
        {
            return new IngestSpan
            {
                TraceId = traceId,
                SpanId = id.ToString("x16", System.Globalization.CultureInfo.InvariantCulture),
                ParentSpanId = parent?.ToString("x16", System.Globalization.CultureInfo.InvariantCulture),
                Name = name == "default" ? "span-" + id : name!,
                Kind = 1,
                StartNs = 1_735_689_600_000_000_000 + id * 1000L,
                EndNs = 1_735_689_600_000_000_000 + id * 1000L + 500,
                AttributesJson = "{}",
                EventsJson = "[]",
                ResourceJson = "{}",
            };
        }
    }
}
