using System;
using System.Collections.Generic;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Mirascope.Ops.Llm
{
    /// <summary>
    /// The content attributes of the GenAI conventions as JSON strings in the conventions' message shape
    /// (gen-ai-input-messages.json / gen-ai-output-messages.json): <c>{"role", "parts":[{"type", ...}]}</c>, and the
    /// deprecated <c>finish_reason</c> of output messages only when asked for (v1.41 required it).
    /// </summary>
    internal static class GenAiMessageJson
    {
        public static string InputMessages(IEnumerable<ChatMessage> messages) => JsonText.Write(writer =>
        {
            writer.WriteStartArray();
            foreach (var message in messages)
            {
                WriteMessage(writer, message, finishReason: null, includeFinishReason: false);
            }

            writer.WriteEndArray();
        });

        public static string OutputMessages(IList<ChatMessage> messages, ChatFinishReason? finishReason, bool includeFinishReason) => JsonText.Write(writer =>
        {
            writer.WriteStartArray();
            foreach (var message in messages)
            {
                WriteMessage(writer, message, finishReason, includeFinishReason);
            }

            writer.WriteEndArray();
        });

        public static string SystemInstructions(string instructions) => JsonText.Write(writer =>
        {
            writer.WriteStartArray();
            writer.WriteStartObject();
            writer.WriteString("type", "text");
            writer.WriteString("content", instructions);
            writer.WriteEndObject();
            writer.WriteEndArray();
        });

        public static string ToolDefinitions(IList<AITool> tools) => JsonText.Write(writer =>
        {
            writer.WriteStartArray();
            foreach (var tool in tools)
            {
                writer.WriteStartObject();
                if (tool is AIFunctionDeclaration function)
                {
                    writer.WriteString("type", "function");
                    writer.WriteString("name", function.Name);
                    if (!string.IsNullOrEmpty(function.Description))
                    {
                        writer.WriteString("description", function.Description);
                    }

                    writer.WritePropertyName("parameters");
                    function.JsonSchema.WriteTo(writer);
                }
                else
                {
                    // Provider-hosted tools (web search, code interpreter, ...) run on the service side.
                    writer.WriteString("type", "extension");
                    writer.WriteString("name", tool.Name);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });

        private static void WriteMessage(Utf8JsonWriter writer, ChatMessage message, ChatFinishReason? finishReason, bool includeFinishReason)
        {
            writer.WriteStartObject();
            writer.WriteString("role", message.Role.Value);
            if (!string.IsNullOrEmpty(message.AuthorName))
            {
                writer.WriteString("name", message.AuthorName);
            }

            writer.WritePropertyName("parts");
            writer.WriteStartArray();
            foreach (var content in message.Contents)
            {
                WritePart(writer, content);
            }

            writer.WriteEndArray();
            if (includeFinishReason)
            {
                // v1.41's output schema required finish_reason; "stop" is what a message without a reported reason ended with.
                writer.WriteString("finish_reason", FinishReasons.ToConvention(finishReason) ?? "stop");
            }

            writer.WriteEndObject();
        }

        // Walks the same content kinds as MirascopeResponseJson.WritePart on purpose: two wire formats (the GenAI
        // conventions' parts here, Mirascope's Python response there) with different names and shapes per kind, each
        // pinned by its own contract tests; one writer parameterized by both would hide which format a line writes.
        private static void WritePart(Utf8JsonWriter writer, AIContent content)
        {
            switch (content)
            {
                case TextContent text:
                    writer.WriteStartObject();
                    writer.WriteString("type", "text");
                    writer.WriteString("content", text.Text);
                    writer.WriteEndObject();
                    return;
                case TextReasoningContent reasoning:
                    writer.WriteStartObject();
                    writer.WriteString("type", "reasoning");
                    writer.WriteString("content", reasoning.Text);
                    writer.WriteEndObject();
                    return;
                case FunctionCallContent call:
                    writer.WriteStartObject();
                    writer.WriteString("type", "tool_call");
                    writer.WriteString("id", call.CallId);
                    writer.WriteString("name", call.Name);
                    writer.WritePropertyName("arguments");
                    JsonText.WriteValue(writer, call.Arguments);
                    writer.WriteEndObject();
                    return;
                case FunctionResultContent result:
                    writer.WriteStartObject();
                    writer.WriteString("type", "tool_call_response");
                    writer.WriteString("id", result.CallId);
                    writer.WritePropertyName("response");
                    JsonText.WriteValue(writer, result.Result);
                    writer.WriteEndObject();
                    return;
                case DataContent data:
                    writer.WriteStartObject();
                    writer.WriteString("type", "blob");
                    writer.WriteString("modality", Modality(data.MediaType));
                    writer.WriteString("mime_type", data.MediaType);
                    writer.WriteString("content", data.Base64Data.ToString());
                    writer.WriteEndObject();
                    return;
                case UriContent uri:
                    writer.WriteStartObject();
                    writer.WriteString("type", "uri");
                    writer.WriteString("modality", Modality(uri.MediaType));
                    writer.WriteString("mime_type", uri.MediaType);
                    writer.WriteString("uri", uri.Uri.OriginalString);
                    writer.WriteEndObject();
                    return;
                case HostedFileContent file:
                    writer.WriteStartObject();
                    writer.WriteString("type", "file");
                    if (file.MediaType is not null)
                    {
                        writer.WriteString("modality", Modality(file.MediaType));
                        writer.WriteString("mime_type", file.MediaType);
                    }

                    writer.WriteString("file_id", file.FileId);
                    writer.WriteEndObject();
                    return;
                case UsageContent:
                    // Usage travels in the usage attributes, not in the messages.
                    return;
                default:
                    // The conventions' GenericPart: the type is all that is known without exposing unknown payloads.
                    writer.WriteStartObject();
                    writer.WriteString("type", GenericType(content));
                    writer.WriteEndObject();
                    return;
            }
        }

        private static string Modality(string mediaType)
        {
            if (mediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase)) return "image";
            if (mediaType.StartsWith("audio/", StringComparison.OrdinalIgnoreCase)) return "audio";
            if (mediaType.StartsWith("video/", StringComparison.OrdinalIgnoreCase)) return "video";
            return "document";
        }

        private static string GenericType(AIContent content)
        {
            var name = content.GetType().Name;
            if (name.EndsWith("Content", StringComparison.Ordinal) && name.Length > "Content".Length)
            {
                name = name.Substring(0, name.Length - "Content".Length);
            }

            return name.ToLowerInvariant();
        }
    }
}
