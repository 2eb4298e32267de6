using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Mirascope.Ops.Diagnostics;
using Mirascope.Ops.Tracing;

namespace Mirascope.Ops.Llm
{
    /// <summary>
    /// A delegating chat client that gives every call a GenAI span (<c>chat {model}</c>) on the Mirascope.Ops source.
    /// It also offers that source to the clients above it (<c>GetService&lt;ActivitySource&gt;()</c>), which is how
    /// <see cref="FunctionInvokingChatClient"/> puts its <c>execute_tool {name}</c> spans next to ours.
    /// </summary>
    internal sealed class MirascopeChatClient : DelegatingChatClient
    {
        private const string UnknownProvider = "_OTHER";

        private readonly MirascopeChatClientOptions _options;
        private readonly ChatClientMetadata? _metadata;

        public MirascopeChatClient(IChatClient innerClient, MirascopeChatClientOptions options)
            : base(innerClient)
        {
            _options = options;
            try
            {
                _metadata = innerClient.GetService<ChatClientMetadata>();
            }
            catch (Exception ex)
            {
                // Without metadata the spans lack the provider and address; the client itself still works.
                OpsEventSource.Log.TracingFailed("read chat client metadata", ex);
            }
        }

        public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            using var chat = Start(messages, options, streaming: false);
            try
            {
                var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
                chat.RecordResponse(response);
                return response;
            }
            catch (Exception ex)
            {
                chat.RecordError(ex);
                throw;
            }
        }

        public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            if (messages is null) throw new ArgumentNullException(nameof(messages));
            return new TracedChatStream(this, messages, options, cancellationToken);
        }

        public override object? GetService(Type serviceType, object? serviceKey = null)
        {
            if (serviceKey is null && serviceType == typeof(ActivitySource))
            {
                return OpsActivitySource.Source;
            }

            return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : base.GetService(serviceType, serviceKey);
        }

        internal GenAiChat Start(IEnumerable<ChatMessage> messages, ChatOptions? options, bool streaming)
        {
            var provider = _options.ProviderName ?? _metadata?.ProviderName ?? UnknownProvider;
            var model = options?.ModelId ?? _metadata?.DefaultModelId;
            var capture = LlmInstrumentation.ResolveCapture(_options.CaptureMessageContent);
            return GenAiChat.Start(provider, model, messages, options, _metadata?.ProviderUri, streaming, capture);
        }

        internal IAsyncEnumerable<ChatResponseUpdate> InnerStream(IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken) =>
            base.GetStreamingResponseAsync(messages, options, cancellationToken);
    }
}
