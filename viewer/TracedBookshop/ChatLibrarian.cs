using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Mirascope.Ops;

namespace TracedBookshop
{
    /// <summary>
    /// A versioned function around one model call, as samples/LlmQuickStart's Librarian: the chat client's spans (ours from
    /// <c>UseMirascopeOps</c> and the provider SDK's own) nest under the method's span.
    /// </summary>
    public sealed class ChatLibrarian
    {
        private readonly IChatClient _chat;

        public ChatLibrarian(IChatClient chat) => _chat = chat;

        /// <summary>Asks the model for one book of a genre.</summary>
        [Version(Name = "recommend_book")]
        public async Task<ChatResponse> RecommendBookAsync(string genre) =>
            await _chat.GetResponseAsync($"Recommend a {genre} book.");

        /// <summary>Two model calls in one trace: one book of each genre.</summary>
        [Trace]
        public async Task<string> RecommendTwoAsync(string first, string second) =>
            (await RecommendBookAsync(first)).Text + "\n" + (await RecommendBookAsync(second)).Text;
    }
}
