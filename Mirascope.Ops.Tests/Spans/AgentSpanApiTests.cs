using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Mirascope.Ops.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Spans
{
    /// <summary><c>MirascopeOps.AgentSpan</c>: the explicit form of <c>[Agent]</c>, for an agent loop that is not one method.</summary>
    public class AgentSpanApiTests
    {
        [Fact]
        public void Explicit_agent_span_is_invoke_agent_with_the_agent_attributes_at_start_and_parents_what_runs_inside()
        {
            using var capture = new SpanCapture();

            using (MirascopeOps.AgentSpan("researcher", id: "agent-7", description: "Answers from the library", provider: "anthropic"))
            {
                using (MirascopeOps.Span("step"))
                {
                }
            }

            var agent = capture.Single("invoke_agent researcher");
            Assert.Equal(ActivityKind.Internal, agent.Kind);
            Assert.Equal(
                new Dictionary<string, object?>
                {
                    ["mirascope.type"] = "trace",
                    ["gen_ai.operation.name"] = "invoke_agent",
                    ["gen_ai.provider.name"] = "anthropic",
                    ["gen_ai.agent.name"] = "researcher",
                    ["gen_ai.agent.id"] = "agent-7",
                    ["gen_ai.agent.description"] = "Answers from the library",
                },
                agent.TagObjects.ToDictionary(t => t.Key, t => t.Value));
            Assert.Contains(capture.SampledTags, t => t.TryGetValue("gen_ai.agent.name", out var n) && (string?)n == "researcher" && (string?)t["gen_ai.operation.name"] == "invoke_agent");
            Assert.Equal(agent.SpanId, capture.Single("step").ParentSpanId);
            Assert.Equal(capture.Root.SpanId, agent.ParentSpanId);
        }

        [Fact]
        public void Explicit_agent_span_without_a_name_is_named_invoke_agent_and_writes_only_what_was_given()
        {
            using var capture = new SpanCapture();

            using (MirascopeOps.AgentSpan(null))
            {
            }

            var agent = capture.Single("invoke_agent");
            Assert.Equal(
                new Dictionary<string, object?> { ["mirascope.type"] = "trace", ["gen_ai.operation.name"] = "invoke_agent" },
                agent.TagObjects.ToDictionary(t => t.Key, t => t.Value));
        }
    }
}
