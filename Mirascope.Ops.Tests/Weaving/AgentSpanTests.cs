using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Mirascope.Ops.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Weaving
{
    /// <summary>
    /// <c>[Agent]</c> methods of AssemblyToProcess (Agents.cs), woven by the real weaver in every build: the span is the
    /// GenAI conventions' in-process agent span (semantic-conventions-genai <c>model/gen-ai/spans.yaml</c>,
    /// <c>gen_ai.invoke_agent.internal</c>) and still records what any traced call records.
    /// </summary>
    public class AgentSpanTests
    {
        public static IEnumerable<object[]> Configurations => WovenAssembly.Configurations;

        [Theory]
        [MemberData(nameof(Configurations))]
        public void Agent_method_span_is_invoke_agent_with_the_agent_attributes_and_the_traced_call_keys(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var agent = woven.New("ResearchAgent");
            using var capture = new SpanCapture();

            var result = woven.Call(agent, "Answer", "who wrote Dune?");

            Assert.Equal("answer to who wrote Dune?: found 15", result);
            var span = capture.Single("invoke_agent researcher");
            Assert.Equal(ActivityKind.Internal, span.Kind);
            Assert.Equal(capture.Root.SpanId, span.ParentSpanId);
            Assert.Equal("invoke_agent", span.Tag("gen_ai.operation.name"));
            Assert.Equal("researcher", span.Tag("gen_ai.agent.name"));
            Assert.Equal("agent-42", span.Tag("gen_ai.agent.id"));
            Assert.Equal("Answers questions from the library", span.Tag("gen_ai.agent.description"));
            Assert.Equal("1.2.0", span.Tag("gen_ai.agent.version"));
            Assert.Equal("openai", span.Tag("gen_ai.provider.name"));

            // Mirascope's own keys, as for any [Trace].
            Assert.Equal("trace", span.Tag("mirascope.type"));
            Assert.Equal("ResearchAgent.Answer", span.Tag("mirascope.fn.qualname"));
            Assert.Equal("AssemblyToProcess.ResearchAgent.Answer", span.Tag("code.function.name"));
            Assert.Equal("{\"question\":\"string\"}", span.Tag("mirascope.trace.arg_types"));
            Assert.Equal("{\"question\":\"who wrote Dune?\"}", span.Tag("mirascope.trace.arg_values"));
            Assert.Equal("answer to who wrote Dune?: found 15", span.Tag("mirascope.trace.output"));

            // The tool it called nests under it.
            var lookup = capture.Single("ResearchAgent.Lookup");
            Assert.Equal(span.SpanId, lookup.ParentSpanId);
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public void Agent_attributes_are_on_the_span_from_its_start_where_a_sampler_sees_them(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            using var capture = new SpanCapture();

            woven.Call(woven.New("ResearchAgent"), "Answer", "q");

            var atStart = Assert.Single(capture.SampledTags, t => t.TryGetValue("gen_ai.operation.name", out var op) && (string?)op == "invoke_agent");
            Assert.Equal("researcher", atStart["gen_ai.agent.name"]);
            Assert.Equal("openai", atStart["gen_ai.provider.name"]);
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public async Task Async_agent_span_covers_the_awaited_work_and_keeps_the_trace_tags_and_metadata(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            using var capture = new SpanCapture();

            var result = await (Task<string>)woven.Call(woven.New("ResearchAgent"), "AnswerAsync", "dune", 2)!;

            Assert.Equal("found 6; found 6", result);
            var span = capture.Single("invoke_agent async researcher");
            Assert.Equal("invoke_agent", span.Tag("gen_ai.operation.name"));
            Assert.Equal("async researcher", span.Tag("gen_ai.agent.name"));
            Assert.Null(span.Tag("gen_ai.agent.id"));
            Assert.Null(span.Tag("gen_ai.agent.description"));
            Assert.Null(span.Tag("gen_ai.provider.name"));
            Assert.Equal(true, span.Tag("mirascope.fn.is_async"));
            Assert.Equal(new[] { "agents", "research" }, (string[])span.Tag("mirascope.trace.tags")!);
            Assert.Equal("{\"team\":\"library\"}", span.Tag("mirascope.trace.metadata"));
            Assert.Equal("found 6; found 6", span.Tag("mirascope.trace.output"));
            var lookups = capture.Spans.Where(s => s.DisplayName == "ResearchAgent.Lookup").ToList();
            Assert.Equal(2, lookups.Count);
            Assert.All(lookups, l => Assert.Equal(span.SpanId, l.ParentSpanId));
            Assert.All(lookups, l => Assert.True(l.StartTimeUtc >= span.StartTimeUtc && l.StartTimeUtc + l.Duration <= span.StartTimeUtc + span.Duration));
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public void Agent_without_a_name_is_named_after_its_type(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            using var capture = new SpanCapture();

            Assert.Equal("HELLO", woven.Call(woven.New("ResearchAgent"), "Unnamed", "hello"));

            var span = capture.Single("invoke_agent ResearchAgent");
            Assert.Equal("ResearchAgent", span.Tag("gen_ai.agent.name"));
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public async Task Failing_agent_rethrows_the_same_exception_and_its_span_records_the_error(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            using var capture = new SpanCapture();

            var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => (Task<string>)woven.Call(woven.New("ResearchAgent"), "FailAsync", "late")!);

            Assert.Equal("The library is closed: late", thrown.Message);
            var span = capture.Single("invoke_agent failing researcher");
            Assert.Equal(ActivityStatusCode.Error, span.Status);
            Assert.Equal("System.InvalidOperationException", span.Tag("error.type"));
            Assert.Equal("invoke_agent", span.Tag("gen_ai.operation.name"));
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public void Agent_with_RecordValues_false_keeps_the_agent_attributes_and_records_no_values(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            using var capture = new SpanCapture();

            woven.Call(woven.New("ResearchAgent"), "Quiet", "password");

            var span = capture.Single("invoke_agent quiet researcher");
            Assert.Equal("quiet researcher", span.Tag("gen_ai.agent.name"));
            Assert.Null(span.Tag("mirascope.trace.arg_values"));
            Assert.Null(span.Tag("mirascope.trace.output"));
            Assert.Equal("disabled", span.Tag("mirascope.trace.values_skipped"));
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public async Task Streaming_agent_span_covers_the_enumeration(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            using var capture = new SpanCapture();
            var parts = new List<string>();

            await foreach (var part in (IAsyncEnumerable<string>)woven.Call(woven.New("ResearchAgent"), "StreamAsync", "q", 3)!)
            {
                parts.Add(part);
            }

            Assert.Equal(3, parts.Count);
            var span = capture.Single("invoke_agent streaming researcher");
            Assert.Equal(3, span.Tag("mirascope.trace.output"));
            Assert.All(capture.Spans.Where(s => s.DisplayName == "ResearchAgent.Lookup"), l => Assert.Equal(span.SpanId, l.ParentSpanId));
        }
    }
}
