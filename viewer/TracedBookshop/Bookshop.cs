using System;
using System.Threading.Tasks;
using Mirascope.Ops;

namespace TracedBookshop
{
    /// <summary>A small traced "app": a recommendation that searches, prices and fails to look up one book.</summary>
    public sealed class Bookshop
    {
        /// <summary>The top span: calls <see cref="SearchAsync"/> and <see cref="Price"/>, and <see cref="Lookup"/>, which throws.</summary>
        [Trace(Tags = new[] { "books", "recommendation" }, Metadata = new[] { "owner=team-books" })]
        public async Task<string> RecommendAsync(string genre, int budget)
        {
            var titles = await SearchAsync(genre).ConfigureAwait(false);
            var total = Price(titles[0], 2);
            try
            {
                Lookup(404);
            }
            catch (BookNotFoundException)
            {
                // the recommendation goes on without it; the failed span stays in the trace
            }

            return total <= budget ? titles[0] : "nothing in budget";
        }

        [Trace]
        public async Task<string[]> SearchAsync(string genre)
        {
            await Task.Yield();
            return new[] { "The Name of the Wind", "Mistborn" };
        }

        [Trace]
        public int Price(string title, int quantity) => title.Length * quantity;

        [Trace]
        public string Lookup(int id) => throw new BookNotFoundException("no book " + id);
    }

    /// <summary>The failure the traced lookup throws.</summary>
    public sealed class BookNotFoundException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public BookNotFoundException(string message)
            : base(message)
        {
        }
    }
}
