using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Xunit;

namespace Mirascope.Ops.Tests.Llm
{
    internal static class ChatSpanAssertions
    {
        public static readonly string[] ContentKeys =
        {
            "gen_ai.input.messages",
            "gen_ai.output.messages",
            "gen_ai.system_instructions",
            "gen_ai.tool.definitions",
            "mirascope.response.content",
            "mirascope.response.messages",
            "gen_ai.tool.call.arguments",
            "gen_ai.tool.call.result",
        };

        public static void HasNoContent(Activity span, params string[] secrets)
        {
            foreach (var key in ContentKeys)
            {
                Assert.Null(span.GetTagItem(key));
            }

            foreach (var tag in span.TagObjects)
            {
                var text = tag.Value switch
                {
                    string s => s,
                    string[] a => string.Join("|", a),
                    _ => tag.Value?.ToString() ?? "",
                };
                foreach (var secret in secrets)
                {
                    Assert.False(text.Contains(secret, StringComparison.Ordinal), $"attribute {tag.Key} holds message content: {text}");
                }
            }
        }

        public static IReadOnlyList<Activity> Chats(this Infrastructure.SpanCapture capture) =>
            capture.Spans.Where(s => s.DisplayName.StartsWith("chat", StringComparison.Ordinal)).OrderBy(s => s.StartTimeUtc).ToList();
    }
}
