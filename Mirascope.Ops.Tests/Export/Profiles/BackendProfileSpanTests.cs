using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Mirascope.Ops.Profiles;
using Xunit;

namespace Mirascope.Ops.Tests.Export.Profiles
{
    /// <summary>
    /// The profile processor on spans the end-to-end scenario does not produce (cache writes, prompt variables, a tool
    /// call with captured arguments and result, an agent span, system instructions): each span gains exactly the
    /// keys docs/llm.md's table gives it, with the documented values.
    /// </summary>
    public sealed class BackendProfileSpanTests
    {
        private static readonly BackendProfiles[] Each = { BackendProfiles.Langfuse, BackendProfiles.OpenInference, BackendProfiles.GenAI };

        public static IEnumerable<object[]> Spans => new[]
        {
            new object[] { "model call with cache writes, variables and system instructions", new (string, object)[]
            {
                ("gen_ai.operation.name", "chat"), ("gen_ai.provider.name", "anthropic"), ("gen_ai.request.model", "claude-x"),
                ("gen_ai.usage.input_tokens", 30L), ("gen_ai.usage.output_tokens", 5L), ("gen_ai.usage.cache_write.input_tokens", 20L),
                ("gen_ai.input.messages", "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Hi\"}]}]"),
                ("gen_ai.system_instructions", "[{\"type\":\"text\",\"content\":\"Be brief.\"}]"),
                ("gen_ai.prompt.name", "greet"), ("gen_ai.prompt.version", "abc123"),
                ("gen_ai.prompt.variable.genre", "fantasy"), ("gen_ai.prompt.variable.count", "3"),
            } },
            new object[] { "model call with the v1.41 cache creation name", new (string, object)[]
            {
                ("gen_ai.operation.name", "text_completion"), ("gen_ai.system", "openai"), ("gen_ai.response.model", "gpt-x"),
                ("gen_ai.usage.cache_creation.input_tokens", 7L), ("gen_ai.conversation.id", "own-conversation"),
            } },
            new object[] { "tool call with captured arguments and result", new (string, object)[]
            {
                ("gen_ai.operation.name", "execute_tool"), ("gen_ai.tool.name", "get_weather"),
                ("gen_ai.tool.call.arguments", "{\"city\":\"Paris\"}"), ("gen_ai.tool.call.result", "sunny in Paris"),
            } },
            new object[] { "agent span", new (string, object)[] { ("gen_ai.operation.name", "invoke_agent"), ("gen_ai.agent.name", "librarian") } },
            new object[] { "traced agent entry point", new (string, object)[]
            {
                ("mirascope.type", "trace"), ("gen_ai.operation.name", "invoke_agent"), ("mirascope.trace.arg_values", "{\"question\":\"a book?\"}"),
                ("mirascope.trace.output", "Dune"),
            } },
            new object[] { "step with an empty tag list and no values", new (string, object)[] { ("mirascope.type", "trace"), ("mirascope.trace.tags", Array.Empty<string>()) } },
            new object[] { "foreign span", new (string, object)[] { ("http.request.method", "GET") } },
        };

        [Theory]
        [MemberData(nameof(Spans))]
        public void A_span_gains_exactly_the_documented_keys_of_each_profile(string what, (string Key, object Value)[] recorded)
        {
            foreach (var profile in Each)
            {
                foreach (var inSession in new[] { false, true })
                {
                    var (before, after) = Process(profile, recorded, inSession);
                    var (expected, rows) = ProfileKeyTable.Instance.Expected(profile, new SpanUnderTest(before, inSession, inSession));
                    var added = new SortedSet<string>(after.Keys.Except(before.Keys), StringComparer.Ordinal);
                    Assert.True(expected.SetEquals(added),
                        $"{what}, {profile}, in session {inSession}, rows [{string.Join("; ", rows)}]:\n expected {string.Join(", ", expected)}\n added    {string.Join(", ", added)}");
                }
            }
        }

        /// <summary>
        /// The spans the scenario lacks (an agent, a traced agent entry point, a step with an empty tag list, a model call
        /// of the v1.41 names) with Langfuse's profile alone and with OpenInference's beside it: Langfuse, which reads
        /// <c>openinference.span.kind</c> first, types each the same, never sees a tag key for an empty list, and never
        /// gets a <c>langfuse.observation.prompt.*</c> key (whose version must be an integer; ours is a code hash).
        /// </summary>
        [Theory]
        [InlineData(0, "generation")]
        [InlineData(1, "generation")]
        [InlineData(2, "tool")]
        [InlineData(3, "agent")]
        [InlineData(4, "agent")]
        [InlineData(5, "span")]
        [InlineData(6, "span")]
        public void Langfuse_types_a_span_the_same_with_the_OpenInference_profile_beside_it(int row, string expected)
        {
            var recorded = (ValueTuple<string, object>[])Spans.Skip(row).First()[1];
            foreach (var profiles in new[] { BackendProfiles.Langfuse, BackendProfiles.Langfuse | BackendProfiles.OpenInference })
            {
                var (_, after) = Process(profiles, recorded, inSession: true);
                Assert.Equal(expected, LangfuseReading.Type(after));
                Assert.DoesNotContain(after.Keys, k => k.StartsWith("langfuse.observation.prompt.", StringComparison.Ordinal) || k.StartsWith("langfuse.prompt.", StringComparison.Ordinal));
                if (recorded.Any(r => r.Item1 == "mirascope.trace.tags"))
                {
                    Assert.DoesNotContain("langfuse.trace.tags", after.Keys);   // an empty list: Langfuse would make a junk tag of it
                    Assert.DoesNotContain("tag.tags", after.Keys);
                }
            }
        }

        [Fact]
        public void Langfuse_input_puts_the_system_instructions_first_as_a_system_message()
        {
            var (_, after) = Process(BackendProfiles.Langfuse, (ValueTuple<string, object>[])Spans.First()[1], inSession: false);

            Assert.Equal(
                "[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":\"Be brief.\"}]},{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Hi\"}]}]",
                after["langfuse.observation.input"]);
            Assert.Equal("greet", after["langfuse.observation.metadata.prompt_name"]);
            Assert.Equal("abc123", after["langfuse.observation.metadata.prompt_version"]);
        }

        [Fact]
        public void OpenInference_reads_cache_writes_under_either_name_and_prompt_variables_as_one_JSON_object()
        {
            var (_, current) = Process(BackendProfiles.OpenInference, (ValueTuple<string, object>[])Spans.First()[1], inSession: false);
            var (_, v141) = Process(BackendProfiles.OpenInference, (ValueTuple<string, object>[])Spans.Skip(1).First()[1], inSession: false);
            var (_, tool) = Process(BackendProfiles.OpenInference, (ValueTuple<string, object>[])Spans.Skip(2).First()[1], inSession: false);

            Assert.Equal(20L, current["llm.token_count.prompt_details.cache_write"]);
            Assert.Equal(35L, current["llm.token_count.total"]);
            Assert.Equal("{\"genre\":\"fantasy\",\"count\":\"3\"}", current["llm.prompt_template.variables"]);
            Assert.Equal("abc123", current["llm.prompt_template.version"]);
            Assert.Equal(7L, v141["llm.token_count.prompt_details.cache_write"]);
            Assert.Equal("openai", v141["llm.provider"]);
            Assert.Equal("gpt-x", v141["llm.model_name"]);
            Assert.Equal("{\"city\":\"Paris\"}", tool["input.value"]);
            Assert.Equal("application/json", tool["input.mime_type"]);
            Assert.Equal("sunny in Paris", tool["output.value"]);
            Assert.Equal("text/plain", tool["output.mime_type"]);
        }

        [Theory]
        [InlineData("chat", true)]
        [InlineData("text_completion", true)]
        [InlineData("execute_tool", false)]
        [InlineData(null, false)]
        public void A_model_call_inside_another_model_call_is_counted_once_by_Langfuse_and_OpenInference(string? parentOperation, bool inside)
        {
            var recorded = (ValueTuple<string, object>[])Spans.Skip(1).First()[1];
            foreach (var profile in Each)
            {
                var (before, after) = Process(profile, recorded, inSession: false, parentOperation);
                var (expected, rows) = ProfileKeyTable.Instance.Expected(profile, new SpanUnderTest(before, false, false, parentOperation));
                Assert.Equal(expected, new SortedSet<string>(after.Keys.Except(before.Keys), StringComparer.Ordinal));
                Assert.Equal(inside, rows.Contains("a model call inside another model call"));
            }

            var (_, langfuse) = Process(BackendProfiles.Langfuse, recorded, inSession: false, parentOperation);
            var (_, openInference) = Process(BackendProfiles.OpenInference, recorded, inSession: false, parentOperation);
            Assert.Equal(inside ? "{}" : null, langfuse.GetValueOrDefault("langfuse.observation.usage_details"));
            Assert.Equal(inside ? null : 7L, openInference.GetValueOrDefault("llm.token_count.prompt_details.cache_write"));
        }

        [Fact]
        public void GenAI_keeps_a_model_calls_own_conversation_id()
        {
            var (_, after) = Process(BackendProfiles.GenAI, (ValueTuple<string, object>[])Spans.Skip(1).First()[1], inSession: true);

            Assert.Equal("own-conversation", after["gen_ai.conversation.id"]);
            Assert.Equal("profile-session", after["session.id"]);
        }

        [Fact]
        public void Outside_any_session_or_user_scope_the_profiles_span_start_allocates_nothing()
        {
            using var processor = new BackendProfileProcessor(BackendProfiles.Langfuse | BackendProfiles.OpenInference | BackendProfiles.GenAI);
            var activity = new Activity("no-identity");
            activity.ActivityTraceFlags = ActivityTraceFlags.Recorded;
            activity.IsAllDataRequested = true;
            processor.OnStart(activity);
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 1000; i++)
            {
                processor.OnStart(activity);
            }

            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
            Assert.Empty(activity.TagObjects);
        }

        /// <summary>A real Activity with the recorded attributes, through the processor's start and end, in a session or not.</summary>
        private static (Dictionary<string, object?> Before, Dictionary<string, object?> After) Process(BackendProfiles profile, (string Key, object Value)[] recorded, bool inSession, string? parentOperation = null)
        {
            using var processor = new BackendProfileProcessor(profile);
            var previous = Activity.Current;
            using var parent = new Activity("parent-under-test").SetIdFormat(ActivityIdFormat.W3C);
            if (parentOperation is not null)
            {
                parent.SetTag("gen_ai.operation.name", parentOperation).Start();
            }
            else
            {
                Activity.Current = null;
            }

            var activity = new Activity("span-under-test").SetIdFormat(ActivityIdFormat.W3C);
            activity.IsAllDataRequested = true;
            foreach (var (key, value) in recorded)
            {
                activity.SetTag(key, value);
            }

            var before = Attributes(activity);
            using (inSession ? MirascopeOps.Session("profile-session", userId: "profile-user") : null)
            {
                activity.Start();
                processor.OnStart(activity);
            }

            activity.Stop();
            processor.OnEnd(activity);
            Activity.Current = previous;
            return (before, Attributes(activity));
        }

        /// <summary>As the OTLP decoder gives them: arrays as object?[].</summary>
        private static Dictionary<string, object?> Attributes(Activity activity) =>
            activity.TagObjects.ToDictionary(t => t.Key, t => t.Value is string[] array ? array.Cast<object?>().ToArray() : t.Value);
    }
}
