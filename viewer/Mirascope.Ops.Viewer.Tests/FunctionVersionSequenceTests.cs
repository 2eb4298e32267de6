using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests
{
    /// <summary>
    /// Version numbers come from the name's stored sequence, moved inside the write transaction: concurrent registrations
    /// from several processes on one file get distinct numbers in stored order, and a deleted version's number is not reused.
    /// </summary>
    public sealed class FunctionVersionSequenceTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "mirascope-viewer-tests", Guid.NewGuid().ToString("N"));

        [Fact]
        public async Task Fifty_concurrent_new_signatures_from_two_processes_on_one_file_get_fifty_distinct_major_versions_in_stored_order()
        {
            var data = TestStore.NewLocation(_folder, "shared.db");
            var (first, firstUrl) = await ViewerProcess.StartAsync("--port", "0", "--store", data);
            using var firstProcess = first;
            var (second, secondUrl) = await ViewerProcess.StartAsync("--port", "0", "--store", data);
            using var secondProcess = second;
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            using var start = new System.Threading.ManualResetEventSlim(false);

            var registrations = Enumerable.Range(0, 50).Select(i => Task.Run(async () =>
            {
                start.Wait();
                var body = FunctionEndpointTests.CreateBody("Recommend", $"hash-{i:00}", $"signature-{i:00}", code: $"int F() => {i};");
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                using var response = await http.PostAsync(new Uri((i % 2 == 0 ? firstUrl : secondUrl) + "/functions"), content);
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"registration {i}: {(int)response.StatusCode} {text}");
                return System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("version").GetString()!;
            })).ToList();
            start.Set();
            var answered = await Task.WhenAll(registrations);

            Assert.Equal(50, answered.Distinct().Count());
            var stored = new List<string>();
            using (var connection = new Mirascope.Ops.Viewer.Storage.TraceStore(data).Open())
            {
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT version FROM functions WHERE name = 'Recommend' ORDER BY seq";
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    stored.Add(reader.GetString(0));
                }
            }

            Assert.Equal(Enumerable.Range(1, 50).Select(n => $"{n}.0"), stored);   // in the order they were stored, no gap, none twice
            Assert.Equal(stored.OrderBy(v => v, StringComparer.Ordinal), answered.OrderBy(v => v, StringComparer.Ordinal));
        }

        [Fact]
        public async Task Numbers_follow_stored_order_not_request_time_and_a_deleted_versions_number_is_not_given_again()
        {
            await using var viewer = await RunningViewer.StartAsync();
            var functions = viewer.Services<Mirascope.Ops.Viewer.Storage.FunctionStore>();
            var now = DateTimeOffset.UtcNow;
            Mirascope.Ops.Viewer.Storage.FunctionDraft Draft(string hash, string signature) =>
                new(Code: "int F() => 1;", Hash: hash, Signature: "int F()", SignatureHash: signature, Name: "Recommend", Language: "csharp",
                    Description: null, TagsJson: null, MetadataJson: null, DependenciesJson: null);

            // A request whose clock reads earlier but is stored later still gets the next number, not an old one again.
            Assert.Equal("1.0", functions.Create(Draft("h1", "s1"), now, Mirascope.Ops.Viewer.Storage.TraceEnvironments.Implicit, out _).Version);
            Assert.Equal("2.0", functions.Create(Draft("h2", "s2"), now.AddMinutes(5), Mirascope.Ops.Viewer.Storage.TraceEnvironments.Implicit, out _).Version);
            Assert.Equal("3.0", functions.Create(Draft("h3", "s3"), now.AddMinutes(-5), Mirascope.Ops.Viewer.Storage.TraceEnvironments.Implicit, out _).Version);
            Assert.Equal("3.1", functions.Create(Draft("h4", "s3"), now.AddMinutes(-10), Mirascope.Ops.Viewer.Storage.TraceEnvironments.Implicit, out _).Version);
            Assert.Equal("4.0", functions.Create(Draft("h5", "s4"), now.AddMinutes(1), Mirascope.Ops.Viewer.Storage.TraceEnvironments.Implicit, out _).Version);

            var latest = functions.FindByHash("h5", null)!;
            Assert.True(functions.Delete(latest.Id, null));
            Assert.Equal("5.0", functions.Create(Draft("h6", "s5"), now, Mirascope.Ops.Viewer.Storage.TraceEnvironments.Implicit, out _).Version);
        }

#if !VIEWER_TESTS_POSTGRES
        // SQLite by nature: a file written by a schema 2 viewer (PostgreSQL stores start at the current schema).
        [Fact]
        public async Task A_schema_2_file_continues_each_name_from_its_highest_stored_number_duplicates_included()
        {
            var data = Path.Combine(_folder, "v2.db");
            await using (var viewer = await RunningViewer.StartAsync(o => o.Store = data))
            {
                await FunctionEndpointTests.CreateAsync(viewer, FunctionEndpointTests.CreateBody("Recommend", "h1", "s1"));
            }

            // As the schema 2 viewer left it: no sequence table (nor schema 4's span columns, nor schema 5's environments), and the race of its clock gave "7.0" twice.
            using (var connection = new SqliteConnection($"Data Source={data};Pooling=False"))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = LaterSchemaSteps.UndoFromRollups(onPostgres: false) + @"
                    DROP TABLE function_versions;
                    ALTER TABLE spans DROP COLUMN response_id;
                    ALTER TABLE spans DROP COLUMN counted_by;
                    DROP INDEX traces_by_environment;
                    ALTER TABLE spans DROP COLUMN environment_id;
                    ALTER TABLE traces DROP COLUMN environment_id;
                    INSERT INTO functions (id, hash, signature_hash, name, version, major, minor, code, signature, language, created_ms, updated_ms)
                    VALUES ('00000000-0000-0000-0000-000000000007', 'h7', 's7', 'Recommend', '7.0', 7, 0, 'c', 'int F()', 'csharp', 9, 9),
                           ('00000000-0000-0000-0000-000000000008', 'h7b', 's7b', 'Recommend', '7.0', 7, 0, 'c', 'int F()', 'csharp', 5, 5);
                    PRAGMA user_version = 2;";
                command.ExecuteNonQuery();
            }

            await using (var viewer = await RunningViewer.StartAsync(o => o.Store = data))
            {
                var same = await FunctionEndpointTests.CreateAsync(viewer, FunctionEndpointTests.CreateBody("Recommend", "h8", "s7b", code: "int F() => 8;"));
                var next = await FunctionEndpointTests.CreateAsync(viewer, FunctionEndpointTests.CreateBody("Recommend", "h9", "s9", code: "int F() => 9;"));
                Assert.Equal("7.1", same.GetProperty("version").GetString());   // the highest stored number and its signature
                Assert.Equal("8.0", next.GetProperty("version").GetString());
            }
        }

#endif

        public void Dispose()
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
