using System;
using System.Collections.Generic;
using System.Diagnostics;
using Mirascope.Ops;

namespace AssemblyToProcess
{
    public record Book(string Title, int Year);

    public sealed class Cyclic
    {
        public Cyclic? Self { get; set; }

        public override string ToString() => "Cyclic!";
    }

    /// <summary>One method per kind of result and argument.</summary>
    public class Outputs
    {
        [Trace] public void Nothing() { }
        [Trace] public string Text() => "hello";
        [Trace] public string? NullText() => null;
        [Trace] public bool Flag() => true;
        [Trace] public long Big() => 1L << 40;
        [Trace] public double Ratio() => 0.25;
        [Trace] public float Single() => 1.5f;
        [Trace] public decimal Money() => 12.5m;
        [Trace] public byte Small() => 7;
        [Trace] public Book Object() => new Book("Dune", 1965);
        [Trace] public Book? NullObject() => null;
        [Trace] public int[] Array() => new[] { 1, 2, 3 };
        [Trace] public Cyclic Cycle() { var c = new Cyclic(); c.Self = c; return c; }
        [Trace] public DayOfWeek Day() => DayOfWeek.Friday;

        [Trace]
        public string Describe(int count, string name, bool flag, double ratio, Book book, Dictionary<string, string> map, int[] items, int? maybe, string? nothing) =>
            $"{count}{name}";

        [Trace]
        public string Sensitive(string user, [NoTrace] string password) => user;

        [Trace]
        public string Cyclical(Cyclic value) => "ok";

        [Trace]
        public T Echo<T>(T value) => value;

        [Trace]
        public int Early(int x)
        {
            if (x < 0)
            {
                return -1;
            }

            for (var i = 0; i < 10; i++)
            {
                if (i == x)
                {
                    return i;
                }
            }

            return 100;
        }

        [Trace]
        public Activity? CurrentInside() => Activity.Current;
    }
}

namespace AssemblyToProcess
{
    /// <summary>A value whose serialization runs a traced method: recording must nest, not corrupt its buffers.</summary>
    public sealed class Shelf
    {
        public string Name { get; set; } = "fantasy";

        public int Count => Counter.CountBooks(Name);
    }

    public static class Counter
    {
        [Mirascope.Ops.Trace]
        public static int CountBooks(string shelf) => shelf.Length;

        [Mirascope.Ops.Trace]
        public static Shelf Stock(Shelf shelf) => shelf;
    }
}
