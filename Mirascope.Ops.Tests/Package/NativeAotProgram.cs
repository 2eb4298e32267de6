namespace Mirascope.Ops.Tests.Package
{
    /// <summary>
    /// Program.cs of the native AOT test app: [Trace] methods taking and returning the shapes users record (records,
    /// classes with auto-properties, nested objects, lists, dictionaries, enums, anonymous types, structs, tuples,
    /// exceptions), and an in-program <c>ActivityListener</c> that prints every span's tags as one JSON line. No
    /// exporter, no OpenTelemetry SDK: what the runtime records is exactly what the line shows.
    /// </summary>
    internal static class NativeAotProgram
    {
        /// <summary>Each finished span is printed as this prefix and one JSON object (name, status, sorted tags, events).</summary>
        public const string SpanPrefix = "SPAN ";

        /// <summary>One span per call below, in this order (the iterator's span ends when its enumeration does).</summary>
        public static readonly string[] SpanNames =
        {
            "Shop.Checkout", "Shop.Describe", "Shop.Describe", "Shop.Index", "Shop.FetchAsync", "Shop.Pair", "Shop.Wrap",
            "Shop.Measure", "Shop.Views", "Shop.Feed", "Shop.Inspect", "Shop.Fail",
        };

        public const string Source = """
            using System.Collections.ObjectModel;
            using System.Diagnostics;
            using System.Diagnostics.CodeAnalysis;
            using System.Text.Encodings.Web;
            using System.Text.Json;
            using System.Text.Json.Serialization;
            using Mirascope.Ops;

            using var listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == "Mirascope.Ops",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = SpanPrinter.Print,
            };
            ActivitySource.AddActivityListener(listener);

            var customer = new Customer("Ada", new Address("1 Loop", "Lyon"), Tier.Gold);
            var cart = new Receipt { Id = 7, Lines = new List<Line> { new("widget", 2, 3.5m), new("gadget", 1, 10m) } };
            cart.Notes["gift"] = "yes";
            Console.WriteLine($"total: {Shop.Checkout(customer, cart, new Point(1, 2), Access.Read | Access.Write, new Circle { Radius = 2 })}");
            Console.WriteLine($"anonymous: {Shop.Describe(new { Name = "x", Count = 3, Inner = new { Flag = true, Where = new Address("3 Loop", "Nice") } })}");
            Console.WriteLine($"rooted by the user: {Shop.Describe(new Hidden { Secret = 42, Child = new Address("2 Loop", "Paris") })}");
            Console.WriteLine($"index: {Shop.Index(new Dictionary<string, Line> { ["a"] = new("a", 1, 1m) }, new Dictionary<Tier, int?> { [Tier.Silver] = null }).Count}");
            Console.WriteLine($"fetched: {(await Shop.FetchAsync(3)).Name}");
            Console.WriteLine($"pair: {Shop.Pair(new Box<Line>(new("boxed", 1, 2m)), Tuple.Create(5, "five")).Item1}");
            Console.WriteLine($"wrapped: {Shop.Wrap(new InvalidOperationException("bad state")).Message}");
            Console.WriteLine($"measured: {Shop.Measure(new Point?(new Point(3, 4)), new[] { new Point(5, 6) }, 2.5)}");
            Console.WriteLine($"views: {Shop.Views(new ReadOnlyCollection<Line>(new[] { new Line("ro", 1, 1m) }), new List<KeyValuePair<string, int>> { new("k", 1) }).Count}");
            Console.WriteLine($"fed: {Shop.Feed(3).Sum()}");
            Console.WriteLine($"inspected: {Shop.Inspect(new TypedAccessor(typeof(Line), "lines"))}");
            try
            {
                Shop.Fail("widget");
            }
            catch (OutOfStockException error)
            {
                Console.WriteLine($"caught: {error.Message}");
            }

            public enum Tier { Silver, Gold }

            [Flags]
            public enum Access { None = 0, Read = 1, Write = 2 }

            public sealed record Address(string Street, string City);

            public sealed record Customer(string Name, Address Address, Tier Tier);

            public sealed record Line(string Sku, int Quantity, decimal Price);

            public readonly struct Point
            {
                public Point(int x, int y) { X = x; Y = y; }
                public int X { get; }
                public int Y { get; }
            }

            // Declared out of alphabetical order on purpose: the recorded order is the declaration order.
            public class Cart
            {
                public int Id { get; set; }
                public List<Line> Lines { get; set; } = new();
                public Dictionary<string, string> Notes { get; } = new();
                [JsonPropertyName("coupon_code")] public string? Coupon { get; set; } = "SAVE";
                [NoTrace] public string Card { get; set; } = "4111";
                private string _label = "label";
                public string Label { get => _label; set => _label = value; }
                public int Computed => Id * 2;
                public Address? Shipping;
            }

            // Passed where a Cart is declared: the weaver roots the types of this assembly deriving from one it saw.
            public sealed class Receipt : Cart
            {
                public DateTime When { get; set; } = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc);
            }

            public interface IShape { }

            public sealed class Circle : IShape
            {
                public double Radius { get; set; }
            }

            // Reaches Describe only as object: no signature names it, so the program roots it itself.
            public sealed class Hidden
            {
                public int Secret;
                public Address? Child { get; set; }
            }

            public sealed class Box<T>
            {
                public Box(T value) => Value = value;
                public T Value { get; }
            }

            // A field the trimmer guards: rooting all of the type's fields would be reflection access to it (IL2110).
            public sealed class TypedAccessor
            {
                [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)]
                private readonly Type _type;

                public TypedAccessor([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type type, string name)
                {
                    _type = type;
                    Name = name;
                }

                public string Name { get; }

                public int Properties => _type.GetProperties().Length;
            }

            public sealed class OutOfStockException : Exception
            {
                public OutOfStockException(string item) : base(item + " is out of stock") => Item = item;
                public string Item { get; }
            }

            public static class Shop
            {
                [Trace]
                public static decimal Checkout(Customer customer, Cart cart, Point at, Access access, IShape shape) =>
                    cart.Lines.Sum(l => l.Price * l.Quantity);

                [Trace]
                [DynamicDependency(DynamicallyAccessedMemberTypes.PublicFields | DynamicallyAccessedMemberTypes.NonPublicFields | DynamicallyAccessedMemberTypes.PublicProperties, typeof(Hidden))]
                public static int Describe(object value) => value.GetHashCode() == 0 ? 0 : 1;

                [Trace]
                public static Dictionary<string, Line> Index(Dictionary<string, Line> lines, Dictionary<Tier, int?> counts) => lines;

                [Trace]
                public static async Task<Customer> FetchAsync(int id)
                {
                    await Task.Delay(1);
                    return new Customer("id" + id, new Address("s", "c"), Tier.Silver);
                }

                [Trace]
                public static (int Count, Box<Line> Box) Pair(Box<Line> box, Tuple<int, string> old) => (old.Item1, box);

                [Trace]
                public static Exception Wrap(Exception inner) => new ArgumentException("wrapped", inner);

                [Trace]
                public static double Measure(Point? at, Point[] more, double scale) => (at?.X ?? 0) * scale + more.Length;

                [Trace]
                public static ReadOnlyCollection<Line> Views(ReadOnlyCollection<Line> lines, List<KeyValuePair<string, int>> pairs) => lines;

                [Trace]
                public static IEnumerable<int> Feed(int count)
                {
                    for (var i = 0; i < count; i++) yield return i;
                }

                [Trace]
                public static int Inspect(TypedAccessor accessor) => accessor.Properties;

                [Trace]
                public static Receipt Fail(string item) => throw new OutOfStockException(item);
            }

            static class SpanPrinter
            {
                private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

                public static void Print(Activity activity)
                {
                    using var stream = new MemoryStream();
                    using (var json = new Utf8JsonWriter(stream, Options))
                    {
                        json.WriteStartObject();
                        json.WriteString("name", activity.DisplayName);
                        json.WriteString("status", activity.Status.ToString());
                        json.WriteStartObject("tags");
                        foreach (var tag in activity.TagObjects.OrderBy(t => t.Key, StringComparer.Ordinal)) Write(json, tag.Key, tag.Value);
                        json.WriteEndObject();
                        json.WriteStartArray("events");
                        foreach (var e in activity.Events)
                        {
                            json.WriteStartObject();
                            json.WriteString("name", e.Name);
                            // The stack trace is the one attribute native code spells differently (no IL offsets, other frames).
                            foreach (var tag in e.Tags.OrderBy(t => t.Key, StringComparer.Ordinal)) if (tag.Key != "exception.stacktrace") Write(json, tag.Key, tag.Value);
                            json.WriteEndObject();
                        }

                        json.WriteEndArray();
                        json.WriteEndObject();
                    }

                    Console.WriteLine("SPAN " + System.Text.Encoding.UTF8.GetString(stream.ToArray()));
                }

                private static void Write(Utf8JsonWriter json, string key, object? value)
                {
                    switch (value)
                    {
                        case null: json.WriteNull(key); break;
                        case string s: json.WriteString(key, s); break;
                        case bool b: json.WriteBoolean(key, b); break;
                        case int i: json.WriteNumber(key, i); break;
                        case long l: json.WriteNumber(key, l); break;
                        case double d: json.WriteNumber(key, d); break;
                        case string[] a:
                            json.WriteStartArray(key);
                            foreach (var s in a) json.WriteStringValue(s);
                            json.WriteEndArray();
                            break;
                        default: json.WriteString(key, value.GetType().FullName + ": " + value); break;
                    }
                }
            }
            """;
    }
}
