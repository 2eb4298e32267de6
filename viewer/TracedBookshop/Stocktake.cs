using Mirascope.Ops;

namespace TracedBookshop
{
    /// <summary>A traced loop over a method that records no values: its spans say why their values are missing.</summary>
    public sealed class Stocktake
    {
        /// <summary>Counts the copies of every book.</summary>
        [Trace]
        public int Count(string[] isbns)
        {
            var total = 0;
            foreach (var isbn in isbns)
            {
                total += CopiesOf(isbn);
            }

            return total;
        }

        [Trace(RecordValues = false)]
        private static int CopiesOf(string isbn) => isbn.Length % 3 + 1;
    }
}
