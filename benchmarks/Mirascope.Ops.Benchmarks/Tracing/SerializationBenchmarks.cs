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
    /// value, what a person would reach for. The large object is capped at the 16 KiB recording limit, so its cost
    /// stays bounded. After the int and string cases the runtime's System.Text.Json options must still be unused.
    /// </summary>
    public class SerializationBenchmarks
    {
        private object _value = 0;
        private Type _type = typeof(int);
        private Func<string>? _argument;
        private Action? _output;
        private bool _serializerUsedBefore;

        public enum ValueKind
        {
            Int,

            /// <summary>An int outside the 0-299 that .NET keeps formatted, so formatting it can cost a string.</summary>
            UncachedInt,
            String,
            SmallObject,
            LargeObject,
        }

        [Params(ValueKind.Int, ValueKind.UncachedInt, ValueKind.String, ValueKind.SmallObject, ValueKind.LargeObject)]
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
                _ => (typeof(Catalog), Catalog.Large()),
            };
            var span = new Activity("output holder");
            _argument = RuntimeInternals.RecordArgument(_type, _value, "value");
            _output = RuntimeInternals.RecordOutput(_type, _value, span);
            _serializerUsedBefore = RuntimeInternals.JsonSerializerUsed();
        }

        [GlobalCleanup(Targets = new[] { nameof(Argument), nameof(Output) })]
        public void CheckNoReflectionSerializer()
        {
            if (Kind is not (ValueKind.Int or ValueKind.UncachedInt or ValueKind.String))
            {
                return;
            }

            if (_serializerUsedBefore)
            {
                Console.WriteLine($"// [serialization check] {Kind}: inconclusive, System.Text.Json was already used in this process");
                return;
            }

            var used = RuntimeInternals.JsonSerializerUsed();
            Console.WriteLine($"// [serialization check] {Kind}: runtime System.Text.Json options used = {used}");
            if (used)
            {
                throw new InvalidOperationException($"recording a {Kind} went through System.Text.Json");
            }
        }

        [Benchmark(Baseline = true)]
        public string SystemTextJson() => JsonSerializer.Serialize(_value, _type, HandJson.Options);

        [Benchmark]
        public string Argument() => _argument!();

        [Benchmark]
        public void Output() => _output!();

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
