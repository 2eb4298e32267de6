using Mirascope.Ops;

namespace TracedBookshop
{
    /// <summary>A versioned function: its prompt is a constant, part of its version.</summary>
    public sealed class Librarian
    {
        private const string Opening = "Try";

        /// <summary>Picks one book for a genre.</summary>
        [Version(Name = "pick_book", Tags = new[] { "books" }, Metadata = new[] { "owner=team-books" })]
        public string Pick(string genre) => Opening + " " + (genre == "fantasy" ? "Mistborn" : "Dune");
    }
}
