using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests
{
    /// <summary>A database written by the viewer before functions existed (schema 1) opens, keeps its traces and gains the new figures.</summary>
    public sealed class SchemaMigrationTests
    {
        /// <summary>Schema 1 exactly as the viewer of issue 17 created it (viewer/Mirascope.Ops.Viewer/Storage/TraceStore.cs at 9388fa7).</summary>
        private const string Schema1 = @"
            CREATE TABLE IF NOT EXISTS spans (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                trace_id TEXT NOT NULL, span_id TEXT NOT NULL, parent_span_id TEXT, trace_state TEXT,
                name TEXT NOT NULL, kind INTEGER NOT NULL, start_ns INTEGER NOT NULL, end_ns INTEGER NOT NULL,
                status_code INTEGER NOT NULL, status_message TEXT,
                attributes TEXT NOT NULL, events TEXT NOT NULL, links TEXT, resource TEXT NOT NULL,
                service_name TEXT, scope_name TEXT, scope_version TEXT,
                session_id TEXT, tags TEXT, input_tokens INTEGER, output_tokens INTEGER, received_ms INTEGER NOT NULL,
                UNIQUE (trace_id, span_id));
            CREATE INDEX IF NOT EXISTS spans_by_session ON spans (session_id) WHERE session_id IS NOT NULL;
            CREATE TABLE IF NOT EXISTS traces (
                trace_id TEXT PRIMARY KEY, root_span_id TEXT, root_name TEXT, service_name TEXT, root_status INTEGER NOT NULL,
                start_ns INTEGER NOT NULL, end_ns INTEGER NOT NULL, span_count INTEGER NOT NULL, error_count INTEGER NOT NULL,
                session_id TEXT, tags TEXT, input_tokens INTEGER, output_tokens INTEGER,
                last_seq INTEGER NOT NULL, received_ms INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS traces_by_start ON traces (start_ns DESC);
            CREATE INDEX IF NOT EXISTS traces_by_received ON traces (received_ms);
            PRAGMA user_version = 1;";

        [Fact]
        public async Task A_schema_1_database_opens_keeps_its_traces_and_its_spans_are_linked_to_functions_and_priced()
        {
            var folder = Directory.CreateTempSubdirectory("viewer-migration-").FullName;
            var path = Path.Combine(folder, "spans.db");
            var trace = RichSpans.TraceId("old");
            var start = 1_772_366_400_000_000_000L;   // 2026-03-01T12:00:00Z
            using (var connection = new SqliteConnection("Data Source=" + path + ";Pooling=False"))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                // Two spans as schema 1 stored them: a [Version] method (it failed: an exception event, status unset) and its model call.
                command.CommandText = Schema1 + $@"
                    PRAGMA journal_mode = WAL;
                    INSERT INTO spans (trace_id, span_id, parent_span_id, name, kind, start_ns, end_ns, status_code, attributes, events, resource, service_name,
                        input_tokens, output_tokens, received_ms)
                    VALUES ('{trace}', '0000000000000001', NULL, 'Shop.Recommend', 1, {start}, {start + 100_000_000}, 0,
                        '{{""mirascope.version.hash"":""oldhash"",""mirascope.version.signature_hash"":""oldsig"",""mirascope.version.name"":""Recommend""}}',
                        '[{{""name"":""exception"",""timeUnixNano"":""{start}"",""attributes"":{{""exception.type"":""X""}}}}]', '{{}}', 'books', NULL, NULL, 1),
                        ('{trace}', '0000000000000002', '0000000000000001', 'chat gpt-4o', 3, {start}, {start + 50_000_000}, 0,
                        '{{""gen_ai.operation.name"":""chat"",""gen_ai.provider.name"":""openai"",""gen_ai.request.model"":""gpt-4o"",""gen_ai.usage.input_tokens"":1000,""gen_ai.usage.output_tokens"":100}}',
                        '[]', '{{}}', 'books', 1000, 100, 1);
                    INSERT INTO traces VALUES ('{trace}', '0000000000000001', 'Shop.Recommend', 'books', 0, {start}, {start + 100_000_000}, 2, 0, NULL, NULL, 1000, 100, 2, 1);";
                command.ExecuteNonQuery();
            }

            await using (var viewer = await RunningViewer.StartAsync(o => o.Store = path))
            {
                var listed = (await viewer.GetJsonAsync("api/traces")).GetProperty("traces");
                Assert.Equal(1, listed.GetArrayLength());
                Assert.Equal("Shop.Recommend", listed[0].GetProperty("rootName").GetString());
                Assert.Equal(1000, listed[0].GetProperty("inputTokens").GetInt64());
                Assert.Equal("error", listed[0].GetProperty("status").GetString());   // recomputed: the exception event counts now
                Assert.Equal(2, (await viewer.GetJsonAsync("api/traces/" + trace)).GetProperty("spans").GetArrayLength());

                var functions = (await viewer.GetJsonAsync("api/functions")).GetProperty("functions");
                Assert.Equal("Recommend", functions[0].GetProperty("name").GetString());
                Assert.Equal(1, functions[0].GetProperty("errors").GetInt64());
                Assert.Equal((1000 * 2.5m + 100 * 10m) / 1_000_000m, functions[0].GetProperty("costUsd").GetDecimal());

                // The Cloud endpoints work on the migrated file, and the old spans link to the version once it is registered.
                await FunctionEndpointTests.CreateAsync(viewer, FunctionEndpointTests.CreateBody("Recommend", "oldhash", "oldsig"));
                var versions = (await viewer.GetJsonAsync("api/functions/versions?name=Recommend")).GetProperty("versions");
                Assert.Equal(1, versions.GetArrayLength());
                Assert.Equal("1.0", versions[0].GetProperty("version").GetString());
                Assert.Equal(1, versions[0].GetProperty("calls").GetInt64());
            }

            using (var connection = new SqliteConnection("Data Source=" + path + ";Pooling=False"))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA user_version";
                Assert.Equal((long)Mirascope.Ops.Viewer.Storage.Sqlite.SqliteSchema.Current, (long)command.ExecuteScalar()!);
            }

            // Opening it again (now the current schema) changes nothing.
            await using (var again = await RunningViewer.StartAsync(o => o.Store = path))
            {
                Assert.Equal(1, (await again.GetJsonAsync("api/traces")).GetProperty("traces").GetArrayLength());
                Assert.Equal(1, (await again.GetJsonAsync("api/v2/functions")).GetProperty("total").GetInt32());
            }

            Directory.Delete(folder, recursive: true);
        }

        /// <summary>
        /// What schema 2 added to schema 1 (Storage/SchemaMigrations.cs Version2 at da0ceea). A frozen copy on purpose, like
        /// schema 1 above: the test must build the file an old viewer wrote, whatever the schema code says today.
        /// </summary>
        private const string Schema2Additions = @"
            ALTER TABLE spans ADD COLUMN usage_source INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE spans ADD COLUMN cache_read_tokens INTEGER;
            ALTER TABLE spans ADD COLUMN cache_write_tokens INTEGER;
            ALTER TABLE spans ADD COLUMN provider TEXT;
            ALTER TABLE spans ADD COLUMN model TEXT;
            ALTER TABLE spans ADD COLUMN version_hash TEXT;
            ALTER TABLE spans ADD COLUMN version_name TEXT;
            ALTER TABLE spans ADD COLUMN is_error INTEGER NOT NULL DEFAULT 0;
            CREATE INDEX IF NOT EXISTS spans_by_version ON spans (version_hash) WHERE version_hash IS NOT NULL;
            CREATE INDEX IF NOT EXISTS spans_by_start ON spans (start_ns);
            CREATE INDEX IF NOT EXISTS spans_by_parent ON spans (trace_id, parent_span_id);
            CREATE TABLE IF NOT EXISTS functions (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE, hash TEXT NOT NULL UNIQUE, signature_hash TEXT NOT NULL, name TEXT NOT NULL,
                description TEXT, version TEXT NOT NULL, major INTEGER NOT NULL, minor INTEGER NOT NULL,
                tags TEXT, metadata TEXT, code TEXT NOT NULL, signature TEXT NOT NULL, language TEXT NOT NULL, dependencies TEXT,
                created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS functions_by_name ON functions (name, seq);
            CREATE TABLE IF NOT EXISTS annotations (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE, otel_span_id TEXT NOT NULL, otel_trace_id TEXT NOT NULL,
                label TEXT, reasoning TEXT, metadata TEXT, tags TEXT NOT NULL DEFAULT '[]',
                created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL,
                UNIQUE (otel_span_id, otel_trace_id));
            CREATE INDEX IF NOT EXISTS annotations_by_trace ON annotations (otel_trace_id);
            PRAGMA user_version = 2;";

        /// <summary>What schema 3 added to schema 2 (Storage/SchemaMigrations.cs Version3 at da0ceea).</summary>
        private const string Schema3Additions = @"
            CREATE TABLE IF NOT EXISTS function_versions (
                name TEXT PRIMARY KEY, major INTEGER NOT NULL, minor INTEGER NOT NULL, signature_hash TEXT NOT NULL);
            PRAGMA user_version = 3;";

        /// <summary>
        /// A file of schema 2 or 3 holds a model call stored twice (our chat span and the SDK's inside it, same response id),
        /// summed twice by that viewer: opened now, the inner span is marked as the outer's repeat and the call counts once.
        /// </summary>
        [Theory]
        [InlineData(2)]
        [InlineData(3)]
        public async Task A_schema_2_or_3_database_opens_and_a_call_stored_by_two_layers_counts_once(int schema)
        {
            var folder = Directory.CreateTempSubdirectory("viewer-migration-").FullName;
            var path = Path.Combine(folder, "spans.db");
            var trace = RichSpans.TraceId("old-layers-" + schema);
            var start = 1_772_366_400_000_000_000L;
            const string Usage = @"""gen_ai.operation.name"":""chat"",""gen_ai.provider.name"":""openai"",""gen_ai.request.model"":""gpt-4o-mini"",""gen_ai.response.id"":""chatcmpl-old"",""gen_ai.usage.input_tokens"":14,""gen_ai.usage.output_tokens"":21,""gen_ai.usage.cache_creation.input_tokens"":4";
            using (var connection = new SqliteConnection("Data Source=" + path + ";Pooling=False"))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = Schema1.Replace("PRAGMA user_version = 1;", "") + Schema2Additions + (schema == 3 ? Schema3Additions : "") + $@"
                    PRAGMA journal_mode = WAL;
                    INSERT INTO spans (trace_id, span_id, parent_span_id, name, kind, start_ns, end_ns, status_code, attributes, events, resource, service_name,
                        input_tokens, output_tokens, received_ms, usage_source, provider, model)
                    VALUES ('{trace}', '0000000000000001', NULL, 'chat gpt-4o-mini', 3, {start}, {start + 100}, 0, '{{{Usage}}}', '[]', '{{}}', 'books', 14, 21, 1, 1, 'openai', 'gpt-4o-mini'),
                        ('{trace}', '0000000000000002', '0000000000000001', 'chat', 3, {start + 1}, {start + 90}, 0, '{{{Usage}}}', '[]', '{{}}', 'books', 14, 21, 1, 1, 'openai', 'gpt-4o-mini');
                    INSERT INTO traces VALUES ('{trace}', '0000000000000001', 'chat gpt-4o-mini', 'books', 0, {start}, {start + 100}, 2, 0, NULL, NULL, 28, 42, 2, 1);";
                command.ExecuteNonQuery();
            }

            await using (var viewer = await RunningViewer.StartAsync(o => o.Store = path))
            {
                var listed = (await viewer.GetJsonAsync("api/traces")).GetProperty("traces")[0];
                Assert.Equal((14, 21), (listed.GetProperty("inputTokens").GetInt64(), listed.GetProperty("outputTokens").GetInt64()));
                var spans = (await viewer.GetJsonAsync("api/traces/" + trace)).GetProperty("spans").EnumerateArray().ToDictionary(s => s.GetProperty("spanId").GetString()!);
                Assert.Equal("0000000000000001", spans["0000000000000002"].GetProperty("usage").GetProperty("countedBy").GetString());
                Assert.Equal(4, spans["0000000000000001"].GetProperty("usage").GetProperty("cacheWriteTokens").GetInt64());   // the v1.41 name still read
            }

            Directory.Delete(folder, recursive: true);
        }

        [Fact]
        public void A_database_of_a_newer_schema_is_refused_with_a_message_rather_than_changed()
        {
            var folder = Directory.CreateTempSubdirectory("viewer-migration-").FullName;
            var path = Path.Combine(folder, "spans.db");
            using (var connection = new SqliteConnection("Data Source=" + path + ";Pooling=False"))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA user_version = 99;";
                command.ExecuteNonQuery();
            }

            var refused = Assert.Throws<InvalidOperationException>(() => new Mirascope.Ops.Viewer.Storage.TraceStore(path));
            Assert.Contains("written by a newer viewer (schema 99, this viewer knows " + Mirascope.Ops.Viewer.Storage.Sqlite.SqliteSchema.Current + ")", refused.Message);
            Directory.Delete(folder, recursive: true);
        }
    }
}
