using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using Mirascope.Ops;

namespace AssemblyToProcess
{
    // Values whose recording would run the program's code if the recorder called getters, ToString(), enumerators,
    // Count, Equals or GetHashCode. Each scenario returns what the program observes (results and counters), which the
    // tests compare with and without a recording listener. Counters are per instance, so parallel tests cannot mix.

    /// <summary>1. ToString() calls a traced method with `this`; a getter throws.</summary>
    public class Node
    {
        public int Boom => throw new InvalidOperationException("getter ran");

        public override string ToString() => Printer.Print(this);
    }

    public static class Printer
    {
        [Trace]
        public static string Print(Node n) => "node";
    }

    /// <summary>2. A self-referencing graph whose ToString() recurses through the cycle.</summary>
    public class Bag
    {
        public Bag? Self { get; set; }

        public string Label { get; set; } = "bag";

        public override string ToString() => "{" + Self + "}";
    }

    /// <summary>3. A getter with an effect: reading Length before SetItems caches 0 forever.</summary>
    public class LoopState
    {
        private int[]? _items;
        private int? _len;

        public void SetItems(int[] i) => _items = i;

        public int Length => _len ??= _items?.Length ?? 0;
    }

    /// <summary>4. A lazy sequence that claims to be materialized; every enumeration is counted.</summary>
    public class LazyList : IReadOnlyCollection<int>, IList<int>
    {
        public int Enumerations;
        public int CountReads;
        public int IndexerReads;
        public int ContainsCalls;

        public int Count
        {
            get
            {
                CountReads++;
                return 3;
            }
        }

        public bool IsReadOnly => true;

        public int this[int index]
        {
            get
            {
                IndexerReads++;
                return index;
            }

            set => throw new NotSupportedException();
        }

        public IEnumerator<int> GetEnumerator()
        {
            Enumerations++;
            for (var i = 0; i < 3; i++)
            {
                yield return i;
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public bool Contains(int item)
        {
            ContainsCalls++;
            return item < 3;
        }

        public int IndexOf(int item) => item;

        public void Add(int item) => throw new NotSupportedException();

        public void Clear() => throw new NotSupportedException();

        public void CopyTo(int[] array, int arrayIndex) => throw new NotSupportedException();

        public bool Remove(int item) => throw new NotSupportedException();

        public void Insert(int index, int item) => throw new NotSupportedException();

        public void RemoveAt(int index) => throw new NotSupportedException();
    }

    /// <summary>A getter that counts its calls, beside an auto-property that is recorded.</summary>
    public class CountedGetter
    {
        public int Reads;

        public string Name { get; set; } = "counted";

        public int Value
        {
            get
            {
                Reads++;
                return 42;
            }
        }
    }

    /// <summary>Equals and GetHashCode count their calls (as an argument, a dictionary key, a set element).</summary>
    public sealed class Hashy
    {
        public int EqualsCalls;
        public int HashCalls;

        public int Id { get; set; }

        public override bool Equals(object? obj)
        {
            EqualsCalls++;
            return obj is Hashy other && other.Id == Id;
        }

        public override int GetHashCode()
        {
            HashCalls++;
            return Id;
        }

        public override string ToString() => throw new InvalidOperationException("ToString ran");
    }

    /// <summary>A struct whose computed property counts its reads (in a box shared with the test).</summary>
    public struct Reading
    {
        public Reading(StrongBox box, double celsius)
        {
            Box = box;
            Celsius = celsius;
        }

        public StrongBox Box { get; }

        public double Celsius { get; }

        public double Fahrenheit
        {
            get
            {
                Box.Count++;
                return (Celsius * 9 / 5) + 32;
            }
        }
    }

    public sealed class StrongBox
    {
        public int Count;
    }

    /// <summary>Opted in: recorded as its ToString(), which calls a traced method (that must record nothing).</summary>
    [RecordToString]
    public sealed class Price
    {
        public Price(decimal amount, string currency)
        {
            Amount = amount;
            Currency = currency;
        }

        public decimal Amount { get; }

        public string Currency { get; }

        public int ToStringCalls;

        public override string ToString()
        {
            ToStringCalls++;
            return Formatting.Money(Amount) + " " + Currency;
        }
    }

    public static class Formatting
    {
        [Trace]
        public static string Money(decimal amount) => amount.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The traced methods the scenarios call; each takes and returns the hostile values.</summary>
    public class Recorded
    {
        [Trace]
        public string Describe(Bag bag) => ReferenceEquals(bag.Self, bag) ? "self" : "other";

        [Trace]
        public LoopState Prepare(LoopState state) => state;

        [Trace]
        public int Sum(IReadOnlyCollection<int> values)
        {
            var sum = 0;
            foreach (var v in values)
            {
                sum += v;
            }

            return sum;
        }

        [Trace]
        public LazyList Pass(LazyList list) => list;

        [Trace]
        public int Take(Node node, CountedGetter counted) => counted.Name.Length;

        [Trace]
        public Dictionary<Hashy, HashSet<Hashy>> Index(Hashy key, Dictionary<Hashy, HashSet<Hashy>> index) => index;

        [Trace]
        public bool Defer(Lazy<int> lazy, IEnumerable<int> generator, IQueryable<int> query) => lazy.IsValueCreated;

        [Trace]
        public Reading Convert(Reading reading) => reading;

        [Trace]
        public string Pay(Price money, [RecordToString] Price again) => money.Currency;

        [Trace]
        public object Anything(object value) => value;

        /// <summary>A hot method: only the recording-budget test calls it.</summary>
        [Trace]
        public int Hot(int i) => i % 7 == 6 ? throw new ArgumentOutOfRangeException(nameof(i), "sevens fail") : i * 2;

        /// <summary>A hot method with a sizeable argument: the concurrency test of the recording budget calls it.</summary>
        [Trace]
        public int HotText(int i, string text) => text.Length + i;
    }

    /// <summary>Runs every scenario and reports what the program observes.</summary>
    public static class RecordingScenarios
    {
        public static string Run()
        {
            var recorded = new Recorded();
            var report = new List<string>();

            var node = new Node();
            report.Add("print=" + Printer.Print(node) + " tostring=" + node);

            var bag = new Bag();
            bag.Self = bag;
            report.Add("bag=" + recorded.Describe(bag) + " anything=" + (recorded.Anything(bag) == bag));

            var state = new LoopState();
            recorded.Prepare(state);
            state.SetItems(new[] { 1, 2, 3, 4 });
            report.Add("length=" + state.Length);

            var lazy = new LazyList();
            var sum = recorded.Sum(lazy);
            recorded.Pass(lazy);
            recorded.Anything(lazy);
            report.Add($"sum={sum} enumerations={lazy.Enumerations} count={lazy.CountReads} indexer={lazy.IndexerReads} contains={lazy.ContainsCalls}");

            var getter = new CountedGetter();
            report.Add("take=" + recorded.Take(node, getter) + " reads=" + getter.Reads);

            var key = new Hashy { Id = 1 };
            var member = new Hashy { Id = 2 };
            var index = new Dictionary<Hashy, HashSet<Hashy>> { [key] = new HashSet<Hashy> { member } };
            var hashBefore = key.HashCalls + member.HashCalls;
            var equalsBefore = key.EqualsCalls + member.EqualsCalls;
            recorded.Index(key, index);
            recorded.Anything(key);
            report.Add($"hash={key.HashCalls + member.HashCalls - hashBefore} equals={key.EqualsCalls + member.EqualsCalls - equalsBefore}");

            var factoryRuns = 0;
            var generatorRuns = 0;
            var queryRuns = 0;
            var deferred = new Lazy<int>(() => ++factoryRuns);
            var generator = Generate(() => generatorRuns++);
            Func<int, int> counted = x => x + queryRuns++;
            var query = new[] { 1, 2 }.AsQueryable().Select(x => counted(x));
            report.Add($"created={recorded.Defer(deferred, generator, query)} factory={factoryRuns} generator={generatorRuns} query={queryRuns}");

            var box = new StrongBox();
            var reading = recorded.Convert(new Reading(box, 20));
            report.Add($"celsius={reading.Celsius} fahrenheitReads={box.Count}");

            var money = new Price(12.5m, "EUR");
            report.Add($"pay={recorded.Pay(money, money)}");

            return string.Join("\n", report);
        }

        private static IEnumerable<int> Generate(Action started)
        {
            started();
            yield return 1;
        }
    }
}
