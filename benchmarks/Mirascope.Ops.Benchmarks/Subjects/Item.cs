namespace Mirascope.Ops.Benchmarks.Subjects
{
    /// <summary>A small object argument: three properties, serialized by System.Text.Json.</summary>
    public sealed class Item
    {
        public string Name { get; set; } = "";

        public int Count { get; set; }

        public double Price { get; set; }

        public static Item Sample() => new Item { Name = "widget", Count = 3, Price = 9.5 };
    }
}
