using System;
using System.Text;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Mirascope.Ops;

namespace LlmQuickStart
{
    /// <summary>The "recommend a book" example: a traced method around one model call.</summary>
    public sealed class Librarian
    {
        private readonly IChatClient _chat;

        public Librarian(IChatClient chat) => _chat = chat;

        // [Trace] gives the method its own span, with the genre as argument; the chat client's `chat gpt-4o-mini` span
        // nests under it. The ChatResponse result is recorded as Mirascope records responses: the text as output, plus
        // mirascope.response.provider_id, model_id, usage and content.
        [Trace]
        public async Task<ChatResponse> RecommendBookAsync(string genre) =>
            await _chat.GetResponseAsync($"Recommend a {genre} book.");

        // Streaming: the chat span stays open until the last update has arrived (or the loop stops early); the traced
        // method's span covers the whole loop and records the assembled text as its output.
        [Trace]
        public async Task<string> StreamRecommendationAsync(string genre, [NoTrace] Action<string> onText)
        {
            var text = new StringBuilder();
            await foreach (var update in _chat.GetStreamingResponseAsync($"Recommend a {genre} book."))
            {
                onText(update.Text);
                text.Append(update.Text);
            }

            return text.ToString();
        }
    }
}
