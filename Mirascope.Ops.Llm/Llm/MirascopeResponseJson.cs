using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Mirascope.Ops.Llm
{
    /// <summary>
    /// Mirascope's own response attributes (<c>mirascope.response.*</c>) in the shapes Python's <c>mirascope.ops</c>
    /// writes, so anything that reads Mirascope spans reads ours: content parts <c>text{text}</c>,
    /// <c>tool_call{id,name,args}</c>, <c>thought{thought}</c>, <c>tool_output{id,name,result}</c>, and usage
    /// <c>{input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, total_tokens}</c>.
    /// </summary>
    internal static class MirascopeResponseJson
    {
        /// <summary>The additional-count key under which M.E.AI adapters report tokens written to the prompt cache.</summary>
        private static readonly string[] CacheWriteKeys = { "CacheCreationInputTokens", "cache_creation_input_tokens", "InputCacheWriteTokenCount" };

        public static string Usage(UsageDetails usage) => JsonText.Write(writer =>
        {
            var input = usage.InputTokenCount ?? 0;
            var output = usage.OutputTokenCount ?? 0;
            writer.WriteStartObject();
            writer.WriteNumber("input_tokens", input);
            writer.WriteNumber("output_tokens", output);
            writer.WriteNumber("cache_read_tokens", usage.CachedInputTokenCount ?? 0);
            writer.WriteNumber("cache_write_tokens", CacheWriteTokens(usage) ?? 0);
            writer.WriteNumber("reasoning_tokens", usage.ReasoningTokenCount ?? 0);
            writer.WriteNumber("total_tokens", usage.TotalTokenCount ?? input + output);
            writer.WriteEndObject();
        });

        public static long? CacheWriteTokens(UsageDetails usage)
        {
            var counts = usage.AdditionalCounts;
            if (counts is null)
            {
                return null;
            }

            foreach (var key in CacheWriteKeys)
            {
                if (counts.TryGetValue(key, out var value))
                {
                    return value;
                }
            }

            return null;
        }

        /// <summary>The content parts of the response's messages.</summary>
        public static string Content(IList<ChatMessage> messages)
        {
            var toolNames = ToolNames(messages);
            return JsonText.Write(writer =>
            {
                writer.WriteStartArray();
                foreach (var message in messages)
                {
                    foreach (var content in message.Contents)
                    {
                        WritePart(writer, content, toolNames);
                    }
                }

                writer.WriteEndArray();
            });
        }

        /// <summary>The input messages: system content is a single part, others a list, as Python writes them.</summary>
        public static string Messages(IEnumerable<ChatMessage> messages) => JsonText.Write(writer =>
        {
            var list = messages as IList<ChatMessage> ?? new List<ChatMessage>(messages);
            var toolNames = ToolNames(list);
            writer.WriteStartArray();
            foreach (var message in list)
            {
                writer.WriteStartObject();
                writer.WriteString("role", message.Role.Value);
                writer.WritePropertyName("content");
                if (message.Role == ChatRole.System)
                {
                    writer.WriteStartObject();
                    writer.WriteString("type", "text");
                    writer.WriteString("text", message.Text);
                    writer.WriteEndObject();
                }
                else
                {
                    writer.WriteStartArray();
                    foreach (var content in message.Contents)
                    {
                        WritePart(writer, content, toolNames);
                    }

                    writer.WriteEndArray();
                    writer.WritePropertyName("name");
                    if (message.AuthorName is null) writer.WriteNullValue(); else writer.WriteStringValue(message.AuthorName);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });

        /// <summary>
        /// A readable rendering of the response for <c>mirascope.trace.output</c>, as Python's <c>response.pretty()</c>:
        /// the text, then each tool call on its own paragraph.
        /// </summary>
        public static string Pretty(ChatResponse response)
        {
            var builder = new StringBuilder();
            foreach (var message in response.Messages)
            {
                foreach (var content in message.Contents)
                {
                    switch (content)
                    {
                        case TextContent text when !string.IsNullOrEmpty(text.Text):
                            Paragraph(builder).Append(text.Text);
                            break;
                        case TextReasoningContent thought when !string.IsNullOrEmpty(thought.Text):
                            Paragraph(builder).Append("**Thinking:**\n  ").Append(thought.Text.Replace("\n", "\n  "));
                            break;
                        case FunctionCallContent call:
                            Paragraph(builder).Append("**ToolCall (").Append(call.Name).Append("):** ").Append(JsonText.Serialize(call.Arguments));
                            break;
                    }
                }
            }

            return builder.ToString();
        }

        private static StringBuilder Paragraph(StringBuilder builder) => builder.Length == 0 ? builder : builder.Append("\n\n");

        // Walks the same content kinds as GenAiMessageJson.WritePart on purpose: two wire formats, see the comment there.
        private static void WritePart(Utf8JsonWriter writer, AIContent content, Dictionary<string, string> toolNames)
        {
            switch (content)
            {
                case TextContent text:
                    writer.WriteStartObject();
                    writer.WriteString("type", "text");
                    writer.WriteString("text", text.Text);
                    writer.WriteEndObject();
                    return;
                case TextReasoningContent reasoning:
                    writer.WriteStartObject();
                    writer.WriteString("type", "thought");
                    writer.WriteString("thought", reasoning.Text);
                    writer.WriteEndObject();
                    return;
                case FunctionCallContent call:
                    writer.WriteStartObject();
                    writer.WriteString("type", "tool_call");
                    writer.WriteString("id", call.CallId);
                    writer.WriteString("name", call.Name);
                    // Python's ToolCall.args is the JSON text of the arguments.
                    writer.WriteString("args", JsonText.Serialize(call.Arguments ?? new Dictionary<string, object?>()));
                    writer.WriteEndObject();
                    return;
                case FunctionResultContent result:
                    writer.WriteStartObject();
                    writer.WriteString("type", "tool_output");
                    writer.WriteString("id", result.CallId);
                    writer.WritePropertyName("name");
                    if (toolNames.TryGetValue(result.CallId, out var name)) writer.WriteStringValue(name); else writer.WriteNullValue();
                    writer.WritePropertyName("result");
                    JsonText.WriteValue(writer, result.Result);
                    writer.WriteEndObject();
                    return;
                case DataContent data:
                    writer.WriteStartObject();
                    writer.WriteString("type", MirascopeKind(data.MediaType));
                    writer.WritePropertyName("source");
                    writer.WriteStartObject();
                    writer.WriteString("type", "base64_" + MirascopeKind(data.MediaType) + "_source");
                    writer.WriteString("mime_type", data.MediaType);
                    writer.WriteString("data", data.Base64Data.ToString());
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                    return;
                case UriContent uri:
                    writer.WriteStartObject();
                    writer.WriteString("type", MirascopeKind(uri.MediaType));
                    writer.WritePropertyName("source");
                    writer.WriteStartObject();
                    writer.WriteString("type", "url_" + MirascopeKind(uri.MediaType) + "_source");
                    writer.WriteString("url", uri.Uri.OriginalString);
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                    return;
                case UsageContent:
                    return;
                default:
                    writer.WriteStartObject();
                    writer.WriteString("type", "unknown");
                    writer.WriteEndObject();
                    return;
            }
        }

        private static string MirascopeKind(string mediaType)
        {
            if (mediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase)) return "image";
            if (mediaType.StartsWith("audio/", StringComparison.OrdinalIgnoreCase)) return "audio";
            return "document";
        }

        private static Dictionary<string, string> ToolNames(IList<ChatMessage> messages)
        {
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var message in messages)
            {
                foreach (var content in message.Contents)
                {
                    if (content is FunctionCallContent call && call.CallId is not null)
                    {
                        names[call.CallId] = call.Name;
                    }
                }
            }

            return names;
        }
    }
}
