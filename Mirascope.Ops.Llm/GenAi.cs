using System;
using System.Collections.Generic;
using Microsoft.Extensions.AI;
using Mirascope.Ops.Llm;

namespace Mirascope.Ops
{
    /// <summary>
    /// GenAI spans for code that calls a model by hand (its own HTTP calls, an SDK without telemetry). Chat clients
    /// of Microsoft.Extensions.AI get the same spans with <c>chatClient.AsBuilder().UseMirascopeOps()</c>.
    /// </summary>
    /// <example>
    /// <code>
    /// using var chat = GenAi.StartChat("openai", "gpt-4o-mini", messages);
    /// try
    /// {
    ///     var reply = await CallMyModelAsync(messages);
    ///     chat.RecordResponse(reply.Id, reply.Model, new[] { reply.FinishReason }, reply.Text);
    ///     chat.RecordUsage(reply.InputTokens, reply.OutputTokens);
    /// }
    /// catch (Exception ex)
    /// {
    ///     chat.RecordError(ex);
    ///     throw;
    /// }
    /// </code>
    /// </example>
    public static class GenAi
    {
        /// <summary>
        /// Starts a <c>chat {model}</c> span (kind Client) that becomes the current activity until it is disposed.
        /// </summary>
        /// <param name="provider">The <c>gen_ai.provider.name</c>: <c>openai</c>, <c>anthropic</c>, <c>gcp.gemini</c>, ...</param>
        /// <param name="model">The requested model (<c>gen_ai.request.model</c>), or null when the provider picks it.</param>
        /// <param name="messages">The prompt; recorded only when message content is captured.</param>
        /// <param name="options">The request settings (temperature, max tokens, tools, ...), recorded as <c>gen_ai.request.*</c>.</param>
        /// <param name="endpoint">The service's address, recorded as <c>server.address</c> and <c>server.port</c>.</param>
        /// <param name="captureMessageContent">Whether to record message content; null follows <see cref="OpsLlm.Instrument"/> and <c>OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT</c>.</param>
        /// <returns>The chat span; dispose it when the call is over.</returns>
        public static GenAiChat StartChat(
            string provider,
            string? model,
            IEnumerable<ChatMessage>? messages = null,
            ChatOptions? options = null,
            Uri? endpoint = null,
            bool? captureMessageContent = null)
        {
            if (provider is null) throw new ArgumentNullException(nameof(provider));
            return GenAiChat.Start(provider, model, messages, options, endpoint, streaming: false, LlmInstrumentation.ResolveCapture(captureMessageContent));
        }
    }
}
