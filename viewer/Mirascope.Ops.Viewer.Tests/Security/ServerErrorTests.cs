using System;
using System.Net;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests.Security
{
    /// <summary>A 5xx never carries internal text (SQL, stack traces, file paths): the client gets a stable body, the log the detail.</summary>
    public sealed class ServerErrorTests
    {
        private const string Internal = "SQL logic error: near \"DELETE\": syntax error in SELECT * FROM functions WHERE x = '' (/home/someone/.local/share/Mirascope.Ops.Viewer/spans.db)";

        [Fact]
        public async Task A_failure_no_endpoint_expected_answers_a_fixed_sentence_and_a_reference_and_logs_the_detail()
        {
            var log = new RecordingLog();
            await using var viewer = await RunningViewer.StartAsync(extraRoutes: app =>
            {
                app.MapGet("/api/test/fails", (HttpContext _) => throw new SqliteException(Internal, 1));
                app.MapPost("/api/test/fails-too", (HttpContext _) => throw new InvalidOperationException(Internal));
            }, log: log);

            foreach (var (method, path) in new[] { ("GET", "api/test/fails"), ("POST", "api/test/fails-too") })
            {
                using var response = await viewer.Http.SendAsync(new System.Net.Http.HttpRequestMessage(new System.Net.Http.HttpMethod(method), path));
                var text = await response.Content.ReadAsStringAsync();

                Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
                var body = JsonDocument.Parse(text).RootElement;
                Assert.Equal(UnexpectedErrors.Message, body.GetProperty("message").GetString());
                var reference = body.GetProperty("reference").GetString()!;
                foreach (var secret in new[] { "DELETE", "SELECT", "spans.db", "/home/", "Exception", " at ", "Sqlite" })
                {
                    Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
                }

                Assert.Contains(log.Lines, line => line.Contains(reference, StringComparison.Ordinal) && line.Contains(Internal, StringComparison.Ordinal));
            }
        }

        [Fact]
        public async Task A_failure_while_routing_gets_the_same_fixed_answer()
        {
            // Two routes for one path: routing itself throws (AmbiguousMatchException, whose text lists the endpoints).
            await using var viewer = await RunningViewer.StartAsync(extraRoutes: app => app.MapGet("/api/status", () => "a second status"));

            using var response = await viewer.Http.GetAsync("api/status");
            var text = await response.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            Assert.Equal(UnexpectedErrors.Message, JsonDocument.Parse(text).RootElement.GetProperty("message").GetString());
            Assert.DoesNotContain("api/status", text, StringComparison.Ordinal);
        }

        [Fact]
        public async Task A_database_that_stays_locked_is_a_503_to_retry_without_the_database_text()
        {
            await using var viewer = await RunningViewer.StartAsync(extraRoutes: app =>
                app.MapGet("/api/test/busy", (HttpContext _) => throw new SqliteException("database is locked: " + Internal, 5)));

            using var response = await viewer.Http.GetAsync("api/test/busy");
            var text = await response.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("1", response.Headers.RetryAfter?.ToString());
            Assert.Equal(UnexpectedErrors.BusyMessage, JsonDocument.Parse(text).RootElement.GetProperty("message").GetString());
            Assert.DoesNotContain("spans.db", text, StringComparison.Ordinal);
        }

        [Fact]
        public async Task A_lost_PostgreSQL_connection_is_a_503_to_retry_and_a_PostgreSQL_error_a_500_both_without_the_database_text()
        {
            await using var viewer = await RunningViewer.StartAsync(extraRoutes: app =>
            {
                // What Npgsql throws for a connection cut mid-request (transient), and for an error of the statement itself.
                app.MapGet("/api/test/lost", (HttpContext _) => throw new Npgsql.NpgsqlException("Exception while reading from stream: " + Internal, new System.IO.IOException("broken pipe")));
                app.MapGet("/api/test/failed", (HttpContext _) => throw new Npgsql.PostgresException("relation \"spans\" does not exist " + Internal, "ERROR", "ERROR", "42P01"));
            });

            using var lost = await viewer.Http.GetAsync("api/test/lost");
            var lostText = await lost.Content.ReadAsStringAsync();
            using var failed = await viewer.Http.GetAsync("api/test/failed");
            var failedText = await failed.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.ServiceUnavailable, lost.StatusCode);
            Assert.Equal("1", lost.Headers.RetryAfter?.ToString());
            Assert.Equal(UnexpectedErrors.BusyMessage, JsonDocument.Parse(lostText).RootElement.GetProperty("message").GetString());
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
            foreach (var text in new[] { lostText, failedText })
            {
                Assert.DoesNotContain(Internal, text, StringComparison.Ordinal);
                Assert.DoesNotContain("spans", text, StringComparison.Ordinal);
            }
        }
    }
}
