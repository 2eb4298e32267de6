using System;
using System.Diagnostics;
using System.Linq;
using System.Text.Json;
using Mirascope.Ops.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Runtime
{
    /// <summary>
    /// Tests that need nobody else listening: a listener of a test running in parallel would record this test's
    /// "not recorded" run. The collection runs on its own.
    /// </summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class AloneCollection
    {
        public const string Name = "Runs alone";
    }

    /// <summary>
    /// Recording runs none of the program's code: the scenarios of AssemblyToProcess/RecordingSafety.cs (a ToString()
    /// that calls a traced method, a self-referencing graph, a getter with an effect, a lazy collection posing as a
    /// materialized one, counting getters, Equals/GetHashCode, Lazy, a generator, IQueryable, a struct's computed
    /// property) give the same results and counters with a recording listener and with none.
    /// </summary>
    [Collection(AloneCollection.Name)]
    public class RecordingSafetyTests
    {
        // What the program observes untraced: every counter is the program's own use of the values, nothing more.
        private const string Expected =
            "print=node tostring=node\n"
            + "bag=self anything=True\n"
            + "length=4\n"
            + "sum=3 enumerations=1 count=0 indexer=0 contains=0\n"
            + "take=7 reads=0\n"
            + "hash=0 equals=0\n"
            + "created=False factory=0 generator=0 query=0\n"
            + "celsius=20 fahrenheitReads=0\n"
            + "pay=EUR";

        [Theory]
        [MemberData(nameof(WovenAssembly.Configurations), MemberType = typeof(WovenAssembly))]
        public void Every_scenario_observes_the_same_with_a_recording_listener_and_with_none(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);

            var untraced = Run(woven);
            string recorded;
            Activity[] spans;
            using (var capture = new SpanCapture())
            {
                recorded = Run(woven);
                spans = capture.Spans.ToArray();
            }

            Assert.Equal(Expected, untraced);
            Assert.Equal(untraced, recorded);

            // The recording run recorded: every traced call has its span, with arguments.
            var describe = spans.Single(s => s.DisplayName == "Recorded.Describe");
            Assert.Equal("{\"bag\":{\"Self\":\"<Bag: cycle>\",\"Label\":\"bag\"}}", describe.GetTagItem("mirascope.trace.arg_values"));
            var take = spans.Single(s => s.DisplayName == "Recorded.Take");
            Assert.Equal("{\"node\":\"<Node>\",\"counted\":{\"Name\":\"counted\",\"Reads\":0}}", take.GetTagItem("mirascope.trace.arg_values"));
            var sum = spans.Single(s => s.DisplayName == "Recorded.Sum");
            Assert.Equal("{\"values\":{\"Enumerations\":0,\"CountReads\":0,\"IndexerReads\":0,\"ContainsCalls\":0}}", sum.GetTagItem("mirascope.trace.arg_values"));
            var defer = spans.Single(s => s.DisplayName == "Recorded.Defer");
            Assert.Equal("{\"lazy\":\"<Lazy<int>>\",\"generator\":\"<IEnumerable<int>>\",\"query\":\"<EnumerableQuery<int>>\"}", defer.GetTagItem("mirascope.trace.arg_values"));
            var convert = spans.Single(s => s.DisplayName == "Recorded.Convert");
            Assert.Equal("{\"reading\":{\"Box\":{\"Count\":0},\"Celsius\":20}}", convert.GetTagItem("mirascope.trace.arg_values"));
        }

        [Theory]
        [MemberData(nameof(WovenAssembly.Configurations), MemberType = typeof(WovenAssembly))]
        public void An_opted_in_ToString_is_recorded_and_the_traced_method_it_calls_records_nothing(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var recorded = woven.New("Recorded");
            var priceType = woven.Type("Price");

            using var capture = new SpanCapture();
            var money = Activator.CreateInstance(priceType, 12.5m, "EUR")!;
            Assert.Equal("EUR", woven.Call(recorded, "Pay", money, money));

            var pay = capture.Single("Recorded.Pay");
            Assert.Equal("{\"money\":\"12.50 EUR\",\"again\":\"12.50 EUR\"}", pay.GetTagItem("mirascope.trace.arg_values"));
            Assert.DoesNotContain(capture.Spans, s => s.DisplayName == "Formatting.Money");
            Assert.Equal(2, priceType.GetField("ToStringCalls")!.GetValue(money));

            // Outside recording the same traced method is traced as usual.
            woven.Assembly.GetType("AssemblyToProcess.Formatting")!.GetMethod("Money")!.Invoke(null, new object[] { 1m });
            Assert.Single(capture.Spans, s => s.DisplayName == "Formatting.Money");
        }

        [Theory]
        [MemberData(nameof(WovenAssembly.Configurations), MemberType = typeof(WovenAssembly))]
        public void The_outputs_of_the_scenarios_are_recorded_without_running_their_code(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            using var capture = new SpanCapture();
            Run(woven);

            var prepare = capture.Spans.First(s => s.DisplayName == "Recorded.Prepare");
            // Its content (a private array) is read as a field; the lazily computed length is not recorded or computed.
            Assert.Equal("{\"items\":null}", prepare.GetTagItem("mirascope.trace.output"));
            var index = capture.Single("Recorded.Index");
            Assert.Equal("[{\"key\":{\"Id\":1,\"EqualsCalls\":0,\"HashCalls\":1},\"value\":[{\"Id\":2,\"EqualsCalls\":0,\"HashCalls\":1}]}]", index.GetTagItem("mirascope.trace.output"));
            foreach (var span in capture.Spans)
            {
                var args = span.GetTagItem("mirascope.trace.arg_values") as string;
                if (args is not null)
                {
                    JsonDocument.Parse(args).Dispose();
                }
            }
        }

        private static string Run(WovenAssembly woven) =>
            (string)woven.Assembly.GetType("AssemblyToProcess.RecordingScenarios")!.GetMethod("Run")!.Invoke(null, null)!;
    }
}
