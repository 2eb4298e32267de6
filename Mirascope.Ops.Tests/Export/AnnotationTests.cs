using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Mirascope.Ops.Tests.Export.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Export
{
    /// <summary>
    /// Annotations from code (<c>trace.Annotate</c>, <c>MirascopeOps.Annotate</c>) reach the receiver's <c>POST /annotations</c>
    /// after the span they annotate — the receiver answers 404 until it has it, as the Cloud did — with the right ids
    /// and fields; the API key travels only in the Authorization header and is redacted from every report.
    /// </summary>
    [Collection(CloudRequestsCollection.Name)]
    public class AnnotationTests
    {
        [Fact]
        public async Task An_annotation_made_right_after_the_call_reaches_the_receiver_after_the_span_with_its_ids_and_fields()
        {
            await using var receiver = await CloudApiReceiver.StartAsync();
            var (recommend, _, _) = FunctionRegistrationTests.Weave("Annotated");
            using var pipeline = FunctionRegistrationTests.Cloud(receiver);

            var trace = MirascopeOps.Wrapped(() => recommend("fantasy"));
            Assert.Equal("Recommend a fantasy book", trace.Result);
            var queued = trace.Annotate(
                AnnotationLabel.Fail,
                "recommended a genre, not a book",
                new Dictionary<string, string> { ["reviewer"] = "ana", ["round"] = "2" },
                new[] { "needs-work" });
            Assert.True(queued);

            var counts = pipeline.CloudRequests.Single().Counts;
            Assert.True(await CloudApiReceiver.WaitUntilAsync(() => counts.AnnotationsSent == 1), counts.ToString());
            var sent = receiver.RequestsTo("POST", "annotations").Single(r => r.Status == 200);
            var expected = JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["otelSpanId"] = trace.SpanId,
                ["otelTraceId"] = trace.TraceId,
                ["label"] = "fail",
                ["reasoning"] = "recommended a genre, not a book",
                ["metadata"] = new Dictionary<string, string> { ["reviewer"] = "ana", ["round"] = "2" },
                ["tags"] = new[] { "needs-work" },
            });
            Assert.Equal(Normalized(expected), Normalized(sent.Body));
            var spanArrived = receiver.SpanReceivedUtc(trace.TraceId, trace.SpanId);
            Assert.NotNull(spanArrived);
            Assert.True(spanArrived <= sent.ReceivedUtc);
            Assert.Equal(0, counts.AnnotationsFailed);
        }

        [Fact]
        public async Task An_annotation_by_ids_of_a_span_still_open_is_retried_until_the_span_arrives()
        {
            await using var receiver = await CloudApiReceiver.StartAsync();
            var (recommend, _, _) = FunctionRegistrationTests.Weave("ById");
            using var pipeline = FunctionRegistrationTests.Cloud(receiver, configure: o => o.AnnotationRetryDelays = Enumerable.Repeat(TimeSpan.FromMilliseconds(100), 30).ToArray());

            using (var work = new TracedWork("annotated-root"))
            {
                recommend("poetry");
                // The root is open: its flush cannot carry it, so the receiver answers 404 until it ends and is exported.
                Assert.True(MirascopeOps.Annotate(work.TraceId, work.Root.SpanId.ToHexString().ToUpperInvariant(), AnnotationLabel.Pass));
                await CloudApiReceiver.WaitUntilAsync(() => receiver.RequestsTo("POST", "annotations").Any(r => r.Status == 404));
            }

            pipeline.ForceFlush(TimeSpan.FromSeconds(10));
            var counts = pipeline.CloudRequests.Single().Counts;
            Assert.True(await CloudApiReceiver.WaitUntilAsync(() => counts.AnnotationsSent == 1), counts.ToString());
            var attempts = receiver.RequestsTo("POST", "annotations");
            Assert.Contains(attempts, r => r.Status == 404);
            using var body = JsonDocument.Parse(attempts.Single(r => r.Status == 200).Body);
            Assert.Equal("pass", body.RootElement.GetProperty("label").GetString());
            Assert.Equal(JsonValueKind.Null, body.RootElement.GetProperty("reasoning").ValueKind);
            Assert.Equal(JsonValueKind.Null, body.RootElement.GetProperty("tags").ValueKind);
        }

        [Fact]
        public async Task The_api_key_appears_only_in_the_authorization_header_of_function_and_annotation_requests()
        {
            await using var receiver = await CloudApiReceiver.StartAsync();
            var key = receiver.ApiKey;
            var (recommend, _, _) = FunctionRegistrationTests.Weave("Leak");
            using var events = new OpsEvents();
            using var pipeline = FunctionRegistrationTests.Cloud(receiver);
            // A careless backend that echoes the credential back in its error body.
            receiver.FailWith = (500, "{\"message\":\"internal error for key " + key + "\"}");

            var trace = MirascopeOps.Wrapped(() => recommend("crime"));
            trace.Annotate(AnnotationLabel.Pass, "fine");
            var counts = pipeline.CloudRequests.Single().Counts;
            Assert.True(await CloudApiReceiver.WaitUntilAsync(() => counts.FunctionRegistrationsFailed == 1 && counts.AnnotationsFailed == 1), counts.ToString());

            var requests = receiver.Requests.Where(r => !r.Path.EndsWith("/traces", StringComparison.Ordinal)).ToList();
            Assert.Contains(requests, r => r.Path.Contains("/functions/hash/"));
            Assert.Contains(requests, r => r.Path.EndsWith("/annotations", StringComparison.Ordinal));
            Assert.All(receiver.Requests, r =>
            {
                Assert.Equal("Bearer " + key, r.Authorization);
                Assert.DoesNotContain(key, r.Path);
                Assert.DoesNotContain(key, r.Body);
                Assert.Single(r.Headers, h => h.Contains(key));
            });
            var reports = events.TextsOf(107);
            Assert.Contains(reports, t => t.Contains("[redacted]"));
            Assert.All(events.Events, e => Assert.DoesNotContain(key, e.Text));
            Assert.DoesNotContain(key, counts.ToString());
        }

        private static string Normalized(string json) => JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement);
    }
}
