using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Collections.ObjectModel;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Mirascope.Ops.Tracing;
using Xunit;

namespace Mirascope.Ops.Tests.Runtime
{
    /// <summary>What a recorded value looks like, exactly: the rules of README "What a traced call records".</summary>
    public class ValueRecordingTests
    {
        private const string Marker = "…[truncated]";

        public enum Colour
        {
            Red,
            Green,
        }

        [Flags]
        public enum Access
        {
            None = 0,
            Read = 1,
            Write = 2,
        }

        public class Customer
        {
            public int Id { get; set; }

            public string Name { get; init; } = "";

            public Colour Favourite { get; set; }

            public string Shout => Name.ToUpperInvariant();

            public List<Order> Orders { get; } = new List<Order>();

            public double Score;

            private string Secret { get; set; } = "hidden";

            internal string Internal { get; set; } = "internal";
        }

        public class Order
        {
            public string Sku { get; set; } = "";

            public decimal Price { get; set; }
        }

        public record Point(int X, int Y)
        {
            public int Sum => X + Y;
        }

        public class Tree
        {
            public string Name { get; set; } = "";

            public Tree? Child { get; set; }

            public Tree? Parent { get; set; }
        }

        public class Annotated
        {
            [JsonPropertyName("user_name")]
            public string Name { get; set; } = "ann";

            [JsonIgnore]
            public string Ignored { get; set; } = "no";

            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
            public string? Optional { get; set; }

            [NoTrace]
            public string ApiKey { get; set; } = "sk-secret";

            [RecordToString]
            public Uri? Link { get; set; } = new Uri("https://example.com/a?b");
        }

        public class Base
        {
            public int A { get; set; } = 1;
        }

        public class Derived : Base
        {
            public int B { get; set; } = 2;
        }

        [RecordToString]
        public class Temperature
        {
            public double Celsius { get; set; } = 21.5;

            public override string ToString() => Celsius.ToString(System.Globalization.CultureInfo.InvariantCulture) + " °C";
        }

        public class Empty
        {
            public int Computed => 1;
        }

        public class ThrowsInToString
        {
            [RecordToString]
            public Thrower Value { get; set; } = new Thrower();
        }

        public class Thrower
        {
            public override string ToString() => throw new InvalidOperationException("no");
        }

        /// <summary>Hand-written properties over conventionally named fields, with getters that must not run.</summary>
        public class Observable
        {
            private string _title = "draft";
            private int m_count = 3;
            private List<string>? _tags;
            private readonly string _secret = "kept";

            public int GetterCalls;

            public string Title
            {
                get
                {
                    GetterCalls++;
                    return _title;
                }

                set => _title = value;
            }

            public int Count
            {
                get
                {
                    GetterCalls++;
                    return m_count;
                }
            }

            public List<string> Tags => _tags ??= Created();

            // A field of another type is not this property's: not read.
            public int Secret => _secret.Length;

            private List<string> Created()
            {
                GetterCalls++;
                return new List<string> { "lazy" };
            }
        }

        public struct Vector
        {
            public float X;
            public float Y;

            public float Length => MathF.Sqrt((X * X) + (Y * Y));
        }

        public static TheoryData<object?, string> Values() => new TheoryData<object?, string>
        {
            { null, "null" },
            { "a\"b\n", "\"a\\\"b\\n\"" },
            { 42, "42" },
            { -1.5, "-1.5" },
            { 1.5f, "1.5" },
            { 79228162514264337593543950335m, "79228162514264337593543950335" },
            { true, "true" },
            { 'x', "\"x\"" },
            { Colour.Green, "\"Green\"" },
            { Access.Read | Access.Write, "\"Read, Write\"" },
            { new Guid("6b1c3b6e-9f5b-4d63-9a7e-2f6d0c5b8a11"), "\"6b1c3b6e-9f5b-4d63-9a7e-2f6d0c5b8a11\"" },
            { new DateTime(2026, 12, 1, 10, 30, 0, DateTimeKind.Utc), "\"2026-12-01T10:30:00.0000000Z\"" },
            { TimeSpan.FromMinutes(90), "\"01:30:00\"" },
            { new Uri("https://example.com/x?y=1"), "\"https://example.com/x?y=1\"" },
            { new Version(1, 2, 3), "\"1.2.3\"" },
            { (int?)5, "5" },
            { (1, "two", 3.5), "[1,\"two\",3.5]" },
            { Tuple.Create(1, "two"), "[1,\"two\"]" },
            { (1, 2, 3, 4, 5, 6, 7, 8, 9), "[1,2,3,4,5,6,7,8,9]" },
            { new KeyValuePair<string, int>("k", 1), "{\"Key\":\"k\",\"Value\":1}" },
            { new[] { 1, 2, 3 }, "[1,2,3]" },
            { new[] { "a", null }, "[\"a\",null]" },
            { new byte[] { 1, 2, 3 }, "\"AQID\"" },
            { new List<int> { 1, 2 }, "[1,2]" },
            { new HashSet<string> { "x" }, "[\"x\"]" },
            { new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 }, "{\"a\":1,\"b\":2}" },
            { new Dictionary<int, string> { [1] = "one" }, "{\"1\":\"one\"}" },
            { new Dictionary<Colour, bool> { [Colour.Red] = true }, "{\"Red\":true}" },
            { new Dictionary<Point, int> { [new Point(1, 2)] = 3 }, "[{\"key\":{\"X\":1,\"Y\":2},\"value\":3}]" },
            { ImmutableArray.Create(1, 2), "[1,2]" },
            { ImmutableDictionary<string, int>.Empty.Add("z", 26), "{\"z\":26}" },
            { new ReadOnlyCollection<int>(new List<int> { 7 }), "[7]" },
            { new ReadOnlyDictionary<string, int>(new Dictionary<string, int> { ["r"] = 1 }), "{\"r\":1}" },
            { new Point(1, 2), "{\"X\":1,\"Y\":2}" },
            { new { Id = 7, Name = "anon", Tags = new[] { "t" } }, "{\"Id\":7,\"Name\":\"anon\",\"Tags\":[\"t\"]}" },
            { new Derived(), "{\"A\":1,\"B\":2}" },
            { new Vector { X = 3, Y = 4 }, "{\"X\":3,\"Y\":4}" },
            { new Empty(), "\"<Empty>\"" },
            { new { }, "\"<anonymous type>\"" },
            { new Annotated(), "{\"user_name\":\"ann\",\"ApiKey\":\"[redacted]\",\"Link\":\"https://example.com/a?b\"}" },
            { new Temperature(), "\"21.5 °C\"" },
            { new ThrowsInToString(), "{\"Value\":\"<Thrower: ToString() threw InvalidOperationException>\"}" },
            { new InvalidOperationException("bad"), "{\"type\":\"System.InvalidOperationException\",\"message\":\"bad\"}" },
            { JsonDocument.Parse("{\"a\":[1,2.5,\"x\",null,true]}").RootElement, "{\"a\":[1,2.5,\"x\",null,true]}" },
            { JsonNode.Parse("{\"n\":{\"m\":[1]}}"), "{\"n\":{\"m\":[1]}}" },
            { new JsonObject { ["p"] = JsonValue.Create(new Point(5, 6)) }, "{\"p\":{\"X\":5,\"Y\":6}}" },
            { System.Threading.Tasks.Task.FromResult(1), "\"<Task<int>>\"" },
            { new System.IO.MemoryStream(), "\"<MemoryStream>\"" },
            { new Lazy<int>(() => 1), "\"<Lazy<int>>\"" },
            { Enumerable.Range(0, 3).Select(i => i), "\"<RangeSelectIterator<int, int>>\"" },
            { new StringBuilder("sb"), "\"sb\"" },
        };

        [Theory]
        [MemberData(nameof(Values))]
        public void A_value_is_recorded_as_this_json(object? value, string expected)
        {
            Assert.Equal(expected, Record(value));
        }

        [Fact]
        public void A_user_object_records_its_public_auto_properties_and_fields_but_no_computed_or_non_public_member()
        {
            var customer = new Customer { Id = 3, Name = "Ada", Favourite = Colour.Green, Score = 0.5 };
            customer.Orders.Add(new Order { Sku = "A-1", Price = 9.99m });

            Assert.Equal(
                "{\"Id\":3,\"Name\":\"Ada\",\"Favourite\":\"Green\",\"Orders\":[{\"Sku\":\"A-1\",\"Price\":9.99}],\"Score\":0.5}",
                Record(customer));
        }

        [Fact]
        public void A_hand_written_property_is_read_from_the_field_it_is_named_after_and_its_getter_never_runs()
        {
            var value = new Observable();

            Assert.Equal("{\"Title\":\"draft\",\"Count\":3,\"Tags\":null,\"GetterCalls\":0}", Record(value));
            Assert.Equal(0, value.GetterCalls);
        }

        [Fact]
        public void A_cycle_is_a_marker_and_a_shared_object_that_is_not_a_cycle_is_recorded_twice()
        {
            var root = new Tree { Name = "root" };
            root.Child = new Tree { Name = "child", Parent = root };
            var shared = new Order { Sku = "s" };

            Assert.Equal(
                "{\"Name\":\"root\",\"Child\":{\"Name\":\"child\",\"Child\":null,\"Parent\":\"<Tree: cycle>\"},\"Parent\":null}",
                Record(root));
            Assert.Equal("[{\"Sku\":\"s\",\"Price\":0},{\"Sku\":\"s\",\"Price\":0}]", Record(new[] { shared, shared }));
        }

        [Fact]
        public void Nesting_past_the_depth_limit_is_a_marker()
        {
            var deep = new Tree { Name = "0" };
            var current = deep;
            for (var i = 1; i < 10; i++)
            {
                current.Child = new Tree { Name = i.ToString(System.Globalization.CultureInfo.InvariantCulture) };
                current = current.Child;
            }

            var json = Record(deep);

            Assert.Equal(
                "{\"Name\":\"0\",\"Child\":{\"Name\":\"1\",\"Child\":{\"Name\":\"2\",\"Child\":{\"Name\":\"3\",\"Child\":\"<Tree: max depth>\",\"Parent\":null},\"Parent\":null},\"Parent\":null},\"Parent\":null}",
                json);
            Assert.Equal("[[[[\"<int[]: max depth>\"]]]]", Record(new[] { new[] { new[] { new[] { new[] { 1 } } } } }));
        }

        [Fact]
        public void The_work_budget_cuts_a_large_collection_into_json_of_its_own_kind()
        {
            var list = Enumerable.Range(0, 1000).ToList();
            var dictionary = Enumerable.Range(0, 1000).ToDictionary(i => "k" + i, i => i);

            var listJson = Record(list);
            var dictionaryJson = Record(dictionary);

            var items = JsonDocument.Parse(listJson).RootElement;
            Assert.Equal(JsonValueKind.Array, items.ValueKind);
            Assert.Equal(RecordingLimits.DefaultMaxRecordedValues, items.GetArrayLength());
            Assert.Equal(Marker, items[items.GetArrayLength() - 1].GetString());
            var entries = JsonDocument.Parse(dictionaryJson).RootElement;
            Assert.Equal(JsonValueKind.Object, entries.ValueKind);
            Assert.True(entries.GetProperty(Marker).GetBoolean());
            Assert.Equal(0, entries.GetProperty("k0").GetInt32());
        }

        [Fact]
        public void A_string_nested_in_an_object_is_capped_at_the_nested_cap_and_the_document_goes_on()
        {
            var order = new Order { Sku = new string('s', 5000), Price = 1 };

            var json = Record(new[] { order, order });

            var parsed = JsonDocument.Parse(json).RootElement;
            var sku = parsed[0].GetProperty("Sku").GetString()!;
            Assert.EndsWith(Marker, sku);
            Assert.Equal(RecordingLimits.DefaultMaxNestedStringLength, Encoding.UTF8.GetByteCount(sku));
            Assert.Equal(1m, parsed[1].GetProperty("Price").GetDecimal());
        }

        [Fact]
        public void Every_cut_at_every_cap_is_valid_json_of_the_same_kind_within_the_cap()
        {
            var value = new
            {
                Title = "naïve \"quoted\" 😀 text",
                Items = Enumerable.Range(0, 40).Select(i => new Order { Sku = "é" + i, Price = i }).ToList(),
                Map = new Dictionary<string, int[]> { ["a"] = new[] { 1, 2 }, ["b"] = new[] { 3 } },
            };

            for (var limit = 64; limit <= 1200; limit++)
            {
                var builder = new CappedJsonBuilder(limit);
                JsonValueWriter.WriteObject(builder, value);
                var json = builder.ToString();

                Assert.True(Encoding.UTF8.GetByteCount(json) <= limit, $"limit {limit}: {Encoding.UTF8.GetByteCount(json)} bytes: {json}");
                using var parsed = JsonDocument.Parse(json);
                Assert.Equal(JsonValueKind.Object, parsed.RootElement.ValueKind);
                Assert.Single(Enumerable.Range(0, json.Length), i => string.CompareOrdinal(json, i, Marker, 0, Marker.Length) == 0);
                Assert.DoesNotContain('\uFFFD', json);
            }
        }

        [Fact]
        public void A_lone_surrogate_is_escaped_so_the_document_stays_valid_utf8()
        {
            Assert.Equal("\"a\\ud800b\"", Record("a\ud800b"));
            Assert.Equal("\"😀\"", Record("😀"));
            Assert.Equal("\"\\u0001\"", Record("\u0001"));
        }

        internal static string Record(object? value)
        {
            var builder = new CappedJsonBuilder(RecordingLimits.DefaultMaxAttributeLength);
            JsonValueWriter.WriteObject(builder, value);
            return builder.ToString();
        }
    }
}
