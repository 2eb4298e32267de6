using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using Mirascope.Ops.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Export.Profiles
{
    /// <summary>
    /// docs/llm.md's table "Keys each profile adds", read from the file, and what it says a span should get: the tests
    /// compare the exported keys with it, so the documentation and the code cannot drift apart.
    /// </summary>
    internal sealed class ProfileKeyTable
    {
        private static readonly Lazy<ProfileKeyTable> Documented = new Lazy<ProfileKeyTable>(() => Read(Path.Combine(RepositoryPaths.Root, "docs", "llm.md")));

        private static readonly string[] Columns = { "Langfuse", "OpenInference", "GenAI" };

        private static readonly string[] ModelOperations = { "chat", "text_completion", "generate_content" };

        /// <summary>When each documented row applies, by its label; a row the docs add without a rule here fails the tests.</summary>
        private static readonly Dictionary<string, Func<SpanUnderTest, bool>> Rules = new Dictionary<string, Func<SpanUnderTest, bool>>
        {
            ["any span started inside a session"] = s => s.InSession,
            ["any span started inside a user scope"] = s => s.InUserScope,
            ["a `[Trace]` step or explicit span"] = IsStep,
            ["a traced call that recorded its arguments"] = s => IsTracedCall(s) && s.Has("mirascope.trace.arg_values"),
            ["a traced call that recorded an output"] = s => IsTracedCall(s) && s.Has("mirascope.trace.output"),
            ["a traced call with tags"] = s => IsTracedCall(s) && s.Base.TryGetValue("mirascope.trace.tags", out var tags) && tags is object?[] { Length: > 0 },
            ["a traced call with metadata"] = s => IsTracedCall(s) && s.Has("mirascope.trace.metadata"),
            ["a model call"] = IsModelCall,
            ["a model call naming its model"] = s => IsModelCall(s) && (s.Has("gen_ai.response.model") || s.Has("gen_ai.request.model")),
            ["a model call naming its provider"] = s => IsModelCall(s) && (s.Has("gen_ai.provider.name") || s.Has("gen_ai.system")),
            ["a model call with input tokens, not inside another model call"] = s => IsModelCall(s) && !InsideModelCall(s) && s.Has("gen_ai.usage.input_tokens"),
            ["a model call with output tokens, not inside another model call"] = s => IsModelCall(s) && !InsideModelCall(s) && s.Has("gen_ai.usage.output_tokens"),
            ["a model call with input and output tokens, not inside another model call"] = s => IsModelCall(s) && !InsideModelCall(s) && s.Has("gen_ai.usage.input_tokens") && s.Has("gen_ai.usage.output_tokens"),
            ["a model call with cache reads, not inside another model call"] = s => IsModelCall(s) && !InsideModelCall(s) && s.Has("gen_ai.usage.cache_read.input_tokens"),
            ["a model call with cache writes, not inside another model call"] = s => IsModelCall(s) && !InsideModelCall(s) && (s.Has("gen_ai.usage.cache_write.input_tokens") || s.Has("gen_ai.usage.cache_creation.input_tokens")),
            ["a model call with reasoning tokens, not inside another model call"] = s => IsModelCall(s) && !InsideModelCall(s) && s.Has("gen_ai.usage.reasoning.output_tokens"),
            ["a model call inside another model call"] = InsideModelCall,
            ["a model call with captured input messages"] = s => IsModelCall(s) && s.Has("gen_ai.input.messages"),
            ["a model call with captured output messages"] = s => IsModelCall(s) && s.Has("gen_ai.output.messages"),
            ["a model call inside a `[Version]` function"] = s => IsModelCall(s) && s.Has("gen_ai.prompt.name") && s.Has("gen_ai.prompt.version"),
            ["a model call with prompt variables"] = s => IsModelCall(s) && s.Base.Keys.Any(k => k.StartsWith("gen_ai.prompt.variable.", StringComparison.Ordinal)),
            ["a model call in a session, without a conversation id of its own"] = s => IsModelCall(s) && s.InSession && !s.Has("gen_ai.conversation.id"),
            ["a tool call"] = IsToolCall,
            ["a tool call naming its tool"] = s => IsToolCall(s) && s.Has("gen_ai.tool.name"),
            ["a tool call with captured arguments"] = s => IsToolCall(s) && s.Has("gen_ai.tool.call.arguments"),
            ["a tool call with a captured result"] = s => IsToolCall(s) && s.Has("gen_ai.tool.call.result"),
            ["an agent span"] = s => s.Operation is "invoke_agent" or "create_agent",
        };

        private readonly Dictionary<string, Dictionary<string, string[]>> _rows;

        private ProfileKeyTable(Dictionary<string, Dictionary<string, string[]>> rows)
        {
            _rows = rows;
        }

        public static ProfileKeyTable Instance => Documented.Value;

        public IReadOnlyCollection<string> Rows => _rows.Keys;

        /// <summary>Every key the table names for any profile (placeholders as written).</summary>
        public IEnumerable<string> AllKeys => _rows.Values.SelectMany(r => r.Values).SelectMany(k => k).Distinct();

        /// <summary>The keys <paramref name="profile"/> adds to <paramref name="span"/>, by the table, and the rows that applied.</summary>
        public (SortedSet<string> Keys, List<string> Rows) Expected(BackendProfiles profile, SpanUnderTest span)
        {
            var column = profile switch
            {
                BackendProfiles.Langfuse => "Langfuse",
                BackendProfiles.OpenInference => "OpenInference",
                BackendProfiles.GenAI => "GenAI",
                _ => throw new ArgumentException("one profile at a time", nameof(profile)),
            };
            var keys = new SortedSet<string>(StringComparer.Ordinal);
            var applied = new List<string>();
            foreach (var (label, columns) in _rows)
            {
                if (!Rules[label](span))
                {
                    continue;
                }

                applied.Add(label);
                foreach (var key in columns[column])
                {
                    if (key.EndsWith(".<key>", StringComparison.Ordinal))
                    {
                        var prefix = key.Substring(0, key.Length - "<key>".Length);
                        using var metadata = JsonDocument.Parse((string)span.Base["mirascope.trace.metadata"]!);
                        foreach (var property in metadata.RootElement.EnumerateObject())
                        {
                            keys.Add(prefix + property.Name);
                        }
                    }
                    else
                    {
                        keys.Add(key);
                    }
                }
            }

            return (keys, applied);
        }

        private static ProfileKeyTable Read(string path)
        {
            var lines = File.ReadAllLines(path);
            var start = Array.FindIndex(lines, l => l.Trim() == "### Keys each profile adds");
            Assert.True(start >= 0, "docs/llm.md has no section 'Keys each profile adds'");
            var table = lines.Skip(start + 1).SkipWhile(l => !l.StartsWith("|", StringComparison.Ordinal)).TakeWhile(l => l.StartsWith("|", StringComparison.Ordinal)).ToList();
            var header = Cells(table[0]);
            Assert.Equal(new[] { "span" }.Concat(Columns), header);
            var rows = new Dictionary<string, Dictionary<string, string[]>>();
            foreach (var line in table.Skip(2))
            {
                var cells = Cells(line);
                var label = cells[0];
                Assert.True(Rules.ContainsKey(label), $"docs/llm.md documents a row the tests have no rule for: '{label}'");
                var columns = new Dictionary<string, string[]>();
                for (var i = 0; i < Columns.Length; i++)
                {
                    columns[Columns[i]] = Regex.Matches(cells[i + 1], "`([^`]+)`").Select(m => m.Groups[1].Value).ToArray();
                }

                rows.Add(label, columns);
            }

            var missing = Rules.Keys.Except(rows.Keys).ToList();
            Assert.True(missing.Count == 0, "rows the tests know but docs/llm.md no longer documents: " + string.Join(", ", missing));
            return new ProfileKeyTable(rows);
        }

        private static string[] Cells(string line) =>
            line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();

        private static bool IsTracedCall(SpanUnderTest s) => s.Base.TryGetValue("mirascope.type", out var type) && (string?)type == "trace";

        private static bool IsStep(SpanUnderTest s) => IsTracedCall(s) && s.Operation is null;

        private static bool IsModelCall(SpanUnderTest s) => s.Operation is { } op && ModelOperations.Contains(op);

        private static bool InsideModelCall(SpanUnderTest s) => IsModelCall(s) && s.ParentOperation is { } op && ModelOperations.Contains(op);

        private static bool IsToolCall(SpanUnderTest s) => s.Operation == "execute_tool";
    }

    /// <summary>A span as it is without a profile (its attributes), and the scopes it was started in.</summary>
    internal sealed class SpanUnderTest
    {
        public SpanUnderTest(IReadOnlyDictionary<string, object?> baseAttributes, bool inSession, bool inUserScope, string? parentOperation = null)
        {
            Base = baseAttributes;
            InSession = inSession;
            InUserScope = inUserScope;
            ParentOperation = parentOperation;
        }

        /// <summary>The parent span's <c>gen_ai.operation.name</c>, when the parent is in the same process.</summary>
        public string? ParentOperation { get; }

        public IReadOnlyDictionary<string, object?> Base { get; }

        public bool InSession { get; }

        public bool InUserScope { get; }

        public string? Operation => Base.TryGetValue("gen_ai.operation.name", out var op) ? op as string : null;

        public bool Has(string key) => Base.ContainsKey(key);
    }
}
