using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Mirascope.Ops.Benchmarks.Infrastructure;
using Mirascope.Ops.Benchmarks.Subjects;

namespace Mirascope.Ops.Benchmarks.Tracing
{
    /// <summary>
    /// 6. Recording one value per kind, as woven code does it: as an argument (ArgumentRecorder: JSON object text) and
    /// as the output (OutputRecorder: a native attribute or JSON). Baseline: <c>JsonSerializer.Serialize</c> of the
    /// value, what a person would reach for (and what the runtime itself did before recording stopped running the
    /// program's code). The large object graph (about 100 KB of JSON) is cut by the recording's work budget and cap,
    /// so its cost stays bounded. The setup checks that each recorded argument is valid JSON holding the value's data.
    /// </summary>
    public class SerializationBenchmarks
    {
        private object _value = 0;
        private Type _type = typeof(int);
        private Func<string>? _argument;
        private Action? _output;

        public enum ValueKind
        {
            Int,

            /// <summary>An int outside the 0-299 that .NET keeps formatted, so formatting it can cost a string.</summary>
            UncachedInt,
            String,

            /// <summary>A small POCO: three auto-properties.</summary>
            SmallObject,

            /// <summary>A positional record of three members.</summary>
            Record,

            /// <summary>An anonymous type of three members.</summary>
            Anonymous,

            /// <summary>A <c>List&lt;T&gt;</c> of 15 small POCOs: 61 values, all of them within the default work budget of 64.</summary>
            ListOfObjects,

            /// <summary>A catalog of 2,000 items: about 100 KB of JSON, far over the cap and the work budget.</summary>
            LargeObject,
        }

        [Params(ValueKind.Int, ValueKind.UncachedInt, ValueKind.String, ValueKind.SmallObject, ValueKind.Record, ValueKind.Anonymous, ValueKind.ListOfObjects, ValueKind.LargeObject)]
        public ValueKind Kind { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            (_type, _value) = Kind switch
            {
                ValueKind.Int => (typeof(int), (object)42),
                ValueKind.UncachedInt => (typeof(int), (object)-1_234_567),
                ValueKind.String => (typeof(string), "Ada Lovelace wrote \"the first program\"\nfor the Analytical Engine."),
                ValueKind.SmallObject => (typeof(Item), Item.Sample()),
                ValueKind.Record => (typeof(Sale), new Sale("widget", 3, 9.5)),
                ValueKind.Anonymous => (typeof(object), new { Name = "widget", Count = 3, Price = 9.5 }),
                ValueKind.ListOfObjects => (typeof(List<Item>), Enumerable.Range(0, 15).Select(i => new Item { Name = "item " + i, Count = i, Price = i * 0.25 }).ToList()),
                _ => (typeof(Catalog), Catalog.Large()),
            };
            var span = new Activity("output holder");
            _argument = RuntimeInternals.RecordArgument(_type, _value, "value");
            _output = RuntimeInternals.RecordOutput(_type, _value, span);

            // The recording must be the value's data, not a placeholder: a benchmark of recording nothing proves nothing.
            using var recorded = JsonDocument.Parse(_argument());
            var value = recorded.RootElement.GetProperty("value");
            var holdsData = Kind switch
            {
                ValueKind.SmallObject or ValueKind.Record or ValueKind.Anonymous => value.GetProperty("Name").GetString() == "widget",
                ValueKind.ListOfObjects => value.GetArrayLength() == 15,
                ValueKind.LargeObject => value.GetProperty("Items").GetArrayLength() > 10,
                _ => true,
            };
            if (!holdsData)
            {
                throw new InvalidOperationException($"recording a {Kind} did not record its data: {value.GetRawText()}");
            }
        }

        [Benchmark(Baseline = true)]
        public string SystemTextJson() => JsonSerializer.Serialize(_value, _value.GetType(), HandJson.Options);

        [Benchmark]
        public string Argument() => _argument!();

        [Benchmark]
        public void Output() => _output!();

        /// <summary>A positional record argument.</summary>
        public sealed record Sale(string Name, int Count, double Price);

        /// <summary>A value whose JSON (about 100 KB) is far over the 16 KiB cap.</summary>
        public sealed class Catalog
        {
            public string Title { get; set; } = "";

            public List<Item> Items { get; set; } = new List<Item>();

            public static Catalog Large() => new Catalog
            {
                Title = "everything",
                Items = Enumerable.Range(0, 2_000).Select(i => new Item { Name = "item " + i, Count = i, Price = i * 0.25 }).ToList(),
            };
        }
    }
}
