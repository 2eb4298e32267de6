using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Mirascope.Ops.Export;
using Xunit;

namespace Mirascope.Ops.Tests.Export
{
    /// <summary>
    /// The console tree prints each model call's tokens once: a call seen by two layers (our <c>UseMirascopeOps()</c>
    /// span and the SDK's own span inside it) shows its tokens on the outer line only, by the viewer's rule (same
    /// response id, or the parent with the same model and tokens when one has no id). Two calls stay two calls.
    /// </summary>
    public sealed class ConsoleTreeUsageTests
    {
        private const string Duration = @"\d+\.\d\d (ms|s)";

        /// <summary>Starts a span under the current one (plain Activities: no listener, no other test's spans).</summary>
        private static Activity Start(string name, params (string Key, object? Value)[] tags)
        {
            var span = new Activity(name).SetIdFormat(ActivityIdFormat.W3C);
            foreach (var (key, value) in tags)
            {
                span.SetTag(key, value);
            }

            return span.Start();
        }

        private static (string, object?)[] Call(string? responseId, string model, long input, long output) =>
            new (string, object?)[]
            {
                ("gen_ai.operation.name", "chat"), ("gen_ai.response.id", responseId), ("gen_ai.response.model", model),
                ("gen_ai.usage.input_tokens", input), ("gen_ai.usage.output_tokens", output),
            };

        private static string[] Print(Activity top, List<Activity> spans)
        {
            var output = new StringBuilder();
            new TraceTreeFormatter(colour: false, unicode: true).Append(output, top, spans.Where(s => s != top).ToLookup(s => s.ParentSpanId), new HashSet<Activity>());
            return output.ToString().TrimEnd('\n').Split('\n');
        }

        /// <summary>A step with two calls, each seen by two layers; the SDK's layer reports its usage as int, ours as long.</summary>
        [Fact]
        public void Two_layers_of_one_call_print_the_calls_tokens_once_and_two_calls_print_theirs_each()
        {
            var previous = Activity.Current;
            Activity.Current = null;
            var spans = new List<Activity>();
            var step = Start("recommend-step");
            spans.Add(step);
            foreach (var (id, input, output) in new[] { ("chatcmpl-1", 14L, 21L), ("chatcmpl-2", 14L, 21L) })
            {
                var ours = Start("chat gpt-4o-mini", Call(id, "gpt-4o-mini-0001", input, output));
                var sdks = Start("chat gpt-4o-mini", Call(id, "gpt-4o-mini-0001", 0, 0));
                sdks.SetTag("gen_ai.usage.input_tokens", (int)input).SetTag("gen_ai.usage.output_tokens", (int)output);
                sdks.Stop();
                ours.Stop();
                spans.Add(ours);
                spans.Add(sdks);
            }

            step.Stop();
            Activity.Current = previous;

            var lines = Print(step, spans);
            Assert.Equal(5, lines.Length);
            Assert.Matches($"^  ├─ chat gpt-4o-mini  {Duration}  tokens 14 in / 21 out$", lines[1]);
            Assert.Matches($"^  │  └─ chat gpt-4o-mini  {Duration}  same call as its parent$", lines[2]);
            Assert.Matches($"^  └─ chat gpt-4o-mini  {Duration}  tokens 14 in / 21 out$", lines[3]);   // the second call, equal usage: its own
            Assert.Matches($"^     └─ chat gpt-4o-mini  {Duration}  same call as its parent$", lines[4]);
            Assert.Equal(2, lines.Count(l => l.Contains("tokens", StringComparison.Ordinal)));
        }

        [Theory]
        [InlineData("resp-a", "resp-a", 14, 14, true)]    // the same response id
        [InlineData("resp-a", "resp-b", 14, 14, false)]   // other ids: another call, even with equal usage
        [InlineData(null, "resp-a", 14, 14, true)]        // one without an id: the parent, same model and tokens
        [InlineData("resp-a", null, 14, 15, false)]       // ...but other tokens: another call
        [InlineData(null, null, 14, 14, true)]
        public void A_model_call_inside_another_is_the_same_call_by_response_id_else_by_model_and_tokens(string? outerId, string? innerId, long outerInput, long innerInput, bool same)
        {
            var previous = Activity.Current;
            Activity.Current = null;
            var outer = Start("chat m", Call(outerId, "m", outerInput, 5));
            var inner = Start("chat m", Call(innerId, "m", innerInput, 5));
            inner.Stop();
            outer.Stop();
            Activity.Current = previous;

            var lines = Print(outer, new List<Activity> { outer, inner });

            Assert.EndsWith($"tokens {outerInput} in / 5 out", lines[0], StringComparison.Ordinal);
            Assert.EndsWith(same ? "same call as its parent" : $"tokens {innerInput} in / 5 out", lines[1], StringComparison.Ordinal);
        }

        [Fact]
        public void A_layer_further_down_with_the_same_response_id_names_the_call_it_repeats()
        {
            var previous = Activity.Current;
            Activity.Current = null;
            var outer = Start("chat gpt-x", Call("resp-7", "gpt-x", 3, 4));
            var retry = Start("retry");
            var inner = Start("ChatClient.CompleteChat", Call("resp-7", "gpt-x", 3, 4));
            inner.Stop();
            retry.Stop();
            outer.Stop();
            Activity.Current = previous;

            var lines = Print(outer, new List<Activity> { outer, retry, inner });

            Assert.Matches($"^     └─ ChatClient.CompleteChat  {Duration}  same call as chat gpt-x above$", lines[2]);
        }

        [Fact]
        public void An_agents_tokens_say_they_are_its_runs_total_and_its_model_calls_print_their_own()
        {
            var previous = Activity.Current;
            Activity.Current = null;
            // One call, so the agent's total equals the call's usage and names its model: still not the same call.
            var agent = Start("invoke_agent librarian", ("gen_ai.operation.name", "invoke_agent"), ("gen_ai.request.model", "gpt-x"), ("gen_ai.usage.input_tokens", 28L), ("gen_ai.usage.output_tokens", 42L));
            var chat = Start("chat gpt-x", Call(null, "gpt-x", 28, 42));
            chat.Stop();
            agent.Stop();
            Activity.Current = previous;

            var lines = Print(agent, new List<Activity> { agent, chat });

            Assert.EndsWith("tokens 28 in / 42 out (run total)", lines[0], StringComparison.Ordinal);
            Assert.EndsWith("tokens 28 in / 42 out", lines[1], StringComparison.Ordinal);
        }
    }
}
