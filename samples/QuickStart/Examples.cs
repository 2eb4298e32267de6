using System;
using System.Linq;
using System.Threading.Tasks;
using Mirascope.Ops;

namespace QuickStart
{
    public sealed record Stats(double Mean, int Max);

    public static class DataProcessing
    {
        [Trace]
        public static Stats ProcessData(int[] values) => new Stats(values.Average(), values.Max());
    }

    public static class Greeter
    {
        [Trace]
        public static string Greet(string name) => $"Hello, {name}!";
    }

    public static class Reports
    {
        [Trace]
        public static string WeeklyReport(string[] regions)
        {
            var total = regions.Sum(RegionSales);
            return $"{regions.Length} regions, {total} sales";
        }

        [Trace]
        public static int RegionSales(string region) => region.Length * 100;
    }

    public static class Payments
    {
        [Trace]
        public static void Charge(string card, decimal amount)
        {
            if (amount <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(amount), "A charge must be positive.");
            }
        }
    }

    public static class Library
    {
        [Trace]
        public static async Task<string> FetchBookAsync(int id)
        {
            await Task.Delay(20); // stands in for an HTTP call
            return FormatTitle($"book {id}");
        }

        [Trace]
        public static string FormatTitle(string raw) => raw.ToUpperInvariant();
    }

    public static class Recommendations
    {
        [Trace(Tags = new[] { "recommendations", "beta" }, Metadata = new[] { "owner=books-team", "model=popularity-v2" })]
        public static string[] ForReader(string reader) => new[] { "Dune", "Emma" };
    }
}
