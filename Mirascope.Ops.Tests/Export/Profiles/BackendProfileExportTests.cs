using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Mirascope.Ops.Tests.Export.Infrastructure;
using Mirascope.Ops.Tests.Infrastructure;
using Mirascope.Ops.Tests.Llm;
using Xunit;

namespace Mirascope.Ops.Tests.Export.Profiles
{
    /// <summary>
    /// Per profile, what a loopback OTLP receiver gets from the real pipeline (our OTLP exporter, the real OpenTelemetry
    /// SDK, the real OpenAI SDK against the loopback fake): traced steps, model calls (ours and the SDK's own), a tool
    /// call and a prompt version, in a session with a user and outside it. The keys each span gained over the same
    /// scenario without a profile are exactly those docs/llm.md's table names for it.
    /// </summary>
    public sealed class BackendProfileExportTests
    {
        private const string SessionId = "chat-7";
        private const string UserId = "alice";

        [Theory]
        [InlineData(BackendProfiles.Langfuse)]
        [InlineData(BackendProfiles.OpenInference)]
        [InlineData(BackendProfiles.GenAI)]
        public async Task Each_exported_span_gains_exactly_the_keys_the_documented_table_gives_its_profile(BackendProfiles profile)
        {
            var without = await RunScenarioAsync(BackendProfiles.None);
            var with = await RunScenarioAsync(profile);

            var table = ProfileKeyTable.Instance;
            var applied = new HashSet<string>();
            Assert.Equal(without.Spans.Count, with.Spans.Count);
            for (var i = 0; i < with.Spans.Count; i++)
            {
                var (plain, profiled) = (without.Spans[i], with.Spans[i]);
                Assert.Equal(plain.Name, profiled.Name);
                Assert.Equal(plain.ScopeName, profiled.ScopeName);
                var inSession = plain.TraceId == without.SessionTraceId;
                var parent = without.Spans.FirstOrDefault(s => s.SpanId == plain.ParentSpanId);
                var (expected, rows) = table.Expected(profile, new SpanUnderTest(plain.Attributes, inSession, inSession, parent?["gen_ai.operation.name"] as string));
                applied.UnionWith(rows);
                var added = new SortedSet<string>(profiled.Attributes.Keys.Except(plain.Attributes.Keys), StringComparer.Ordinal);
                Assert.True(expected.SetEquals(added),
                    $"{profile}, span '{profiled.Name}' ({profiled.ScopeName}), rows [{string.Join("; ", rows)}]:\n expected {string.Join(", ", expected)}\n added    {string.Join(", ", added)}");
                Assert.Empty(plain.Attributes.Keys.Except(profiled.Attributes.Keys));   // a profile only adds
            }

            // The scenario reached the rows that matter here: steps with all they can carry, both kinds of model call, a tool.
            Assert.Contains("a traced call with metadata", applied);
            Assert.Contains("a traced call that recorded an output", applied);
            Assert.Contains("a model call with captured output messages", applied);
            Assert.Contains("a model call inside a `[Version]` function", applied);
            Assert.Contains("a model call in a session, without a conversation id of its own", applied);
            Assert.Contains("a tool call", applied);
            Assert.Contains("a model call inside another model call", applied);   // the OpenAI SDK's span under ours
            Assert.Contains(with.Spans, s => s.ScopeName.StartsWith("OpenAI.", StringComparison.Ordinal) && s.TraceId == with.SessionTraceId);
        }

        [Fact]
        public async Task Langfuse_gets_a_steps_arguments_and_result_as_input_and_output_its_tags_and_metadata_and_the_session_and_user_on_the_SDKs_own_span()
        {
            var run = await RunScenarioAsync(BackendProfiles.Langfuse);

            var analyze = run.Single("analyze");
            Assert.Equal("span", analyze["langfuse.observation.type"]);
            Assert.Equal(analyze["mirascope.trace.arg_values"], analyze["langfuse.observation.input"]);
            Assert.Equal("positive", analyze["langfuse.observation.output"]);
            Assert.Equal(new object?[] { "ml-pipeline", "production" }, analyze["langfuse.trace.tags"]);
            Assert.Equal("1.0", analyze["langfuse.observation.metadata.version"]);
            Assert.Equal("team-ml", analyze["langfuse.observation.metadata.owner"]);
            Assert.Equal("42", run.Single("Calc.Multiply", run.SessionTraceId)["langfuse.observation.output"]);
            Assert.DoesNotContain("langfuse.trace.tags", run.Single("Calc.Multiply", run.SessionTraceId).Attributes.Keys);   // no tags: no key

            var sdk = run.Spans.First(s => s.ScopeName.StartsWith("OpenAI.", StringComparison.Ordinal) && s.TraceId == run.SessionTraceId);
            Assert.Equal(SessionId, sdk["session.id"]);
            Assert.Equal(UserId, sdk["user.id"]);
            Assert.Equal("{}", sdk["langfuse.observation.usage_details"]);   // the same call as ours: no usage counted twice
            Assert.DoesNotContain("langfuse.observation.usage_details", run.Single("analyze").Attributes.Keys);
            Assert.DoesNotContain(run.Spans.Where(s => s.TraceId != run.SessionTraceId), s => s.Attributes.ContainsKey("session.id") || s.Attributes.ContainsKey("user.id"));

            // A model call in a [Version] function: its messages are its input and output, the prompt is metadata (never
            // langfuse.observation.prompt.*, whose version must be an integer).
            var versioned = run.Spans.Single(s => s.ScopeName == OpsTelemetryNames.ActivitySource && s["gen_ai.prompt.name"] is "recommend_books");
            Assert.Equal(versioned["gen_ai.input.messages"], versioned["langfuse.observation.input"]);
            Assert.Equal(versioned["gen_ai.output.messages"], versioned["langfuse.observation.output"]);
            Assert.Equal("recommend_books", versioned["langfuse.observation.metadata.prompt_name"]);
            Assert.Equal(versioned["gen_ai.prompt.version"], versioned["langfuse.observation.metadata.prompt_version"]);
            Assert.DoesNotContain(run.Spans.SelectMany(s => s.Attributes.Keys), k => k.StartsWith("langfuse.observation.prompt.", StringComparison.Ordinal));
        }

        [Fact]
        public async Task OpenInference_types_steps_as_chains_and_model_calls_as_LLM_spans_with_input_output_model_and_token_counts()
        {
            var run = await RunScenarioAsync(BackendProfiles.OpenInference);

            var analyze = run.Single("analyze");
            Assert.Equal("CHAIN", analyze["openinference.span.kind"]);
            Assert.Equal(analyze["mirascope.trace.arg_values"], analyze["input.value"]);
            Assert.Equal("application/json", analyze["input.mime_type"]);
            Assert.Equal("positive", analyze["output.value"]);
            Assert.Equal("text/plain", analyze["output.mime_type"]);   // a string result is text
            Assert.Equal(new object?[] { "ml-pipeline", "production" }, analyze["tag.tags"]);
            Assert.Equal(analyze["mirascope.trace.metadata"], analyze["metadata"]);
            Assert.Equal(SessionId, analyze["session.id"]);
            Assert.Equal(UserId, analyze["user.id"]);
            Assert.Equal("application/json", run.Single("Calc.Multiply", run.SessionTraceId)["output.mime_type"]);   // 42

            var chat = run.Spans.Single(s => s.ScopeName == OpsTelemetryNames.ActivitySource && s["gen_ai.prompt.name"] is "recommend_books");
            Assert.Equal("LLM", chat["openinference.span.kind"]);
            Assert.Equal(chat["gen_ai.input.messages"], chat["input.value"]);
            Assert.Equal(chat["gen_ai.output.messages"], chat["output.value"]);
            Assert.Equal(chat["gen_ai.response.model"], chat["llm.model_name"]);
            Assert.Equal("openai", chat["llm.provider"]);
            Assert.Equal(12L, chat["llm.token_count.prompt"]);
            Assert.Equal(9L, chat["llm.token_count.completion"]);
            Assert.Equal(21L, chat["llm.token_count.total"]);
            Assert.Equal(4L, chat["llm.token_count.prompt_details.cache_read"]);
            Assert.Equal(2L, chat["llm.token_count.completion_details.reasoning"]);
            Assert.Equal(chat["gen_ai.prompt.version"], chat["llm.prompt_template.version"]);

            // The OpenAI SDK's own span of the same call: an LLM span, its tokens counted on ours only.
            var sdk = run.Spans.First(s => s.ScopeName.StartsWith("OpenAI.", StringComparison.Ordinal) && s.TraceId == run.SessionTraceId);
            Assert.Equal("LLM", sdk["openinference.span.kind"]);
            Assert.DoesNotContain(sdk.Attributes.Keys, k => k.StartsWith("llm.token_count.", StringComparison.Ordinal));
            Assert.NotNull(sdk["gen_ai.usage.input_tokens"]);   // its own keys stay

            var tool = run.Spans.Single(s => s["gen_ai.operation.name"] is "execute_tool");
            Assert.Equal("TOOL", tool["openinference.span.kind"]);
            Assert.Equal("get_weather", tool["tool.name"]);
        }

        [Fact]
        public async Task GenAI_adds_only_the_conventions_keys_session_user_and_the_conversation_of_a_model_call()
        {
            var run = await RunScenarioAsync(BackendProfiles.GenAI);

            var chats = run.Spans.Where(s => s["gen_ai.operation.name"] is "chat" && s.TraceId == run.SessionTraceId).ToList();
            Assert.NotEmpty(chats);
            Assert.All(chats, c => Assert.Equal(SessionId, c["gen_ai.conversation.id"]));
            var without = await RunScenarioAsync(BackendProfiles.None);
            var added = run.Spans.SelectMany(s => s.Attributes.Keys).Except(without.Spans.SelectMany(s => s.Attributes.Keys)).OrderBy(k => k, StringComparer.Ordinal);
            Assert.Equal(new[] { "gen_ai.conversation.id", "session.id", "user.id" }, added);   // no made-up key
        }

        /// <summary>
        /// Langfuse reads <c>openinference.span.kind</c> before <c>gen_ai.operation.name</c> and <c>input.value</c> before the
        /// GenAI messages: with both profiles on (a span sent to Langfuse and Phoenix alike) Langfuse must still make a
        /// generation of every model call, a tool of every tool call, a span of every step, with the same input and output
        /// it shows with its own profile alone, and never take a model call's <c>gen_ai.prompt.*</c> keys as its input.
        /// </summary>
        [Fact]
        public async Task With_the_OpenInference_profile_beside_it_Langfuse_types_every_span_and_reads_its_input_and_output_as_with_its_own_alone()
        {
            var alone = await RunScenarioAsync(BackendProfiles.Langfuse);
            var both = await RunScenarioAsync(BackendProfiles.Langfuse | BackendProfiles.OpenInference);

            Assert.Equal(alone.Spans.Count, both.Spans.Count);
            for (var i = 0; i < both.Spans.Count; i++)
            {
                var (one, two) = (alone.Spans[i], both.Spans[i]);
                Assert.Equal(one.Name, two.Name);
                var type = LangfuseReading.Type(two.Attributes);
                Assert.True(LangfuseReading.Type(one.Attributes) == type, $"span '{two.Name}' ({two.ScopeName}): {LangfuseReading.Type(one.Attributes)} alone, {type} with OpenInference");
                var (_, input, output) = LangfuseReading.InputAndOutput(two.Attributes);
                var (_, inputAlone, outputAlone) = LangfuseReading.InputAndOutput(one.Attributes);
                Assert.Equal(inputAlone, input);
                Assert.Equal(outputAlone, output);

                var operation = two["gen_ai.operation.name"] as string;
                if (operation is "chat")
                {
                    Assert.Equal("generation", type);
                    Assert.NotEqual("gen_ai.prompt*", LangfuseReading.InputAndOutput(two.Attributes).Source);   // the one-source trap
                    if (two.ScopeName == OpsTelemetryNames.ActivitySource)
                    {
                        Assert.NotNull(output);   // ours, content captured (the OpenAI SDK's own span records no messages)
                    }
                }
                else if (operation is "execute_tool")
                {
                    Assert.Equal("tool", type);
                }
                else if (two["mirascope.type"] is "trace")
                {
                    Assert.Equal("span", type);
                }
            }

            Assert.Contains(both.Spans, s => s["gen_ai.prompt.name"] is not null && s["gen_ai.operation.name"] is "chat");   // the trap's span was there
        }

        [Fact]
        public async Task Without_a_profile_no_span_carries_any_key_a_profile_adds()
        {
            var run = await RunScenarioAsync(BackendProfiles.None);

            var profileKeys = ProfileKeyTable.Instance.AllKeys.Where(k => !k.EndsWith(".<key>", StringComparison.Ordinal)).ToHashSet();
            profileKeys.Remove("gen_ai.conversation.id");   // a GenAI key our chat spans carry when the call sets one (this scenario sets none)
            Assert.All(run.Spans, s => Assert.DoesNotContain(s.Attributes.Keys, k => profileKeys.Contains(k) || k.StartsWith("langfuse.", StringComparison.Ordinal)));
            Assert.Equal(SessionId, run.Single("analyze")["mirascope.ops.session.id"]);
            Assert.Equal(UserId, run.Single("analyze")["mirascope.ops.user.id"]);
            var chat = run.Spans.First(s => s.ScopeName == OpsTelemetryNames.ActivitySource && s["gen_ai.operation.name"] is "chat");
            Assert.Equal(SessionId, chat["mirascope.ops.session.id"]);   // our chat spans carry the identity too
            Assert.Equal(UserId, chat["mirascope.ops.user.id"]);
        }

        private sealed class ScenarioRun
        {
            public ScenarioRun(List<ReceivedSpan> spans, string sessionTraceId)
            {
                Spans = spans;
                SessionTraceId = sessionTraceId;
            }

            /// <summary>Both traces' spans, in a stable order (trace, scope, name, start) for comparing two runs.</summary>
            public List<ReceivedSpan> Spans { get; }

            public string SessionTraceId { get; }

            public ReceivedSpan Single(string name, string? traceId = null) =>
                Spans.Single(s => s.Name == name && (traceId is null || s.TraceId == traceId));
        }

        /// <summary>
        /// One run: in a session with a user, two traced steps (one with tags and metadata), a model call with a tool
        /// through UseMirascopeOps and the OpenAI SDK (its own spans on, content capture on), a model call in a
        /// [Version] function; outside any session, one traced step.
        /// </summary>
        private static async Task<ScenarioRun> RunScenarioAsync(BackendProfiles profile)
        {
            await using var receiver = await TraceReceiver.StartAsync();
            var llm = await FakeLlmServer.Shared;
            OpsLlm.Instrument();
            using var pipeline = Pipelines.Build(o =>
            {
                o.ScheduledDelay = TimeSpan.FromMinutes(1);
                o.UseOtlp(receiver.OtlpEndpoint);
                o.BackendProfiles = profile;
            });
            var woven = WovenAssembly.Get("Release");
            var calc = woven.New("Calc");
            var chat = LlmClients.OpenAI(llm, "gpt-profiles").Traced(capture: true, functionInvocation: true);
            var tools = new ChatOptions { Tools = new List<AITool> { AIFunctionFactory.Create((string city) => $"sunny in {city}", "get_weather", "Gets the weather of a city") } };

            var previous = Activity.Current;
            Activity.Current = null;
            string sessionTrace, outsideTrace;
            using (MirascopeOps.Session(SessionId, userId: UserId))
            using (MirascopeOps.Span("in-session"))
            {
                sessionTrace = Activity.Current!.TraceId.ToHexString();
                woven.Call(calc, "Analyze", "a good book");
                woven.Call(calc, "Multiply", 6, 7);
                await chat.GetResponseAsync("What is the weather in Paris?", tools);
                await WovenLibrarian.Instance.CallAsync("RecommendAsync", "fantasy", 2, WovenLibrarian.Ask(chat));
            }

            Activity.Current = null;
            using (MirascopeOps.Span("no-session"))
            {
                outsideTrace = Activity.Current!.TraceId.ToHexString();
                woven.Call(calc, "Multiply", 1, 2);
            }

            Activity.Current = previous;
            Assert.True(pipeline.ForceFlush(TimeSpan.FromSeconds(10)));
            var spans = receiver.SpansOf(sessionTrace).Concat(receiver.SpansOf(outsideTrace))
                .OrderBy(s => s.TraceId == sessionTrace ? 0 : 1)
                .ThenBy(s => s.ScopeName, StringComparer.Ordinal)
                .ThenBy(s => s.Name, StringComparer.Ordinal)
                .ThenBy(s => s.StartTimeUnixNano)
                .ToList();
            return new ScenarioRun(spans, sessionTrace);
        }
    }
}
