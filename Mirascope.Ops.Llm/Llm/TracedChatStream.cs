using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Mirascope.Ops.Diagnostics;

namespace Mirascope.Ops.Llm
{
    /// <summary>
    /// A streamed chat call whose span covers the whole stream: it starts at the first <c>MoveNextAsync</c> and ends
    /// when the stream ends, when it fails (cancellation included), or when the consumer stops early and disposes the
    /// enumerator (<c>break</c> out of <c>await foreach</c>). The updates received so far make up the recorded response;
    /// a stream that failed or was left early without a finish reason gets the conventions' <c>error</c>. Each update's
    /// arrival is timed for the streaming histograms (<see cref="GenAiChat.RecordChunk"/>).
    /// </summary>
    internal sealed class TracedChatStream : IAsyncEnumerable<ChatResponseUpdate>
    {
        private readonly MirascopeChatClient _client;
        private readonly IEnumerable<ChatMessage> _messages;
        private readonly ChatOptions? _options;
        private readonly CancellationToken _cancellationToken;

        public TracedChatStream(MirascopeChatClient client, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
        {
            _client = client;
            _messages = messages;
            _options = options;
            _cancellationToken = cancellationToken;
        }

        public IAsyncEnumerator<ChatResponseUpdate> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
            new Enumerator(this, cancellationToken);

        private sealed class Enumerator : IAsyncEnumerator<ChatResponseUpdate>
        {
            private readonly TracedChatStream _stream;
            private readonly CancellationToken _enumeratorToken;
            private readonly List<ChatResponseUpdate> _updates = new List<ChatResponseUpdate>();
            private IAsyncEnumerator<ChatResponseUpdate>? _inner;
            private GenAiChat? _chat;
            private ChatResponseUpdate? _current;
            private bool _started;

            public Enumerator(TracedChatStream stream, CancellationToken enumeratorToken)
            {
                _stream = stream;
                _enumeratorToken = enumeratorToken;
            }

            public ChatResponseUpdate Current => _current ?? throw new InvalidOperationException("The enumeration has not started or has ended.");

            public async ValueTask<bool> MoveNextAsync()
            {
                // An async method: the span set current here stays inside this call, so the inner client's work (HTTP
                // spans, SDK spans) nests under the chat span while the consumer's code between updates does not.
                var chat = _chat;
                if (chat is null)
                {
                    if (_started)
                    {
                        return false;
                    }

                    _started = true;
                    chat = _chat = _stream._client.Start(_stream._messages, _stream._options, streaming: true);
                }
                else if (chat.Activity is not null)
                {
                    Activity.Current = chat.Activity;
                }

                bool more;
                try
                {
                    if (_inner is null)
                    {
                        // The inner client sees the token of WithCancellation when there is one, else the call's.
                        var token = _enumeratorToken.CanBeCanceled ? _enumeratorToken : _stream._cancellationToken;
                        _inner = _stream._client.InnerStream(_stream._messages, _stream._options, _stream._cancellationToken).GetAsyncEnumerator(token);
                    }

                    more = await _inner.MoveNextAsync().ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    Finish(ex);
                    throw;
                }

                if (!more)
                {
                    _current = null;
                    Finish(null);
                    return false;
                }

                _current = _inner.Current;
                chat.RecordChunk();
                if (chat.IsRecording || GenAiMetricsEnabled)
                {
                    _updates.Add(_current);
                }

                return true;
            }

            public async ValueTask DisposeAsync()
            {
                var inner = _inner;
                _inner = null;
                try
                {
                    if (inner is not null)
                    {
                        await inner.DisposeAsync().ConfigureAwait(false);
                    }
                }
                finally
                {
                    // Stopped early (break, or an exception in the consumer's loop): end the span with what arrived,
                    // the choice marked as ended without its final event unless a finish reason already came.
                    _chat?.RecordEndedEarly();
                    Finish(null);
                }
            }

            private static bool GenAiMetricsEnabled => GenAiMetrics.AnyEnabled(GenAiConventions.EmitV141Names);

            private void Finish(Exception? error)
            {
                var chat = _chat;
                if (chat is null)
                {
                    return;
                }

                _chat = null;
                try
                {
                    if (_updates.Count > 0)
                    {
                        chat.RecordResponse(_updates.ToChatResponse());
                    }

                    if (error is not null)
                    {
                        chat.RecordError(error);
                    }
                }
                catch (Exception ex)
                {
                    OpsEventSource.Log.TracingFailed("record streamed chat response", ex);
                }
                finally
                {
                    chat.Dispose();
                }
            }
        }
    }
}
