using System.Collections.Generic;
using Mirascope.Ops.Configuration;
using Mirascope.Ops.Tests.Export.Infrastructure;
using Mirascope.Ops.Tracing;
using Xunit;

namespace Mirascope.Ops.Tests.Runtime
{
    /// <summary>
    /// Formatters registered in the options (<see cref="OpsOptions.AddValueFormatter{T}"/>): the opt-in that lets
    /// recording run the program's code. Formatters are process-wide, so these tests run alone.
    /// </summary>
    [Collection(AloneCollection.Name)]
    public class ValueFormatterTests
    {
        public class Money
        {
            public decimal Amount { get; set; } = 12.5m;

            public string Currency { get; set; } = "EUR";
        }

        public sealed class Euros : Money
        {
        }

        public interface ISecret
        {
        }

        public sealed class ApiToken : ISecret
        {
            public string Value { get; set; } = "sk-123";
        }

        [Fact]
        public void A_formatter_configured_in_the_options_records_the_type_its_derived_types_and_implementations()
        {
            try
            {
                OpsPipeline.ResolveOptions(
                    o => o.AddValueFormatter<Money>(m => m.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + m.Currency)
                          .AddValueFormatter<ISecret>(_ => "***"),
                    TestEnvironment.Empty).ApplyRecording();

                Assert.Equal("\"12.5 EUR\"", ValueRecordingTests.Record(new Money()));
                Assert.Equal("[\"12.5 EUR\"]", ValueRecordingTests.Record(new List<Money> { new Euros() }));
                Assert.Equal("{\"Key\":\"k\",\"Value\":\"***\"}", ValueRecordingTests.Record(new KeyValuePair<string, ISecret>("k", new ApiToken())));

                // A configuration without formatters takes them away: the types are recorded by their members again.
                OpsPipeline.ResolveOptions(_ => { }, TestEnvironment.Empty).ApplyRecording();
                Assert.Equal("{\"Amount\":12.5,\"Currency\":\"EUR\"}", ValueRecordingTests.Record(new Money()));
                Assert.Equal("{\"Value\":\"sk-123\"}", ValueRecordingTests.Record(new ApiToken()));
            }
            finally
            {
                ValueFormatters.Clear();
            }
        }

        [Fact]
        public void A_formatter_that_throws_is_recorded_as_what_it_threw()
        {
            try
            {
                ValueFormatters.Add<Money>(_ => throw new System.FormatException("no"));
                Assert.Equal("\"<Money: formatter threw FormatException>\"", ValueRecordingTests.Record(new Money()));
            }
            finally
            {
                ValueFormatters.Clear();
            }
        }

        [Fact]
        public void A_formatter_registered_while_another_thread_records_the_type_applies_to_every_recording_after_it()
        {
            // The other thread keeps classifying Money while this one registers and removes its formatter: no shape it
            // worked out under the old formatters may be served after the change, on either thread.
            try
            {
                for (var round = 0; round < 200; round++)
                {
                    using var stop = new System.Threading.CancellationTokenSource();
                    using var check = new System.Threading.SemaphoreSlim(0);
                    using var checkedIt = new System.Threading.SemaphoreSlim(0);
                    var seen = new List<string>();
                    var recorder = new System.Threading.Thread(() =>
                    {
                        while (!stop.IsCancellationRequested)
                        {
                            ValueRecordingTests.Record(new Money());
                            if (check.Wait(0))
                            {
                                seen.Add(ValueRecordingTests.Record(new List<Money> { new Money() }));
                                checkedIt.Release();
                            }
                        }
                    });
                    recorder.Start();

                    ValueFormatters.Add<Money>(m => "formatted " + m.Currency);
                    Assert.Equal("\"formatted EUR\"", ValueRecordingTests.Record(new Money()));
                    check.Release();
                    Assert.True(checkedIt.Wait(System.TimeSpan.FromSeconds(10)));

                    ValueFormatters.Clear();
                    Assert.Equal("{\"Amount\":12.5,\"Currency\":\"EUR\"}", ValueRecordingTests.Record(new Money()));
                    check.Release();
                    Assert.True(checkedIt.Wait(System.TimeSpan.FromSeconds(10)));

                    stop.Cancel();
                    recorder.Join();
                    Assert.Equal(new[] { "[\"formatted EUR\"]", "[{\"Amount\":12.5,\"Currency\":\"EUR\"}]" }, seen);
                }
            }
            finally
            {
                ValueFormatters.Clear();
            }
        }
    }
}
