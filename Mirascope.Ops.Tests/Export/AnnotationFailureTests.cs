using System;
using System.Linq;
using System.Threading.Tasks;
using Mirascope.Ops.Tests.Export.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Export
{
    /// <summary>
    /// Annotations and function registrations a receiver refuses do not fail silently: <c>Annotate</c> says the
    /// annotation was accepted for sending, <c>OpsExport.Statistics</c> then shows it not delivered, counted by reason,
    /// and stderr says so once per destination and kind.
    /// </summary>
    [Collection(CloudRequestsCollection.Name)]
    public class AnnotationFailureTests
    {
        [Theory]
        [InlineData(401)]
        [InlineData(500)]
        public async Task Annotations_and_registrations_the_receiver_refuses_are_counted_told_once_on_stderr_and_show_as_not_delivered(int status)
        {
            await using var receiver = await CloudApiReceiver.StartAsync();
            var (recommend, _, _) = FunctionRegistrationTests.Weave("Refused" + status);
            var stderr = new StderrCapture();
            using var pipeline = FunctionRegistrationTests.Cloud(receiver, configure: o =>
            {
                o.StandardError = () => stderr.Writer;
                if (status == 401)
                {
                    o.ApiKey = "mk_test_wrong_" + Guid.NewGuid().ToString("N");
                }
            });
            if (status == 500)
            {
                receiver.FailWith = (500, "{\"message\":\"database down\"}");
            }

            var destination = pipeline.CloudRequests.Single().Destination;
            var first = MirascopeOps.Wrapped(() => recommend("fantasy"));
            var second = MirascopeOps.Wrapped(() => recommend("poetry"));
            Assert.True(first.Annotate(AnnotationLabel.Pass, "good"));   // accepted for sending: what Annotate can know
            Assert.True(second.Annotate(AnnotationLabel.Fail));

            OpsRequestStatistics Annotations() => OpsExport.Statistics.Destinations.Single(d => d.Destination == destination).Annotations;
            Assert.True(await CloudApiReceiver.WaitUntilAsync(() => Annotations().Failed == 2), Annotations().ToString());

            var annotations = Annotations();
            Assert.Equal((0L, 2L, 0L, 0L, 0L, 0L), (annotations.Delivered, annotations.FailedRejected, annotations.FailedRetriesExhausted, annotations.FailedQueueFull, annotations.FailedAtShutdown, annotations.Pending));
            var registrations = OpsExport.Statistics.Destinations.Single(d => d.Destination == destination).FunctionRegistrations;
            Assert.Equal((0L, 1L), (registrations.Delivered, registrations.FailedRejected));
            Assert.Equal(2L, receiver.RequestsTo("POST", "annotations").Count(r => r.Status == status));   // not retried

            var line = Assert.Single(stderr.Lines, l => l.StartsWith($"Mirascope.Ops: annotations sent to {destination} are failing: ", StringComparison.Ordinal));
            Assert.Contains($"HTTP {status}", line);
            if (status == 401)
            {
                Assert.Contains("refused the API key", line);
            }

            Assert.Single(stderr.Lines, l => l.StartsWith($"Mirascope.Ops: function registrations sent to {destination} are failing: ", StringComparison.Ordinal));
            Assert.DoesNotContain(receiver.ApiKey, stderr.Text);
        }
    }
}
