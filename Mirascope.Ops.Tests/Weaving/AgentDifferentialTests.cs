using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Mirascope.Ops.Tests.Infrastructure;
using Mirascope.Ops.Tracing;
using Xunit;

namespace Mirascope.Ops.Tests.Weaving
{
    /// <summary>Tracing an agent changes nothing it does: the same calls without any listener and with one.</summary>
    [Collection(NoListenerCollection.Name)]
    public class AgentDifferentialTests
    {
        public static IEnumerable<object[]> Configurations => WovenAssembly.Configurations;

        [Theory]
        [MemberData(nameof(Configurations))]
        public async Task Agent_results_and_exceptions_are_the_same_with_and_without_a_listener(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);

            async Task<(object? Answer, string AsyncAnswer, string Unnamed, string Failure, int ToolCalls)> Run()
            {
                var agent = woven.New("ResearchAgent");
                var answer = woven.Call(agent, "Answer", "who?");
                var asyncAnswer = await (Task<string>)woven.Call(agent, "AnswerAsync", "x", 3)!;
                var unnamed = (string)woven.Call(agent, "Unnamed", "abc")!;
                var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => (Task<string>)woven.Call(agent, "FailAsync", "q")!);
                return (answer, asyncAnswer, unnamed, failure.Message, (int)agent.GetType().GetProperty("ToolCalls")!.GetValue(agent)!);
            }

            Assert.False(OpsActivitySource.Source.HasListeners(), "a test left a listener on Mirascope.Ops alive");
            var unlistened = await Run();
            using var capture = new SpanCapture();
            var listened = await Run();

            Assert.Equal(unlistened, listened);
            Assert.Contains(capture.Spans, s => s.DisplayName == "invoke_agent researcher");
        }
    }
}
